/**
 * What a long-lived process needs around the HTTP app, whatever serves it (Node, Bun, Deno): new runs advance in the
 * background after the 202, a worker loop resumes due runs, the `scheduled` definitions fire on the runtime's own
 * timer (croner, Deno.cron), and close() stops all of it in order. Each runtime's file brings only `listen` and its
 * timer; nothing here imports a `node:` module or a runtime global.
 */
import type { FunctionsConfig } from '../lib/config'
import type { RunRecord } from '../lib/engine'
import type { Logger, LogFields } from '../lib/log'
import { errorFields } from './function-logging'
import type { SignInCodes } from './http/console/sign-in-codes'
import { createFunctionsRuntime, type EngineOpener, type FunctionsRuntime } from './runtime'
import { runScheduled, type ScheduledResult } from './scheduled'
import { schedules as defaultSchedules, type ScheduleDefinition } from './schedules'
import { runWorker } from './worker'

/** A listening server as a runtime reports it. */
export interface Listening {
  url: string
  close(): Promise<void>
}

export type Listen = (fetch: (request: Request) => Response | Promise<Response>) => Promise<Listening>

/** Fires one `scheduled` definition (the runtime's timer calls it; so can a test or `--trigger`). */
export type FireSchedule = (schedule: ScheduleDefinition, firing?: Date) => Promise<ScheduledResult | undefined>

/**
 * Where the server's own lines go: lib/log's logger (one JSON object per line: the deployed entries, `ctflow serve
 * --json`), or `textLog` (the human lines of `ctflow serve`). Each line's `msg` reads as a sentence on its own; its
 * fields say the same as data.
 */
export type ServerLog = Pick<Logger, 'info' | 'warn' | 'error'>

/**
 * The human lines: the message, then the error's name and cause when the line has one.
 * @example textLog((line) => process.stderr.write(`${line}\n`)).error('ctflow serve: worker pass failed', errorFields(e))
 * // ctflow serve: worker pass failed: StoreError: connection refused
 */
export function textLog(write: (line: string) => void): ServerLog {
  const line = (msg: string, fields?: LogFields) => {
    const detail = [fields?.errorCode, fields?.cause].filter((part) => typeof part === 'string' && part !== '')
    write(detail.length > 0 ? `${msg}: ${detail.join(': ')}` : msg)
  }
  return { info: line, warn: line, error: line }
}

export interface LongLivedServerOptions {
  config: FunctionsConfig
  openEngine: EngineOpener
  listen: Listen
  /** The schedules to run (schedules.json by default); the `worker` tick is replaced by the loop below. */
  schedules?: readonly ScheduleDefinition[]
  /** Registers the `scheduled` definitions on the runtime's timer; returns how to stop them. */
  startTimers?: (schedules: readonly ScheduleDefinition[], fire: FireSchedule, log: ServerLog) => { stop(): void }
  /** How long the worker loop sleeps when nothing was due. */
  workerIdleMs?: number
  /**
   * When the worker loop makes its first pass: at once (default), or just after the first request is answered, or
   * `atMostMs` after listening if no request comes first. The Bun and Deno entries defer it: the pass ends in the
   * process's first setTimeout, which costs Deno 5–8 ms (measured), and right after listening that holds up the first
   * request of a cold start.
   */
  workerLoopStart?: { afterFirstRequestOrMs: number }
  /** A long-running process has no invocation limit; each advance still gets a bounded slice so cancel and shutdown are prompt. */
  sliceMs?: number
  /** The server's lines, the HTTP app's included: a ServerLog, or a function taking text lines (default: stderr). */
  log?: ServerLog | ((line: string) => void)
  /** One-time console sign-in codes (`ctflow demo --console` prints a link holding one). */
  signInCodes?: SignInCodes
}

export interface LongLivedServer {
  url: string
  runtime: FunctionsRuntime
  /** Fires the named `scheduled` definition now, as its timer would. */
  fire(name: string): Promise<ScheduledResult | undefined>
  /** Stops the schedules, the worker loop and the server, waits for work in flight, then closes the engine. */
  close(): Promise<void>
}

/**
 * @example const server = await startLongLivedServer({ config, openEngine, listen: (fetch) => listenOnBun(fetch) })
 */
export async function startLongLivedServer(options: LongLivedServerOptions): Promise<LongLivedServer> {
  const { config, openEngine, listen, workerIdleMs = 1_000, sliceMs = 60_000 } = options
  const log =
    typeof options.log === 'function' ? textLog(options.log) : (options.log ?? textLog((line) => console.error(line)))
  const schedules = (options.schedules ?? defaultSchedules).filter((schedule) => schedule.function === 'scheduled')
  const inFlight = new Set<Promise<unknown>>()
  let stopping = false
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work)
    void work.finally(() => inFlight.delete(work)).catch(() => {})
    return work
  }
  const deadline = () => ({ deadline: Date.now() + sliceMs })

  const runtime = await createFunctionsRuntime(config, {
    openEngine,
    // The HTTP app's lines are all about something that went wrong (a 500, a run it could not advance).
    log: (line) => log.error(line),
    ...(options.signInCodes ? { signInCodes: options.signInCodes } : {}),
    onRunCreated: (engine, run: RunRecord) => {
      // Not awaited: the caller gets its 202 now; what does not finish in this slice is resumed by the loop.
      void track(engine.advance(run.id, deadline())).catch((error: unknown) =>
        log.error(`ctflow serve: advancing run ${run.id} failed`, { runId: run.id, ...errorFields(error) }),
      )
    },
  })
  const deps = { engine: runtime.engine }

  // Listen before starting anything else: a port in use must stop here, with nothing scheduled or advanced.
  let server: Listening
  const firstRequest = firstRequestSignal(runtime.app.fetch)
  try {
    server = await listen(options.workerLoopStart ? firstRequest.fetch : runtime.app.fetch)
  } catch (error) {
    await runtime.close().catch(() => {})
    throw error
  }

  const fire: FireSchedule = async (schedule, firing = new Date()) => {
    if (stopping) return undefined
    try {
      const result = await track(
        runScheduled(deps, schedule.input, deadline(), {
          invocationId: `${schedule.name}@${firing.toISOString()}`,
        }),
      )
      log.info(`ctflow serve: schedule ${schedule.name} → run ${result.runId} ${result.status}`, {
        schedule: schedule.name,
        ...result,
      })
      return result
    } catch (error) {
      log.error(`ctflow serve: schedule ${schedule.name} failed`, { schedule: schedule.name, ...errorFields(error) })
      return undefined
    }
  }
  let timers: { stop(): void } | undefined
  try {
    timers = options.startTimers?.(schedules, fire, log)
  } catch (error) {
    // A schedule the runtime's timer refuses: stop here, with nothing left listening or open.
    await server.close().catch(() => {})
    await runtime.close().catch(() => {})
    throw error
  }

  // Idle: PostgreSQL wakes the loop the moment a run is due (LISTEN/NOTIFY); other stores poll every workerIdleMs.
  const stop = new AbortController()
  const loop = (async () => {
    if (options.workerLoopStart) {
      await Promise.race([firstRequest.answered, delay(options.workerLoopStart.afterFirstRequestOrMs, stop.signal)])
      // Out of the request's own turn, so that its response is written first.
      await delay(1, stop.signal)
    }
    while (!stopping) {
      const since = new Date()
      let advanced = 0
      try {
        const result = await track(runWorker(deps, undefined, deadline()))
        advanced = result.advanced
        for (const failed of result.errors ?? [])
          log.error(`ctflow serve: run ${failed.runId} could not be advanced (tried again later)`, {
            runId: failed.runId,
            cause: failed.error,
          })
      } catch (error) {
        log.error('ctflow serve: worker pass failed', errorFields(error))
      }
      if (advanced > 0 || stopping) continue
      const wait = runtime.engine.waitForDue
        ? runtime.engine.waitForDue({ since, timeoutMs: workerIdleMs, signal: stop.signal })
        : sleep(workerIdleMs, stop.signal)
      await wait.catch(() => {})
    }
  })()

  // Notifications (CTFLOW_NOTIFY) have a loop of their own: a slow robot never holds up a run.
  const deliver = runtime.deliverNotifications
  const notifyLoop = deliver
    ? (async () => {
        while (!stopping) {
          try {
            await track(deliver({ deadline: Date.now() + sliceMs, signal: stop.signal }))
          } catch (error) {
            log.error('ctflow serve: delivering notifications failed (tried again later)', errorFields(error))
          }
          await sleep(workerIdleMs, stop.signal)
        }
      })()
    : Promise.resolve()

  return {
    url: server.url,
    runtime,
    async fire(name) {
      const schedule = schedules.find((candidate) => candidate.name === name)
      if (!schedule)
        throw new Error(`no scheduled definition named "${name}" (known: ${schedules.map((s) => s.name).join(', ')})`)
      return fire(schedule)
    },
    async close() {
      stopping = true
      timers?.stop()
      stop.abort()
      await server.close()
      await loop
      await notifyLoop
      await Promise.allSettled([...inFlight])
      await runtime.close()
    },
  }
}

/** `fetch`, and a promise that resolves once it has answered its first request (whatever the answer). */
function firstRequestSignal(fetch: (request: Request) => Response | Promise<Response>): {
  fetch: (request: Request) => Response | Promise<Response>
  answered: Promise<void>
} {
  let answer: () => void = () => {}
  const answered = new Promise<void>((resolve) => (answer = resolve))
  let handle = async (request: Request) => {
    handle = async (next) => fetch(next)
    try {
      return await fetch(request)
    } finally {
      answer()
    }
  }
  return { fetch: (request) => handle(request), answered }
}

/**
 * Resolves after `ms` or on abort. AbortSignal.timeout, not setTimeout: Deno's first setTimeout costs 5–8 ms, its
 * AbortSignal.timeout ~0.6 ms (measured on Deno 2.9), and this wait runs right after listening.
 */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timeout = AbortSignal.timeout(ms)
    const done = () => {
      timeout.removeEventListener('abort', done)
      signal.removeEventListener('abort', done)
      resolve()
    }
    timeout.addEventListener('abort', done, { once: true })
    signal.addEventListener('abort', done, { once: true })
  })
}

/** Resolves after `ms` or on abort, whichever comes first, and leaves no listener on `signal` behind. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
