/**
 * `ctflow run WORKFLOW [--input JSON|@file] [--plan] [--json]`: runs a workflow to the end in this process, driving its own
 * waits. One progress line per transition on stderr, the output JSON on stdout; exit 0 on SUCCEEDED, 1 otherwise.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Command } from '../command'
import { UsageError } from '../command'
import { openCliEngine } from '../engine-setup'
import { createCliLogging } from '../json-log'
import { progressPrinter } from '../progress'
import { loadWorkflowFile, WorkflowError } from '../../lib/engine'

const HELP = `Usage: ctflow run WORKFLOW [--input JSON | --input @FILE] [--plan] [--json]

  WORKFLOW       a workflow file (workflows/nightly-backup.json) or the name of one in ./workflows
  --input JSON   the run's input (default {}); @FILE reads it from a file
  --plan         a dry run: reads are real, no write is sent (each returns its planned result, planned: true);
                 the output says what the run would create, back up, copy and delete
  --json         print only {"status","plan","output","error","cause"} on stdout, and instead of the progress
                 lines JSON log lines on stderr (run start and end, each Task call, each retry; CTFLOW_LOG_LEVEL)
  --quiet        no progress lines

The run is saved in CTFLOW_STORE (default .ctflow/); CTyun calls go where CTYUN_* point (with none set, to an
in-process simulator). Exit code 0 when the run SUCCEEDED, 1 otherwise.
`

const command: Command = async (argv, io) => {
  let workflowArg: string | undefined
  let inputText: string | undefined
  let json = false
  let quiet = false
  let plan = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '-h' || arg === '--help') {
      io.stdout(HELP)
      return 0
    } else if (arg === '--json') json = true
    else if (arg === '--plan') plan = true
    else if (arg === '--quiet' || arg === '-q') quiet = true
    else if (arg === '--input' || arg.startsWith('--input=')) {
      inputText = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i]
      if (inputText === undefined) throw new UsageError('--input needs a value (JSON or @file)')
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}\n\n${HELP}`)
    else if (workflowArg === undefined) workflowArg = arg
    else throw new UsageError(`unexpected argument ${arg}`)
  }
  if (!workflowArg) throw new UsageError(`no workflow given\n\n${HELP}`)

  const logging = json ? createCliLogging(io) : undefined
  const report = (message: string) =>
    logging ? logging.logger.error(`ctflow run: ${message}`) : io.stderr(`ctflow run: ${message}\n`)
  let input: unknown
  try {
    input = await readInput(inputText, io.cwd)
  } catch (error) {
    // Bad input is a failed run request, not a usage slip: exit 1 like an invalid workflow, nothing started.
    if (!(error instanceof InputError)) throw error
    report(`${error.message}\nNothing was started.`)
    return 1
  }
  const path = /[\\/]|\.json$/.test(workflowArg)
    ? resolve(io.cwd, workflowArg)
    : resolve(io.cwd, 'workflows', `${workflowArg}.json`)
  let workflow: Awaited<ReturnType<typeof loadWorkflowFile>>
  try {
    workflow = await loadWorkflowFile(path)
  } catch (error) {
    if (error instanceof WorkflowError) return reportInvalid(report, error)
    throw error
  }

  let startedAt = Date.now()
  let setup: Awaited<ReturnType<typeof openCliEngine>>
  try {
    setup = await openCliEngine(io, {
      workflows: [workflow],
      ...(logging ? { logging } : {}),
      onEvents:
        quiet || json
          ? undefined
          : progressPrinter(
              (line) => io.stderr(`${line}\n`),
              () => startedAt,
            ),
    })
  } catch (error) {
    if (error instanceof WorkflowError) return reportInvalid(report, error)
    throw error
  }
  const human = !quiet && !json
  try {
    const starting = `ctflow run ${workflow.name}${plan ? ' --plan (nothing is written)' : ''} (${setup.describe})`
    if (human) io.stderr(`${starting}\n`)
    else if (logging) logging.logger.info(starting, { workflow: workflow.name, ...(plan ? { plan } : {}) })
    const { run } = await setup.engine.start({ workflow: workflow.name, input, ...(plan ? { plan } : {}) })
    startedAt = run.createdAt.getTime()
    if (human) io.stderr(`run ${run.id}\n`)
    const finished = await setup.engine.runToEnd(run.id, io.signal)
    // Its notifications are in the store's outbox: sent now, briefly (what does not go out is left for a worker).
    if (setup.notifications && finished.status !== 'RUNNING')
      await setup.notifications
        .deliverPending({ deadline: Date.now() + NOTIFY_ON_EXIT_MS, signal: io.signal })
        .catch((error: unknown) =>
          report(`notifications left for a worker (${error instanceof Error ? error.message : error})`),
        )
    if (json) {
      io.stdout(
        `${JSON.stringify({ status: finished.status, ...(finished.plan ? { plan: true } : {}), output: finished.output ?? null, error: finished.error?.error ?? null, cause: finished.error?.cause ?? null })}\n`,
      )
    } else if (finished.status === 'SUCCEEDED') {
      io.stdout(`${JSON.stringify(finished.output ?? null, null, 2)}\n`)
    } else if (finished.status === 'RUNNING') {
      io.stderr(`ctflow run: interrupted; run ${finished.id} is saved and resumes with \`ctflow worker\`\n`)
    } else {
      io.stderr(
        `ctflow run: ${finished.status}${finished.error ? ` — ${finished.error.error}: ${finished.error.cause ?? ''}` : ''}\n`,
      )
    }
    return finished.status === 'SUCCEEDED' ? 0 : 1
  } finally {
    await setup.close()
  }
}
export default command

// How long `ctflow run` spends sending a finished run's notifications before it exits.
const NOTIFY_ON_EXIT_MS = 15_000

async function readInput(text: string | undefined, cwd: string): Promise<unknown> {
  if (text === undefined) return {}
  let source = text
  let where = '--input'
  if (text.startsWith('@')) {
    where = text.slice(1)
    try {
      source = await readFile(resolve(cwd, where), 'utf8')
    } catch (error) {
      throw new InputError(
        `--input ${text}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      )
    }
  }
  try {
    return JSON.parse(source)
  } catch (error) {
    throw new InputError(`${where} is not valid JSON: ${(error as Error).message}`)
  }
}

class InputError extends Error {}

function reportInvalid(report: (message: string) => void, error: WorkflowError): number {
  report(`${error.message}\nNothing was started.`)
  return 1
}
