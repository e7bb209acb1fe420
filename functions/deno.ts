/**
 * Deno entry: the HTTP app on Deno.serve, the schedules on Deno.cron (run with --unstable-cron; without it, croner),
 * the worker loop in-process (functions/long-lived-server.ts).
 * `deno run --allow-net --allow-env --allow-read --allow-write --allow-sys --unstable-cron .package/deno/ctflow.js`;
 * PORT, HOST and the CTYUN_* / CTFLOW_* settings from the environment; `--trigger nightly-backup` fires one schedule
 * and exits. The engine uses `node:crypto` and `node:events`, which Deno provides.
 */
import type { LongLivedServerOptions, Listen } from './long-lived-server'
import { startCronerTimers } from './croner-timers'
import { toUnixCron } from './schedules'
import { runServeEntry } from './serve-entry'

/** The part of Deno's API used here (Deno's types are not installed in this Node project). */
declare const Deno: {
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { hostname: string; port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void>; finished: Promise<void> }
  cron?: (name: string, schedule: string, handler: () => Promise<void> | void) => Promise<void>
  env: { toObject(): Record<string, string> }
  args: string[]
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void
  exit(code: number): never
}

/** Deno.serve answers with the Response the app returns (Deno's own global: nothing replaced it). */
export function listenOnDeno(port: number, hostname: string): Listen {
  return (fetch) =>
    new Promise((resolve) => {
      const server = Deno.serve(
        {
          port,
          hostname,
          onListen: (addr) => {
            const host = addr.hostname.includes(':') ? `[${addr.hostname}]` : addr.hostname
            resolve({ url: `http://${host}:${addr.port}`, close: () => server.shutdown() })
          },
        },
        fetch,
      )
    })
}

/** Deno.cron where the runtime offers it (it cannot be unregistered: stop() makes later firings no-ops). */
const startDenoTimers: NonNullable<LongLivedServerOptions['startTimers']> = (schedules, fire, log) => {
  let stopped = false
  if (typeof Deno.cron === 'function') {
    for (const schedule of schedules)
      void Deno.cron(`ctflow ${schedule.name}`, toUnixCron(schedule.expression), async () => {
        if (!stopped) await fire(schedule)
      })
    return { stop: () => void (stopped = true) }
  }
  log.warn('ctflow (deno): Deno.cron is not enabled (--unstable-cron); the schedules run on croner')
  return startCronerTimers(schedules, fire)
}

if ((import.meta as { main?: boolean }).main) {
  const stopped = new Promise<void>((resolve) => {
    Deno.addSignalListener('SIGINT', () => resolve())
    Deno.addSignalListener('SIGTERM', () => resolve())
  })
  await runServeEntry({
    name: 'deno',
    env: Deno.env.toObject(),
    args: Deno.args,
    listen: listenOnDeno,
    startTimers: startDenoTimers,
    stopped,
    exit: (code) => Deno.exit(code),
  })
}
