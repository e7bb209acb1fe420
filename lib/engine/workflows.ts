import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { StateDefinition, WorkflowDefinition } from './interpreter/definition'

/** A workflow as the engine holds it: the ASL document under its name (the file name without `.json`). */
export interface LoadedWorkflow {
  name: string
  definition: WorkflowDefinition
  /** JSON Schema of the input, from `<name>.schema.json` beside the workflow. */
  inputSchema?: unknown
}

export interface WorkflowProblem {
  workflow: string
  /** JSON pointer into the workflow document, e.g. `/States/Snapshot/Next`. */
  pointer: string
  state?: string
  message: string
}

/** One or more workflows are invalid: every problem is listed, nothing runs. */
export class WorkflowError extends Error {
  override name = 'WorkflowError'
  constructor(readonly problems: WorkflowProblem[]) {
    super(`Invalid workflow${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p.workflow}${p.pointer ? ` ${p.pointer}` : ''}${p.state ? ` (state "${p.state}")` : ''}: ${p.message}`).join('\n')}`)
  }
}

/**
 * Reads `dir/*.json` (each an ASL document) and the optional `dir/<name>.schema.json` beside each. Bad JSON is a
 * WorkflowError naming the file; the definitions are checked when the engine takes them (createEngine).
 * @example const workflows = await loadWorkflows('workflows')
 */
export async function loadWorkflows(dir: string): Promise<LoadedWorkflow[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json') && !file.endsWith('.schema.json')).sort()
  const problems: WorkflowProblem[] = []
  const workflows: LoadedWorkflow[] = []
  for (const file of files) {
    const name = basename(file, '.json').replace(/\.asl$/, '')
    const definition = await readJson(join(dir, file), name, problems)
    if (definition === undefined) continue
    const schemaFile = join(dir, `${name}.schema.json`)
    const inputSchema = await readJson(schemaFile, name, problems, true)
    workflows.push({ name, definition: definition as WorkflowDefinition, ...(inputSchema !== undefined ? { inputSchema } : {}) })
  }
  if (problems.length > 0) throw new WorkflowError(problems)
  return workflows
}

/** Reads one workflow file (for `ctflow run path/to/x.json`). */
export async function loadWorkflowFile(path: string): Promise<LoadedWorkflow> {
  const name = basename(path, '.json').replace(/\.asl$/, '')
  const problems: WorkflowProblem[] = []
  const definition = await readJson(path, name, problems)
  if (definition === undefined) throw new WorkflowError(problems)
  const inputSchema = await readJson(path.replace(/(\.asl)?\.json$/, '.schema.json'), name, problems, true)
  if (problems.length > 0) throw new WorkflowError(problems)
  return { name, definition: definition as WorkflowDefinition, ...(inputSchema !== undefined ? { inputSchema } : {}) }
}

async function readJson(path: string, workflow: string, problems: WorkflowProblem[], optional = false): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    problems.push({ workflow, pointer: '', message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` })
    return undefined
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    problems.push({ workflow, pointer: '', message: `${path} is not valid JSON: ${(error as Error).message}` })
    return undefined
  }
}

/**
 * The checks the engine itself relies on before running anything: the document is an object with `StartAt` and
 * `States`, every transition names a state of its scope, every Task resource is known, and only the JSONPath query
 * language is used. (The full ASL validation — paths, intrinsics, Retry/Catch fields, reachability — is
 * lib/engine/validate, run beside this.)
 */
export function checkRunnable(workflow: string, definition: unknown, isKnownResource: (resource: string) => boolean): WorkflowProblem[] {
  const problems: WorkflowProblem[] = []
  const problem = (pointer: string, message: string, state?: string) => problems.push({ workflow, pointer, message, ...(state ? { state } : {}) })
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    problem('', 'a workflow must be a JSON object with StartAt and States')
    return problems
  }
  if ((definition as WorkflowDefinition).QueryLanguage === 'JSONata') problem('/QueryLanguage', 'JSONata is not supported yet; use the JSONPath query language')
  checkScope(definition as { StartAt?: unknown; States?: unknown }, '', problem, isKnownResource)
  return problems
}

function checkScope(
  scope: { StartAt?: unknown; States?: unknown },
  pointer: string,
  problem: (pointer: string, message: string, state?: string) => void,
  isKnownResource: (resource: string) => boolean,
): void {
  const states = scope.States
  if (typeof states !== 'object' || states === null || Array.isArray(states)) {
    problem(`${pointer}/States`, 'States must be an object of named states')
    return
  }
  const names = new Set(Object.keys(states))
  if (typeof scope.StartAt !== 'string' || !names.has(scope.StartAt)) problem(`${pointer}/StartAt`, `StartAt ${JSON.stringify(scope.StartAt)} names no state here`)
  for (const [name, raw] of Object.entries(states as Record<string, unknown>)) {
    const at = `${pointer}/States/${escapePointer(name)}`
    if (typeof raw !== 'object' || raw === null) {
      problem(at, 'a state must be an object', name)
      continue
    }
    const state = raw as StateDefinition & { Assign?: unknown }
    const target = (field: string, value: unknown) => {
      if (value !== undefined && (typeof value !== 'string' || !names.has(value))) problem(`${at}/${field}`, `${field} ${JSON.stringify(value)} names no state here`, name)
    }
    if (state.QueryLanguage === 'JSONata') problem(`${at}/QueryLanguage`, 'JSONata is not supported yet', name)
    if (state.Assign !== undefined) problem(`${at}/Assign`, 'Assign (variables) is not supported yet', name)
    target('Next', state.Next)
    target('Default', state.Default)
    for (const [index, catcher] of (Array.isArray(state.Catch) ? state.Catch : []).entries()) target(`Catch/${index}/Next`, (catcher as { Next?: unknown })?.Next)
    for (const [index, choice] of (Array.isArray(state.Choices) ? state.Choices : []).entries()) target(`Choices/${index}/Next`, (choice as { Next?: unknown })?.Next)
    const terminal = state.Type === 'Succeed' || state.Type === 'Fail' || state.Type === 'Choice'
    if (!terminal && state.Next === undefined && state.End !== true) problem(at, 'needs Next or "End": true', name)
    if (state.Type === 'Task' && (typeof state.Resource !== 'string' || !isKnownResource(state.Resource))) {
      problem(`${at}/Resource`, `unknown Task resource ${JSON.stringify(state.Resource)} (no action is registered under that name)`, name)
    }
    if (state.Type === 'Parallel') {
      if (!Array.isArray(state.Branches)) problem(`${at}/Branches`, 'Branches must be an array', name)
      else state.Branches.forEach((branch, index) => checkScope(branch, `${at}/Branches/${index}`, problem, isKnownResource))
    }
    if (state.Type === 'Map') {
      const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator'
      const processor = state.ItemProcessor ?? state.Iterator
      if (!processor) problem(at, 'a Map state needs ItemProcessor (or Iterator)', name)
      else checkScope(processor, `${at}/${field}`, problem, isKnownResource)
    }
    const types = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']
    if (!types.includes(state.Type)) problem(`${at}/Type`, `Type ${JSON.stringify(state.Type)} is not one of ${types.join(', ')}`, name)
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}
