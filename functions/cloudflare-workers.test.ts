// The Workers entry in Node (console.log captured): every line it writes is one JSON object, and none holds a secret.
import { afterEach, describe, expect, it, vi } from 'vitest'
import workers, { type WorkersExecutionContext } from './cloudflare-workers'
import { parseJsonLines } from './testing/json-lines'
import { useSharedSimulator } from './testing/shared-simulator'

const TOKEN = 'workers-api-token-0123456789abcdef'
const sim = useSharedSimulator()
afterEach(() => {
  vi.restoreAllMocks()
})

function capture(): string[] {
  const written: string[] = []
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void written.push(String(line)))
  return written
}

function executionContext(): WorkersExecutionContext & { settled(): Promise<void> } {
  const pending: Promise<unknown>[] = []
  return {
    waitUntil: (promise) => void pending.push(promise),
    settled: async () => {
      while (pending.length) await Promise.allSettled(pending.splice(0))
    },
  }
}

describe('Cloudflare Workers entry', () => {
  it('writes a setup error as one JSON line with the request id the caller gets, never the token', async () => {
    const written = capture()
    const response = await workers.fetch(
      new Request('https://worker.example/runs'),
      { CTFLOW_API_TOKEN: TOKEN },
      executionContext(),
    )
    expect(response.status).toBe(500)
    const lines = parseJsonLines(written, [TOKEN])
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'ctflow (workers): setup failed',
        errorCode: 'WorkersSetupError',
      }),
    ])
    expect(lines[0]!.requestId).toEqual(expect.any(String))
  })

  it('writes a run started over HTTP (start, Task calls, end) and a Cron Trigger result as JSON lines', async () => {
    const written = capture()
    const env = sim.env({
      CTFLOW_API_TOKEN: TOKEN,
    })
    const ctx = executionContext()
    const started = await workers.fetch(
      new Request('https://worker.example/runs', {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ workflow: 'inventory', input: {} }),
      }),
      env,
      ctx,
    )
    expect(started.status).toBe(202)
    const { runId } = (await started.json()) as { runId: string }
    await ctx.settled()
    await workers.scheduled({ cron: '* * * * *', scheduledTime: Date.now() }, env, executionContext())

    const lines = parseJsonLines(written, [TOKEN, ...sim.secrets()])
    expect(lines.filter((line) => line.runId === runId).map((line) => line.msg)).toEqual(
      expect.arrayContaining(['run started', 'run ended']),
    )
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'ctflow worker (workers)' })
  })
})
