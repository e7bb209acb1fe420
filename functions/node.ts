import { serve, type ServerType } from '@hono/node-server'
import { Cron } from 'croner'
import type { AddressInfo } from 'node:net'
import { type LongLivedServerOptions, startLongLivedServer } from './long-lived-server'
import type { FunctionsRuntime } from './runtime'
import { toCronerPlan } from './schedules'

export interface NodeServerOptions extends Omit<LongLivedServerOptions, 'listen' | 'startTimers'> {
  port?: number
  hostname?: string
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
