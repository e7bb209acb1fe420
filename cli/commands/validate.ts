import { readdir, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Command } from '../command'
import { UsageError } from '../command'
import { formatProblem, parseWorkflowJson, validateWorkflow, type Problem } from '../../lib/engine/validate'
import { productResourceNames } from '../../lib/jobs/product-action-names'
import { NOTIFY_RESOURCE } from '../../lib/notify/notify-resource-name'

const usage = `Usage: ctflow validate [--json] FILE|DIR…

Checks workflow definitions (Amazon States Language, JSONPath) and lists every problem with the file, the state and
the JSON pointer. A directory stands for its *.json files. Exit code 0 when every file is valid, 1 otherwise.

  --json   print [{ file, pointer, state, message }] on stdout instead of text
`

/**
 * `ctflow validate FILE…`: every problem of every file on stderr (`file: pointer (state "X"): message`), one
 * `file: OK` line per valid file on stdout.
 */
const command: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(usage)
    return 0
  }
  const json = argv.includes('--json')
  const unknownOption = argv.find((arg) => arg.startsWith('-') && arg !== '--json')
  if (unknownOption) throw new UsageError(`unknown option ${unknownOption}\n\n${usage}`)
  const files = await expandDirectories(
    argv.filter((arg) => !arg.startsWith('-')),
    io.cwd,
  )
  if (files.length === 0) throw new UsageError(`no workflow file given\n\n${usage}`)

  // The same registry the engine runs with (ctyun:* operations and ctflow:* job steps), so a name that validates runs.
  const known = productResourceNames()
  const options = { isKnownResource: (resource: string) => known.has(resource) || resource === NOTIFY_RESOURCE }
  const report: Array<Problem & { file: string }> = []
  let invalid = 0
  for (const file of files) {
    // `<name>.schema.json` beside a workflow is its input's JSON Schema (lib/engine/workflows.ts), so that
    // `ctflow validate workflows/*.json` works: it is checked as a schema (what the engine checks at start).
    const isInputSchema = file.endsWith('.schema.json')
    const problems = await validateFile(resolve(io.cwd, file), options, isInputSchema)
    if (problems.length > 0) invalid++
    for (const problem of problems) report.push({ file, ...problem })
    if (!json) {
      for (const problem of problems) io.stderr(`${file}: ${formatProblem(problem)}\n`)
      if (problems.length === 0) io.stdout(`${file}: OK${isInputSchema ? ' (input schema)' : ''}\n`)
    }
  }
  if (json) io.stdout(`${JSON.stringify(report, null, 2)}\n`)
  else if (invalid > 0) io.stderr(`${report.length} problem(s) in ${invalid} of ${files.length} file(s)\n`)
  return invalid > 0 ? 1 : 0
}
export default command

/** A directory argument stands for the `*.json` files in it (sorted); anything else stays as given. */
async function expandDirectories(args: string[], cwd: string): Promise<string[]> {
  const files: string[] = []
  for (const arg of args) {
    const isDirectory = await stat(resolve(cwd, arg)).then(
      (info) => info.isDirectory(),
      () => false,
    )
    if (!isDirectory) files.push(arg)
    else
      files.push(
        ...(await readdir(resolve(cwd, arg)))
          .filter((name) => name.endsWith('.json'))
          .sort()
          .map((name) => join(arg, name)),
      )
  }
  return files
}

async function validateFile(
  path: string,
  options: { isKnownResource(resource: string): boolean },
  isInputSchema: boolean,
): Promise<Problem[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return [
      {
        pointer: '',
        message:
          code === 'ENOENT'
            ? 'file not found'
            : code === 'EISDIR'
              ? 'is a directory, not a file'
              : `cannot read the file (${code ?? String(error)})`,
      },
    ]
  }
  const { definition, problems } = parseWorkflowJson(text)
  if (problems.length > 0) return problems
  if (isInputSchema) return (await import('../../lib/engine/input-schema')).inputSchemaProblems(definition)
  return validateWorkflow(definition, options)
}
