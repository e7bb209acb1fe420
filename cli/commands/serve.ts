import { parseArgs } from 'node:util'
import { loadFunctionsConfig } from '../../lib/config'
import type { Command } from '../command'
import { UsageError } from '../command'
import type { NotifyLogEntry } from '../../lib/notify'
import { createCliLogging } from '../json-log'

const HELP = `Usage: ctflow serve [--port 8080] [--host 127.0.0.1] [--json]

Serves the webhooks and runs API, runs the schedules (functions/schedules.json) and resumes due runs.
Environment: CTYUN_AK/CTYUN_SK (neither: an in-process simulator), CTFLOW_STORE (memory, a directory
[.ctflow/], postgres://…), CTFLOW_WEBHOOK_SECRET (whsec_…), CTFLOW_API_TOKEN.

  --json   every line JSON (stderr): the server's messages, run start and end, each Task call and retry
           (CTFLOW_LOG_LEVEL: debug, info, warn, error, silent)
`

/** `ctflow serve`: the Node adapter (functions/node.ts) until SIGINT/SIGTERM. */
const command: Command = async (argv, io) => {
  const { values } = parse(argv)
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const port = Number(values.port ?? '8080')
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be a port number (0–65535), got "${values.port}".`)
  const hostname = values.host ?? '127.0.0.1'

  const config = loadFunctionsConfig(io.env)
  const logging = values.json ? createCliLogging(io) : undefined
  // The server's own lines (a schedule fired, a worker pass failed): JSON at their level with --json, else text.
  const log = logging ? logging.logger : (line: string) => io.stderr(`${line}\n`)
  // Loaded here, not at the top: `ctflow --help` must not pay for Hono, the engine or the simulator.
  const [{ startNodeServer, ListenError }, { openEngine }] = await Promise.all([
    import('../../functions/node'),
    import('../../functions/open-engine'),
  ])
  let server: Awaited<ReturnType<typeof startNodeServer>>
  try {
    server = await startNodeServer({
      config,
      port,
      hostname,
      openEngine: (resolved) =>
        openEngine(resolved, {
          cwd: io.cwd,
          resolveTarget: async () => (await import('../ctyun-target')).resolveCtyunTarget(io.env),
          ...(logging ? { logging } : { notifyLog: (entry) => io.stderr(`${notifyLine(entry)}\n`) }),
        }),
      log,
    })
  } catch (error) {
    // Nothing was started (startNodeServer listens first and closes what it opened): one line, and the fix.
    if (!(error instanceof ListenError)) throw error
    const hint =
      error.code === 'EADDRINUSE'
        ? ' (choose another with --port, or stop what holds it)'
        : error.code === 'EADDRNOTAVAIL'
          ? ' (check --host)'
          : ''
    if (logging) logging.logger.error(`ctflow serve: ${error.message}${hint}`)
    else io.stderr(`ctflow serve: ${error.message}${hint}\n`)
    return 1
  }
  if (logging) {
    logging.logger.info('ctflow serve: listening', {
      url: server.url,
      engine: server.runtime.describe ?? 'engine ready',
      webhooks: config.webhookSecrets.length > 0,
      runsApi: config.apiToken !== undefined,
    })
    await stopped(io.signal)
    await server.close()
    logging.logger.info('ctflow serve: stopped')
    return 0
  }
  io.stdout(`ctflow serve: listening on ${server.url} (${server.runtime.describe ?? 'engine ready'})\n`)
  io.stdout(
    `  webhooks: ${config.webhookSecrets.length > 0 ? `POST ${server.url}/hooks/<workflow>` : 'disabled (set CTFLOW_WEBHOOK_SECRET)'}\n`,
  )
  io.stdout(
    `  runs API: ${config.apiToken ? `${server.url}/runs (Authorization: Bearer $CTFLOW_API_TOKEN)` : 'disabled (set CTFLOW_API_TOKEN)'}\n`,
  )
  io.stdout(
    `  console:  ${config.apiToken ? `${server.url}/console (sign in with $CTFLOW_API_TOKEN)` : 'disabled (set CTFLOW_API_TOKEN)'}\n`,
  )

  await stopped(io.signal)
  io.stdout('ctflow serve: stopping…\n')
  await server.close()
  return 0
}

/**
 * A notification sender's entry as a human line: the message, then the run it is about (and the attempt, after the first).
 * @example notifyLine({ level: 'info', msg: 'notification sent to ops: ok', runId: 'r1' })
 * // ctflow serve: notification sent to ops: ok (run r1)
 */
export function notifyLine({ msg, runId, attempt }: NotifyLogEntry): string {
  const about = [runId ? `run ${runId}` : '', attempt && attempt > 1 ? `attempt ${attempt}` : '']
    .filter(Boolean)
    .join(', ')
  return `ctflow serve: ${msg}${about ? ` (${about})` : ''}`
}

function stopped(signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    })
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${HELP}`)
  }
}

export default command
