// The Bun and Deno entries' main, run in Node with an in-process listen: every line it writes is one JSON object.
import { describe, expect, it, vi } from 'vitest'
import { type EntryRuntime, runServeEntry } from './serve-entry'
import { parseJsonLines } from './testing/json-lines'
import { useSharedSimulator } from './testing/shared-simulator'

const TOKEN = 'serve-entry-api-token-0123456789'
const WEBHOOK_SECRET = 'whsec_c2VydmUtZW50cnktd2ViaG9vay1zZWNyZXQ='
const sim = useSharedSimulator()

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`)
  }
}

/** The entry with a listen that keeps the app's fetch for the test, and an exit that ends the main. */
function entry(env: Record<string, string>) {
  const written: string[] = []
  let app: ((request: Request) => Response | Promise<Response>) | undefined
  let stop!: () => void
  const runtime: EntryRuntime = {
    name: 'test',
    env,
    args: [],
    listen: () => async (fetch) => {
      app = fetch
      return { url: 'http://in-process', close: async () => {} }
    },
    stopped: new Promise<void>((resolve) => {
      stop = resolve
    }),
    exit: (code) => {
      throw new Exit(code)
    },
    write: (line) => void written.push(line),
  }
  const exited = runServeEntry(runtime).then(
    () => undefined,
    (error: unknown) => (error instanceof Exit ? error.code : Promise.reject(error)),
  )
  return { written, exited, stop, app: () => app }
}

describe('runServeEntry (Bun, Deno)', () => {
  it('writes every line as one JSON object: listening, the run over HTTP (start, Task calls, end), stopped', async () => {
    const env = sim.env({
      CTFLOW_API_TOKEN: TOKEN,
      CTFLOW_WEBHOOK_SECRET: WEBHOOK_SECRET,
    })
    const { written, exited, stop, app } = entry(env)
    await vi.waitFor(() => expect(written.join('')).toContain('listening on http://in-process'))
    const auth = { authorization: `Bearer ${TOKEN}` }
    const started = await app()!(
      new Request('http://in-process/runs', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ workflow: 'inventory', input: {} }),
      }),
    )
    expect(started.status).toBe(202)
    const { runId } = (await started.json()) as { runId: string }
    await vi.waitFor(async () => {
      const run = await app()!(new Request(`http://in-process/runs/${runId}`, { headers: auth }))
      expect(((await run.json()) as { status: string }).status).toBe('SUCCEEDED')
    })
    stop()
    expect(await exited).toBe(0)

    const lines = parseJsonLines(written, [TOKEN, WEBHOOK_SECRET, ...sim.secrets()])
    expect(lines[0]).toMatchObject({ level: 'info', url: 'http://in-process', msg: expect.stringMatching(/listening/) })
    expect(lines.filter((line) => line.runId === runId).map((line) => line.msg)).toEqual(
      expect.arrayContaining(['run started', 'run ended']),
    )
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'ctflow (test): stopped' })
  })

  it('says what to fix in one JSON line when the settings are wrong, and exits 1', async () => {
    const { written, exited } = entry({ CTFLOW_STORE: 'memory', CTFLOW_API_TOKEN: 'short' })
    expect(await exited).toBe(1)
    const lines = parseJsonLines(written, ['short'])
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'ctflow (test): could not start',
        errorCode: expect.any(String),
        cause: expect.stringMatching(/CTFLOW_API_TOKEN/),
      }),
    ])
  })
})
