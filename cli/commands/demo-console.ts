import { randomBytes } from 'node:crypto'
import type { CliIO } from '../command'
import { loadFunctionsConfig } from '../../lib/config'
import type { Engine } from '../../lib/engine'

export interface DemoConsole {
  url: string
  /** Waits for SIGINT/SIGTERM, then stops the server. */
  serveUntilStopped(): Promise<void>
  close(): Promise<void>
}

/**
 * `ctflow demo --console`: the demo's engine behind `ctflow serve`'s Node adapter (the same Hono app, worker loop, no
 * schedules), on 127.0.0.1. Prints the console's URL and a one-time sign-in link: the link holds a single-use code
 * valid for 5 minutes, never the API token (CTFLOW_API_TOKEN if set, else a random one that is printed nowhere).
 */
export async function serveDemoConsole(engine: Engine, port: number, io: CliIO): Promise<DemoConsole> {
  const [{ startNodeServer }, { createSignInCodes }] = await Promise.all([
    import('../../functions/node'),
    import('../../functions/http/console/sign-in-codes'),
  ])
  const signInCodes = createSignInCodes()
  const apiToken = io.env.CTFLOW_API_TOKEN?.trim() || randomBytes(24).toString('hex')
  const server = await startNodeServer({
    config: loadFunctionsConfig({ CTFLOW_API_TOKEN: apiToken, CTFLOW_STORE: 'memory' }),
    // The demo owns the engine (and its simulator): the server must not close it.
    openEngine: async () => ({ engine, describe: 'ctflow demo', close: async () => {} }),
    port,
    hostname: '127.0.0.1',
    schedules: [],
    signInCodes,
    log: (line) => io.stderr(`${line}\n`),
  })
  io.stderr(`console: ${server.url}/console\n`)
  io.stderr(`sign in (one use, 5 min): ${server.url}/console/sign-in?code=${signInCodes.issue()}\n\n`)
  return {
    url: server.url,
    async serveUntilStopped() {
      io.stderr(
        `\nctflow demo: the console is still serving at ${server.url}/console (Ctrl-C to stop).\n` +
          `another sign-in link (one use, 5 min): ${server.url}/console/sign-in?code=${signInCodes.issue()}\n`,
      )
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) resolve()
        else io.signal.addEventListener('abort', () => resolve(), { once: true })
      })
    },
    close: () => server.close(),
  }
}
