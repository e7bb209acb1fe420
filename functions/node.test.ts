import { createServer, type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadFunctionsConfig } from '../lib/config/functions-config'
import { createEngine } from '../lib/engine/create-engine'
import { createMemoryStore } from '../lib/engine/stores/memory-store'
import { createLogging } from '../lib/log'
import { ListenError, startNodeServer, type NodeServer } from './node'
import { createFakeEngine, type FakeEngine } from './testing/fake-engine'
import { parseJsonLines } from './testing/json-lines'

const TOKEN = 'node-adapter-test-token'
let server: NodeServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(engine: FakeEngine, closed: string[] = [], { port = 0, workerIdleMs = 10 } = {}) {
  server = await startNodeServer({
    config: loadFunctionsConfig({ CTFLOW_API_TOKEN: TOKEN, CTFLOW_STORE: 'memory' }),
    openEngine: async () => ({ engine, close: async () => void closed.push('engine') }),
    port,
    workerIdleMs,
    log: () => {},
    schedules: [
      {
        name: 'nightly',
        function: 'scheduled',
        description: 'test',
        expression: 'cron(0 18 * * ? *)',
        input: { workflow: 'backup', input: { from: 'cron' } },
      },
      { name: 'worker', function: 'worker', description: 'test', expression: 'rate(1 minute)' },
    ],
  })
  return server
}

const auth = { authorization: `Bearer ${TOKEN}` }

describe('startNodeServer', () => {
  it('serves the app over real HTTP and advances a new run in the background after the 202', async () => {
    const engine = createFakeEngine()
    const { url } = await start(engine)
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true })
    const started = await fetch(`${url}/runs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: 'report', input: { n: 1 } }),
    })
    expect(started.status).toBe(202)
    const { runId } = (await started.json()) as { runId: string }
    await vi.waitFor(async () => {
      const run = (await (await fetch(`${url}/runs/${runId}`, { headers: auth })).json()) as { status: string }
      expect(run.status).toBe('SUCCEEDED')
    })
  })

  it('resumes due runs in its worker loop', async () => {
    const engine = createFakeEngine({ stepsToFinish: 3 })
    const { run } = await engine.start({ workflow: 'backup', input: {} })
    await start(engine)
    await vi.waitFor(() => expect(engine.runs.get(run.id)?.status).toBe('SUCCEEDED'))
  })

  it('runs the scheduled definitions with croner (only `scheduled` ones; the loop replaces the worker tick)', async () => {
    const engine = createFakeEngine()
    const { jobs } = await start(engine)
    expect(jobs.map((job) => job.name)).toEqual(['nightly'])
    expect(jobs[0]!.nextRun()!.toISOString()).toMatch(/T18:00:00\.000Z$/)
    jobs[0]!.trigger()
    await vi.waitFor(() => expect([...engine.runs.values()].map((r) => r.input)).toEqual([{ from: 'cron' }]))
    expect([...engine.runs.values()][0]!.idempotencyKey).toMatch(/^schedule:backup:nightly@/)
  })

  it('closes the engine when it stops', async () => {
    const closed: string[] = []
    const running = await start(createFakeEngine(), closed)
    await running.close()
    server = undefined
    expect(closed).toEqual(['engine'])
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow()
  })

  it('idles without piling listeners on its stop signal (no MaxListenersExceededWarning after many idle ticks)', async () => {
    const warnings: Error[] = []
    const onWarning = (warning: Error) => void warnings.push(warning)
    process.on('warning', onWarning)
    try {
      const engine = createFakeEngine()
      await start(engine, [], { workerIdleMs: 1 })
      // Each idle pass asks for due runs once, then sleeps 1 ms: 40 passes is four times the listener limit of 10.
      await vi.waitFor(
        () => expect(engine.calls.filter((call) => call === 'resumeDue').length).toBeGreaterThanOrEqual(40),
        { timeout: 10_000 },
      )
      await new Promise((resolve) => setImmediate(resolve)) // warnings are emitted on a later tick
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([])
    } finally {
      process.off('warning', onWarning)
    }
  })

  it('fails with ListenError when the port is taken, having started nothing and closed the engine', async () => {
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const taken = (holder.address() as AddressInfo).port
    try {
      const engine = createFakeEngine()
      const closed: string[] = []
      const starting = start(engine, closed, { port: taken })
      await expect(starting).rejects.toBeInstanceOf(ListenError)
      await expect(starting).rejects.toThrow(`cannot listen on 127.0.0.1:${taken}: the port is already in use`)
      expect(closed).toEqual(['engine'])
      expect(engine.calls).not.toContain('resumeDue') // the worker loop's first pass is immediate: it never began
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
  })

  it('a run that breaks its advance is failed in the worker loop; the runs behind it still finish', async () => {
    const store = createMemoryStore()
    const engine = createEngine({
      store,
      workflows: { pass: { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'ok', End: true } } } },
    })
    const past = new Date(Date.now() - 60_000)
    // Due first, every pass: a machine the engine cannot read (a throw outside the interpreter).
    await store.create({
      id: 'broken',
      workflow: 'pass',
      input: {},
      machine: { format: 1, status: 'running', frames: null },
      resumeAt: past,
      now: past,
      events: [],
    })
    const { run } = await engine.start({ workflow: 'pass', input: {} })
    const lines: string[] = []
    server = await startNodeServer({
      config: loadFunctionsConfig({ CTFLOW_API_TOKEN: TOKEN, CTFLOW_STORE: 'memory' }),
      openEngine: async () => ({ engine, close: async () => {} }),
      port: 0,
      workerIdleMs: 10,
      log: (line) => void lines.push(line),
      schedules: [],
    })
    await vi.waitFor(async () => expect((await engine.get(run.id))?.status).toBe('SUCCEEDED'))
    expect(await engine.get('broken')).toMatchObject({ status: 'FAILED', error: { error: 'States.Runtime' } })
    expect(lines.filter((line) => line.includes('failed'))).toEqual([])
  })

  it('delivers pending notifications from a loop of its own, beside the worker loop', async () => {
    const engine = createFakeEngine()
    const passes: number[] = []
    server = await startNodeServer({
      config: loadFunctionsConfig({ CTFLOW_API_TOKEN: TOKEN, CTFLOW_STORE: 'memory' }),
      openEngine: async () => ({
        engine,
        close: async () => {},
        deliverNotifications: async () => {
          passes.push(Date.now())
          return { sent: 0, retried: 0, givenUp: 0 }
        },
      }),
      port: 0,
      workerIdleMs: 10,
      log: () => {},
      schedules: [],
    })
    await vi.waitFor(() => expect(passes.length).toBeGreaterThanOrEqual(2))
  })

  it.each([
    ["lib/log's logger: JSON lines", true],
    ['a text function: the human line', false],
  ])('writes its own lines through %s', async (_, json) => {
    const engine = createFakeEngine()
    engine.resumeDue = async () => {
      throw new Error('store down')
    }
    const written: string[] = []
    const logging = createLogging({ level: 'info', secrets: [TOKEN] }, { write: (line) => void written.push(line) })
    server = await startNodeServer({
      config: loadFunctionsConfig({ CTFLOW_API_TOKEN: TOKEN, CTFLOW_STORE: 'memory' }),
      openEngine: async () => ({ engine, close: async () => {} }),
      port: 0,
      workerIdleMs: 10,
      log: json ? logging.logger : (line) => void written.push(line),
      schedules: [],
    })
    await vi.waitFor(() => expect(written.length).toBeGreaterThan(0))
    if (json)
      expect(parseJsonLines(written, [TOKEN])[0]).toMatchObject({
        level: 'error',
        msg: 'ctflow serve: worker pass failed',
        errorCode: 'Error',
        cause: 'store down',
      })
    else expect(written[0]).toBe('ctflow serve: worker pass failed: Error: store down')
  })
})
