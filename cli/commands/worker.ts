/**
 * `ctflow worker [--workflows DIR] [--interval MS] [--lease-ms MS] [--concurrency N] [--quiet] [--once] [--json]`: resumes due runs (suspended waits, retries, polls, runs
 * whose process died) until SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from '../command'
import { UsageError } from '../command'
import { openCliEngine } from '../engine-setup'
import { createCliLogging } from '../json-log'
import { formatProgress } from '../progress'
import { loadWorkflows, systemClock } from '../../lib/engine'

const HELP = `Usage: ctflow worker [--workflows DIR] [--interval MS] [--lease-ms MS] [--concurrency N] [--quiet] [--once] [--json]

  --workflows DIR   where the workflows are (default ./workflows)
  --interval MS     how long to sleep when nothing is due (default 1000); with PostgreSQL the worker is also
                    woken at once when a run is created or released, and at the next known wake-up
  --lease-ms MS     how long a run stays with this worker without a save or renewal before another worker may
                    take it over, e.g. after this process was killed (default 60000)
  --concurrency N   how many runs this process advances at the same time (default 1); a run waiting for a
                    cloud poll holds its lane, so more lanes keep other due runs from queueing behind it
  --quiet           no progress lines, only start, stop and errors
  --once            advance what is due now, then exit
  --json            JSON log lines on stderr instead of the progress lines: run start and end, each Task call, each
                    retry, the worker's own messages (CTFLOW_LOG_LEVEL: debug, info, warn, error, silent)
`

// Each pass advances runs for at most this long, so a stop signal or a new due run is seen soon.
const PASS_MS = 30_000
// The longest pause between tries while the store cannot be reached.
const MAX_PAUSE_MS = 30_000

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

const command: Command = async (argv, io) => {
  let dir = 'workflows'
  let interval = 1000
  let once = false
  let leaseMs: number | undefined
  let concurrency = 1
  let quiet = false
  let json = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '-h' || arg === '--help') {
      io.stdout(HELP)
      return 0
    } else if (arg === '--once') once = true
    else if (arg === '--quiet') quiet = true
    else if (arg === '--json') json = true
    else if (arg === '--workflows' || arg === '--interval' || arg === '--lease-ms' || arg === '--concurrency') {
      const value = argv[++i]
      if (value === undefined) throw new UsageError(`${arg} needs a value`)
      if (arg === '--workflows') dir = value
      else if (arg === '--lease-ms') {
        leaseMs = Number(value)
        // Below a second a slow save could lose the lease on every transition.
        if (!Number.isInteger(leaseMs) || leaseMs < 1000)
          throw new UsageError('--lease-ms must be a whole number of ms ≥ 1000')
      } else if (arg === '--concurrency') {
        concurrency = Number(value)
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
          throw new UsageError('--concurrency must be a whole number from 1 to 64')
      } else {
        interval = Number(value)
        if (!Number.isInteger(interval) || interval < 10)
          throw new UsageError('--interval must be a whole number of ms ≥ 10')
      }
    } else throw new UsageError(`unknown option ${arg}\n\n${HELP}`)
  }
  const logging = json ? createCliLogging(io) : undefined
  // The worker's own messages: a JSON line at their level with --json, else a line of text.
  const say = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) =>
    logging ? logging.logger[level](message, fields) : io.stderr(`ctflow worker: ${message}\n`)
  const path = resolve(io.cwd, dir)
  const workflows = existsSync(path) ? await loadWorkflows(path) : []
  if (workflows.length === 0) say('warn', `no workflows in ${dir}; runs of unknown workflows will fail when resumed`)
  const { engine, describe, close, notifications } = await openCliEngine(io, {
    workflows,
    ...(leaseMs !== undefined ? { leaseMs } : {}),
    ...(logging ? { logging } : {}),
    onEvents:
      quiet || json
        ? undefined
        : (run, events) => {
            for (const event of events) {
              const line = formatProgress(event, run.createdAt.getTime())
              if (line) io.stderr(`${run.id.slice(0, 8)} ${line}\n`)
            }
          },
  })
  const { store } = engine.deps
  say(
    'info',
    `${workflows.length} workflow(s), ${concurrency} lane(s)${store.waitForDue ? ', woken by the store' : ''}; ${describe}`,
  )
  try {
    // Lanes share the engine: claimDue hands each due run to one lane only (a lease), in this process or any other.
    // A run that cannot be advanced is that run's problem (resumeDue fails it, or leaves it for later and reports it);
    // a store that cannot be reached is waited out. Only with --once does a lane fail: it stops the others before the
    // store closes under them, and its error is the exit reason.
    const failed = new AbortController()
    const signal = AbortSignal.any([io.signal, failed.signal])
    const lane = async () => {
      try {
        let failures = 0
        while (!signal.aborted) {
          const since = new Date()
          let advanced: number
          try {
            const result = await engine.resumeDue({ deadline: Date.now() + PASS_MS, signal })
            advanced = result.advanced
            for (const trouble of result.errors ?? []) {
              say('error', `run ${trouble.runId} could not be advanced (tried again once its lease expires)`, {
                runId: trouble.runId,
                cause: trouble.error,
              })
            }
            failures = 0
          } catch (error) {
            if (once) throw error
            failures += 1
            const pause = Math.min(interval * 2 ** failures, MAX_PAUSE_MS)
            say('error', `claiming due runs failed (${errorText(error)}); trying again in ${pause} ms`)
            await systemClock.sleep(pause, signal)
            continue
          }
          if (once) break
          if (advanced > 0) continue
          // PostgreSQL: LISTEN wakes the worker as soon as a run is due (pick-up in ms); `interval` is the fallback.
          if (store.waitForDue) await store.waitForDue({ since, timeoutMs: interval, signal })
          else await systemClock.sleep(interval, signal)
        }
      } catch (error) {
        failed.abort()
        throw error
      }
    }
    // Notifications (CTFLOW_NOTIFY) go out from a loop of their own, so a slow robot never holds up a lane.
    const notifyLane = async () => {
      if (!notifications) return
      while (!signal.aborted) {
        try {
          await notifications.deliverPending({ deadline: Date.now() + PASS_MS, signal })
        } catch (error) {
          if (once) throw error
          say('error', `delivering notifications failed (${errorText(error)}); trying again`)
        }
        if (once) break
        await systemClock.sleep(interval, signal)
      }
    }
    const lanes = () => Array.from({ length: concurrency }, lane)
    // --once: what the lanes just finished is sent after them.
    const results = once
      ? [...(await Promise.allSettled(lanes())), ...(await Promise.allSettled([notifyLane()]))]
      : await Promise.allSettled([...lanes(), notifyLane()])
    const rejected = results.find((result) => result.status === 'rejected')
    if (rejected) throw rejected.reason
    say('info', 'stopped')
    return 0
  } finally {
    await close()
  }
}
export default command
