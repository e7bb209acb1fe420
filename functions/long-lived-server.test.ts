// The worker loop's start (workerLoopStart): the Bun and Deno entries keep its first pass off the first request's way.
import { describe, expect, it, vi } from 'vitest'
import { loadFunctionsConfig } from '../lib/config/functions-config'
import { type Listen, startLongLivedServer } from './long-lived-server'
import { createFakeEngine } from './testing/fake-engine'

const TOKEN = 'long-lived-server-token-0123456789'

/** A server on a fake engine, with a listen that keeps the app's fetch for the test. */
async function serve(workerLoopStart?: { afterFirstRequestOrMs: number }) {
  const engine = createFakeEngine()
  let app!: (request: Request) => Response | Promise<Response>
  const listen: Listen = async (fetch) => {
    app = fetch
    return { url: 'http://in-process', close: async () => {} }
  }
  const server = await startLongLivedServer({
    config: loadFunctionsConfig({ CTFLOW_API_TOKEN: TOKEN, CTFLOW_STORE: 'memory' }),
    openEngine: async () => ({ engine, close: async () => {} }),
    listen,
    schedules: [],
    workerIdleMs: 60_000,
    log: () => {},
    ...(workerLoopStart ? { workerLoopStart } : {}),
  })
  return { engine, server, app }
}

const passes = (engine: { calls: string[] }) => engine.calls.filter((call) => call === 'resumeDue').length

describe('startLongLivedServer: the worker loop', () => {
  it('makes its first pass at once by default', async () => {
    const { engine, server } = await serve()
    await vi.waitFor(() => expect(passes(engine)).toBe(1))
    await server.close()
  })

  it('with workerLoopStart, waits for the first request to be answered, then makes its pass', async () => {
    const { engine, server, app } = await serve({ afterFirstRequestOrMs: 60_000 })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(passes(engine)).toBe(0)
    expect((await app(new Request('http://in-process/healthz'))).status).toBe(200)
    await vi.waitFor(() => expect(passes(engine)).toBe(1))
    await server.close()
  })

  it('with workerLoopStart, makes its pass after afterFirstRequestOrMs when no request comes', async () => {
    const { engine, server } = await serve({ afterFirstRequestOrMs: 30 })
    expect(passes(engine)).toBe(0)
    await vi.waitFor(() => expect(passes(engine)).toBe(1))
    await server.close()
  })

  it('with workerLoopStart, closes at once before any pass, and makes none', async () => {
    const { engine, server } = await serve({ afterFirstRequestOrMs: 60_000 })
    await server.close()
    expect(passes(engine)).toBe(0)
  })
})
