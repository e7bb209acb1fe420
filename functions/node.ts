import { serve, type ServerType } from '@hono/node-server'
import { Cron } from 'croner'
import type { AddressInfo } from 'node:net'
import type { FunctionsConfig } from '../lib/config'
<<<<<<< HEAD
import type { RunRecord } from '../lib/engine'
import type { SignInCodes } from './http/console/sign-in-codes'
import { createFunctionsRuntime, type EngineOpener, type FunctionsRuntime } from './runtime'
import { runScheduled } from './scheduled'
import { schedules as defaultSchedules, toCronerPlan, type ScheduleDefinition } from './schedules'
import { runWorker } from './worker'
=======
import { startLongLivedServer } from './long-lived-server'
import type { EngineOpener, FunctionsRuntime } from './runtime'
import { toCronerPlan, type ScheduleDefinition } from './schedules'
>>>>>>> runtimes

export interface NodeServerOptions {
  config: FunctionsConfig
  openEngine: EngineOpener
  port?: number
  hostname?: string
  /** The schedules to run (schedules.json by default); the `worker` tick is replaced by the loop below. */
  schedules?: readonly ScheduleDefinition[]
  /** How long the worker loop sleeps when nothing was due. */
  workerIdleMs?: number
  /** A long-running process has no invocation limit; each advance still gets a bounded slice so cancel and shutdown are prompt. */
  sliceMs?: number
  log?: (line: string) => void
  /** One-time console sign-in codes (`ctflow demo --console` prints a link holding one). */
  signInCodes?: SignInCodes
}

export interface NodeServer {
  url: string
  runtime: FunctionsRuntime
  /** The croner jobs, one per `scheduled` schedule (exposed so that tests and `--trigger` can fire one now). */
  jobs: Cron[]
  /** Stops the schedules, the worker loop and the server, waits for work in flight, then closes the engine. */
  close(): Promise<void>
}

/**
 * The Node adapter behind `ctflow serve`: the HTTP app on @hono/node-server, the schedules on croner (the same
 * definitions serverless.yml deploys), and a worker loop that resumes due runs. New runs start advancing at once,
 * in the background, after the 202.
 * @example const server = await startNodeServer({ config, openEngine, port: 8080 })
 */
export async function startNodeServer(options: NodeServerOptions): Promise<NodeServer> {
<<<<<<< HEAD
  const {
    config,
    openEngine,
    port = 8080,
    hostname = '127.0.0.1',
    workerIdleMs = 1_000,
    sliceMs = 60_000,
    log = (line) => console.error(line),
  } = options
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
    log,
    ...(options.signInCodes ? { signInCodes: options.signInCodes } : {}),
    onRunCreated: (engine, run: RunRecord) => {
      // Not awaited: the caller gets its 202 now; what does not finish in this slice is resumed by the loop.
      void track(engine.advance(run.id, deadline())).catch((error: unknown) =>
        log(`ctflow serve: advancing run ${run.id} failed: ${describe(error)}`),
      )
    },
  })
  const deps = { engine: runtime.engine }

  // Listen before starting anything else: a port in use must stop here, with nothing scheduled or advanced.
  let server: ServerType
  try {
    server = await listen(runtime.app.fetch, port, hostname)
  } catch (error) {
    await runtime.close().catch(() => {})
    throw error
  }
  const address = server.address() as AddressInfo
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`

  const jobs = (options.schedules ?? defaultSchedules)
    .filter((schedule) => schedule.function === 'scheduled')
    .map((schedule) => {
      const { pattern, options: cronOptions } = toCronerPlan(schedule.expression)
      return new Cron(pattern, { ...cronOptions, name: schedule.name, protect: true }, async (job: Cron) => {
        if (stopping) return
        const firing = (job.currentRun() ?? new Date()).toISOString()
        try {
          const result = await track(
            runScheduled(deps, schedule.input, deadline(), { invocationId: `${schedule.name}@${firing}` }),
          )
          log(`ctflow serve: schedule ${schedule.name} → run ${result.runId} ${result.status}`)
        } catch (error) {
          log(`ctflow serve: schedule ${schedule.name} failed: ${describe(error)}`)
        }
      })
    })

  // Idle: PostgreSQL wakes the loop the moment a run is due (LISTEN/NOTIFY); other stores poll every workerIdleMs.
  const stop = new AbortController()
  const loop = (async () => {
    while (!stopping) {
      const since = new Date()
      let advanced = 0
      try {
        const result = await track(runWorker(deps, undefined, deadline()))
        advanced = result.advanced
        for (const failed of result.errors ?? [])
          log(`ctflow serve: run ${failed.runId} could not be advanced (tried again later): ${failed.error}`)
      } catch (error) {
        log(`ctflow serve: worker pass failed: ${describe(error)}`)
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
            log(`ctflow serve: delivering notifications failed (tried again later): ${describe(error)}`)
          }
          await sleep(workerIdleMs, stop.signal)
        }
      })()
    : Promise.resolve()

  return {
    url,
    runtime,
    jobs,
    async close() {
      stopping = true
      for (const job of jobs) job.stop()
      stop.abort()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await loop
      await notifyLoop
      await Promise.allSettled([...inFlight])
      await runtime.close()
    },
  }
=======
  const { port = 8080, hostname = '127.0.0.1' } = options
  const jobs: Cron[] = []
  const server = await startLongLivedServer({
    ...options,
    listen: async (fetch) => {
      const started = await listen(fetch, port, hostname)
      const address = started.address() as AddressInfo
      return {
        url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
        close: () => new Promise<void>((resolve) => started.close(() => resolve())),
      }
    },
    startTimers: (schedules, fire) => {
      for (const schedule of schedules) {
        const { pattern, options: cronOptions } = toCronerPlan(schedule.expression)
        jobs.push(
          new Cron(pattern, { ...cronOptions, name: schedule.name, protect: true }, async (job: Cron) => {
            await fire(schedule, job.currentRun() ?? new Date())
          }),
        )
      }
      return {
        stop: () => {
          for (const job of jobs) job.stop()
        },
      }
    },
  })
  return { url: server.url, runtime: server.runtime, jobs, close: () => server.close() }
>>>>>>> runtimes
}

/** The server could not listen (port in use, no permission, an address not on this machine); nothing was started. */
export class ListenError extends Error {
  override name = 'ListenError'
  constructor(
    readonly code: string,
    readonly hostname: string,
    readonly port: number,
  ) {
    const reasons: Record<string, string> = {
      EADDRINUSE: 'the port is already in use',
      EACCES: 'permission denied (ports below 1024 need privileges)',
      EADDRNOTAVAIL: "the address is not one of this machine's",
    }
    super(`cannot listen on ${hostname}:${port}: ${reasons[code] ?? code}`)
  }
}

function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  hostname: string,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    // node:net reports a failed listen as an 'error' event; unheard, it would crash the process with a stack.
    const onError = (error: NodeJS.ErrnoException) =>
      reject(new ListenError(error.code ?? error.message, hostname, port))
    // The Node server leaves the globals alone: other code in the process (tests, an embedded runtime) keeps its own.
    const started = serve({ fetch, port, hostname, overrideGlobalObjects: false }, () => {
      started.off('error', onError)
      resolve(started)
    })
    started.once('error', onError)
  })
}
