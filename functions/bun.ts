/**
 * Bun entry: the HTTP app on Bun.serve, the schedules on croner, the worker loop in-process
 * (functions/long-lived-server.ts). `bun functions/bun.ts` (or the packaged .package/bun/ctflow.js); PORT, HOST and
 * the CTYUN_* / CTFLOW_* settings from the environment; `--trigger nightly-backup` fires one schedule and exits.
 */
import type { Listen } from './long-lived-server'
import { startCronerTimers } from './croner-timers'
import { runServeEntry } from './serve-entry'

/** The part of Bun's API used here (bun-types is not installed: one call does not justify it). */
declare const Bun: {
  serve(options: { port: number; hostname: string; fetch: (request: Request) => Response | Promise<Response> }): {
    port: number
    hostname: string
    stop(closeActiveConnections?: boolean): Promise<void> | void
  }
}

/** Bun.serve answers with the Response the app returns (Bun's own global: nothing replaced it). */
export function listenOnBun(port: number, hostname: string): Listen {
  return async (fetch) => {
    const server = Bun.serve({ port, hostname, fetch })
    const host = server.hostname.includes(':') ? `[${server.hostname}]` : server.hostname
    return { url: `http://${host}:${server.port}`, close: async () => void (await server.stop(true)) }
  }
}

if ((import.meta as { main?: boolean }).main) {
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
  await runServeEntry({
    name: 'bun',
    env: process.env,
    args: process.argv.slice(2),
    listen: listenOnBun,
    // A second after listening: croner's load and set-up would otherwise compete with the first request.
    startTimers: (schedules, fire) => startCronerTimers(schedules, fire, { afterMs: 1_000 }),
    stopped,
    exit: (code) => process.exit(code),
  })
}
