import { WorkflowError, type WorkflowProblem } from './errors'
import type { WorkflowDefinition } from './interpreter/definition'
// node:fs and node:path are imported where a file is read: the deployed entries re-export this module through
// lib/engine but never read workflow files, so their cold start loads no Node module for it.
import { findDeepNesting, MAX_DEFINITION_DEPTH } from './validate/nesting-depth'

/** A workflow as the engine holds it: the ASL document under its name (the file name without `.json`). */
export interface LoadedWorkflow {
  name: string
  definition: WorkflowDefinition
  /** JSON Schema of the input, from `<name>.schema.json` beside the workflow. */
  inputSchema?: unknown
}

// Defined with the engine's other errors; exported here too for the files that import them with the loader.
export { WorkflowError, type WorkflowProblem } from './errors'

/**
 * Reads `dir/*.json` (each an ASL document) and the optional `dir/<name>.schema.json` beside each. Bad JSON is a
 * WorkflowError naming the file; the definitions are checked when the engine takes them (createEngine).
 * @example const workflows = await loadWorkflows('workflows')
 */
export async function loadWorkflows(dir: string): Promise<LoadedWorkflow[]> {
  const { readdir } = await import('node:fs/promises')
  const { basename, join } = await import('node:path')
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json') && !file.endsWith('.schema.json')).sort()
  const problems: WorkflowProblem[] = []
  const workflows: LoadedWorkflow[] = []
  for (const file of files) {
    const name = basename(file, '.json').replace(/\.asl$/, '')
    const definition = await readJson(join(dir, file), name, problems)
    if (definition === undefined) continue
    const schemaFile = join(dir, `${name}.schema.json`)
    const inputSchema = await readJson(schemaFile, name, problems, true)
    workflows.push({
      name,
      definition: definition as WorkflowDefinition,
      ...(inputSchema !== undefined ? { inputSchema } : {}),
    })
  }
  if (problems.length > 0) throw new WorkflowError(problems)
  return workflows
}

/** Reads one workflow file (for `ctflow run path/to/x.json`). */
export async function loadWorkflowFile(path: string): Promise<LoadedWorkflow> {
  const { basename } = await import('node:path')
  const name = basename(path, '.json').replace(/\.asl$/, '')
  const problems: WorkflowProblem[] = []
  const definition = await readJson(path, name, problems)
  if (definition === undefined) throw new WorkflowError(problems)
  const inputSchema = await readJson(path.replace(/(\.asl)?\.json$/, '.schema.json'), name, problems, true)
  if (problems.length > 0) throw new WorkflowError(problems)
  return { name, definition: definition as WorkflowDefinition, ...(inputSchema !== undefined ? { inputSchema } : {}) }
}

async function readJson(
  path: string,
  workflow: string,
  problems: WorkflowProblem[],
  optional = false,
): Promise<unknown> {
  let text: string
  try {
    const { readFile } = await import('node:fs/promises')
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    problems.push({
      workflow,
      pointer: '',
      message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    })
    return undefined
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    problems.push({ workflow, pointer: '', message: `${path} is not valid JSON: ${(error as Error).message}` })
    return undefined
  }
  // Before anything walks it recursively (the validator, JSON.stringify): JSON.parse takes any depth, they do not.
  const deep = findDeepNesting(value, MAX_DEFINITION_DEPTH)
  if (deep) {
    problems.push({
      workflow,
      pointer: deep.pointer,
      message: `${path} nests objects and arrays ${deep.depth.toLocaleString('en-US')} levels deep; at most ${MAX_DEFINITION_DEPTH} are allowed — this is where it passes the limit`,
    })
    return undefined
  }
  return value
}
