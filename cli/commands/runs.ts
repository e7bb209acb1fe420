/**
 * `ctflow runs list | show ID | cancel ID`: read and change the run store (CTFLOW_STORE, default .ctflow/).
 */
import type { Command } from '../command'
import { UsageError } from '../command'
import { openCliEngine } from '../engine-setup'
import { TERMINAL_STATUSES, type RunStatus } from '../../lib/engine'

const STATUSES: readonly RunStatus[] = ['RUNNING', ...TERMINAL_STATUSES]
const HISTORY_PAGE = 1_000

const HELP = `Usage: ctflow runs list [--workflow NAME] [--status STATUS] [--parent ID] [--limit N] [--cursor C] [--json]
       ctflow runs show ID [--json]
       ctflow runs cancel ID

  list     newest first: id, status, workflow, started, next wake-up (--parent ID: the child runs of
           that run's distributed Maps, which the plain list leaves out)
  show     the run (input, output or error) and its history
  cancel   stop a run: a suspended run is ABORTED at once, a running one at its next transition
`

const command: Command = async (argv, io) => {
  const [sub, ...rest] = argv
  if (!sub || sub === '-h' || sub === '--help') {
    io.stdout(HELP)
    return sub ? 0 : 2
  }
  const options = parseOptions(rest)
  // No workflows are needed to read or cancel runs (a cancelled run never calls anything).
  const { engine, close } = await openCliEngine(io, { workflows: [] })
  try {
    switch (sub) {
      case 'list': {
        const limit = options.limit === undefined ? 20 : Number(options.limit)
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a whole number ≥ 1')
        const status = options.status?.toUpperCase() as RunStatus | undefined
        if (status && !STATUSES.includes(status)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`)
        const page = await engine.list({
          workflow: options.workflow,
          status,
          limit,
          cursor: options.cursor,
          ...(options.parent ? { parentId: options.parent } : {}),
        })
        if (options.json) {
          io.stdout(`${JSON.stringify(page)}\n`)
          return 0
        }
        if (page.runs.length === 0) io.stderr('no runs\n')
        for (const run of page.runs) {
          const wake = run.status === 'RUNNING' && run.resumeAt ? `  resumes ${run.resumeAt.toISOString()}` : ''
          const error = run.error ? `  ${run.error.error}` : ''
          io.stdout(
            `${run.id}  ${run.status.padEnd(9)}  ${run.workflow}  ${run.createdAt.toISOString()}${wake}${error}\n`,
          )
        }
        if (page.nextCursor) io.stderr(`more: ctflow runs list --cursor ${page.nextCursor}\n`)
        return 0
      }
      case 'show': {
        const id = requireId(options.positional, 'show')
        const run = await engine.get(id)
        if (!run) return notFound(io, id)
        const { machine: _machine, ...record } = run
        // The history is read and written a page at a time: a long one never has to fit in memory (or in one string).
        let afterSeq = 0
        let first = true
        if (options.json) io.stdout(`{"run":${JSON.stringify(record)},"history":[`)
        else io.stdout(`${JSON.stringify(record, null, 2)}\n`)
        for (;;) {
          const page = await engine.history(id, { afterSeq, limit: HISTORY_PAGE })
          for (const event of page) {
            if (options.json) io.stdout(`${first ? '' : ','}${JSON.stringify(event)}`)
            else
              io.stdout(
                `${String(event.seq).padStart(4)}  ${event.at}  ${event.type}${event.state ? `  ${event.state}` : ''}\n`,
              )
            first = false
          }
          if (page.length < HISTORY_PAGE) break
          afterSeq = page.at(-1)!.seq
        }
        if (options.json) io.stdout(']}\n')
        return 0
      }
      case 'cancel': {
        const id = requireId(options.positional, 'cancel')
        const run = await engine.cancel(id)
        if (!run) return notFound(io, id)
        io.stdout(
          `${run.id}  ${run.status}${run.status === 'RUNNING' ? ' (cancellation requested; the worker holding it stops at its next transition)' : ''}\n`,
        )
        return 0
      }
      default:
        throw new UsageError(`unknown subcommand "${sub}"\n\n${HELP}`)
    }
  } finally {
    await close()
  }
}
export default command

interface Options {
  positional: string[]
  json?: boolean
  workflow?: string
  status?: string
  limit?: string
  cursor?: string
  parent?: string
}

function parseOptions(argv: string[]): Options {
  const options: Options = { positional: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--json') options.json = true
    else if (
      arg === '--workflow' ||
      arg === '--status' ||
      arg === '--limit' ||
      arg === '--cursor' ||
      arg === '--parent'
    ) {
      const value = argv[++i]
      if (value === undefined) throw new UsageError(`${arg} needs a value`)
      options[arg.slice(2) as 'workflow' | 'status' | 'limit' | 'cursor' | 'parent'] = value
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`)
    else options.positional.push(arg)
  }
  return options
}

function requireId(positional: string[], sub: string): string {
  if (positional.length !== 1) throw new UsageError(`ctflow runs ${sub} takes one run id`)
  return positional[0]!
}

function notFound(io: { stderr(text: string): void }, id: string): number {
  io.stderr(`ctflow runs: no run with id "${id}"\n`)
  return 1
}
