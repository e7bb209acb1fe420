/**
 * The `main` shared by the Bun and Deno entries: settings from the environment, the store and CTyun target they
 * name, serve until SIGINT/SIGTERM; or, with `--trigger <schedule>`, fire that schedule once and exit (what the
 * runtime's timer would do, for a manual run or a test). Every line on stderr is one JSON object (lib/log); stdout
 * carries only `--trigger`'s result.
 */
import { loadFunctionsConfig } from '../lib/config'
import type { Logging } from '../lib/log'
import { errorFields, loggingFromEnv } from './function-logging'
import { type Listen, type LongLivedServerOptions, startLongLivedServer } from './long-lived-server'
import { openEngine } from './open-engine'

export interface EntryRuntime {
  /** e.g. "bun": log lines name it. */
  name: string
  env: Record<string, string | undefined>
  args: readonly string[]
  listen: (port: number, hostname: string) => Listen
  startTimers?: LongLivedServerOptions['startTimers']
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopped: Promise<void>
  exit(code: number): never
  /** Where a log line goes, without its newline (default: stderr through console.error). */
  write?: (line: string) => void
}

/** Serves ctflow on a runtime (PORT, default 8080; HOST, default 0.0.0.0), or fires one schedule with --trigger. */
export async function runServeEntry(runtime: EntryRuntime): Promise<void> {
  const logging = loggingFromEnv(runtime.env, { write: runtime.write ?? ((line) => console.error(line)) })
  const code = await serve(runtime, logging).catch((error: unknown) => {
    // One line with what to fix (the config errors name the variable); never a stack with settings in it.
    logging.logger.error(`ctflow (${runtime.name}): could not start`, errorFields(error))
    return 1
  })
  runtime.exit(code)
}

/** Serves until the runtime is asked to stop, or fires the `--trigger` schedule; resolves to the exit code. */
async function serve(runtime: EntryRuntime, logging: Logging): Promise<number> {
  const { logger } = logging
  const trigger = runtime.args.indexOf('--trigger')
  const port = Number(runtime.env.PORT ?? '8080')
  const hostname = runtime.env.HOST ?? '0.0.0.0'
  const config = loadFunctionsConfig(runtime.env)
  const server = await startLongLivedServer({
    config,
    openEngine: (resolved) => openEngine(resolved, { logging }),
    listen: trigger >= 0 ? async () => ({ url: '', close: async () => {} }) : runtime.listen(port, hostname),
    ...(trigger >= 0
      ? { workerIdleMs: 60_000 }
      : { startTimers: runtime.startTimers, workerLoopStart: { afterFirstRequestOrMs: 1_000 } }),
    log: logger,
  })
  if (trigger >= 0) {
    const result = await server.fire(runtime.args[trigger + 1] ?? '')
    console.log(JSON.stringify(result ?? null))
    await server.close()
    return result ? 0 : 1
  }
  const engine = server.runtime.describe ?? 'engine ready'
  logger.info(`ctflow (${runtime.name}): listening on ${server.url} (${engine})`, { url: server.url, engine })
  await runtime.stopped
  await server.close()
  logger.info(`ctflow (${runtime.name}): stopped`)
  return 0
}
