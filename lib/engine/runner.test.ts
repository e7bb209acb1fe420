import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { createActionRegistry, type ActionContext } from './actions/registry'
import { createEngine } from './create-engine'
import type { WorkflowDefinition } from './interpreter/definition'
import { createMemoryStore } from './stores/memory-store'
import { createFakeClock } from './testing/fake-clock'
import { runWorkflow } from './testing/run-workflow'

const task = (resource: string, extra: object = {}) => ({
  StartAt: 'T',
  States: { T: { Type: 'Task', Resource: resource, End: true, ...extra } },
})

describe('Task states', () => {
  it('calls the action with the effective input and applies ResultSelector, ResultPath and OutputPath', async () => {
    const seen: unknown[] = []
    const { run } = await runWorkflow(
      task('my:add', {
        Parameters: { 'a.$': '$.x', b: 2 },
        ResultSelector: { 'sum.$': '$.sum' },
        ResultPath: '$.result',
        OutputPath: '$.result',
      }),
      { x: 1 },
      { actions: { 'my:add': { call: (input: any) => (seen.push(input), { sum: input.a + input.b, noise: true }) } } },
    )
    expect(seen).toEqual([{ a: 1, b: 2 }])
    expect(run.output).toEqual({ sum: 3 })
  })

  it('retries with IntervalSeconds × BackoffRate^n and then succeeds, each attempt with its own clientToken', async () => {
    const tokens: string[] = []
    let calls = 0
    const { run, clock, history } = await runWorkflow(
      task('my:flaky', {
        Retry: [{ ErrorEquals: ['Ctyun.Throttled'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }],
      }),
      {},
      {
        actions: {
          'my:flaky': {
            call: (_input: unknown, ctx: ActionContext) => {
              tokens.push(ctx.clientToken)
              if (++calls < 3) throw Object.assign(new Error('slow down'), { name: 'Ctyun.Throttled' })
              return 'ok'
            },
          },
        },
      },
    )
    expect(run.output).toBe('ok')
    expect(clock.sleeps).toEqual([2000, 6000])
    expect(new Set(tokens).size).toBe(3)
    expect(history.filter((e) => e.type === 'TaskRetryScheduled')).toHaveLength(2)
  })

  it('falls to Catch once the retrier is used up, with Error and Cause at ResultPath', async () => {
    const { run } = await runWorkflow(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'my:bad',
            Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1 }],
            Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'H' }],
            End: true,
          },
          H: { Type: 'Pass', End: true },
        },
      },
      { a: 1 },
      {
        actions: {
          'my:bad': {
            call: () => {
              throw new Error('no disk')
            },
          },
        },
      },
    )
    expect(run.output).toEqual({ a: 1, error: { Error: 'Error', Cause: 'no disk' } })
  })

  it('an uncaught task error fails the run with its name and cause', async () => {
    const { run } = await runWorkflow(
      task('my:bad'),
      {},
      {
        actions: {
          'my:bad': {
            call: () => {
              throw Object.assign(new Error('quota'), { name: 'QuotaError' })
            },
          },
        },
      },
    )
    expect(run.status).toBe('FAILED')
    expect(run.error).toEqual({ error: 'QuotaError', cause: 'quota' })
  })

  it('TimeoutSeconds cuts a call that does not return: States.Timeout', async () => {
    const { run } = await runWorkflow(
      task('my:hang', { TimeoutSeconds: 1 }),
      {},
      {
        actions: {
          'my:hang': {
            call: (_i: unknown, ctx: ActionContext) =>
              new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))),
          },
        },
      },
    )
    expect(run.error?.error).toBe('States.Timeout')
  }, 10_000)

  it('a .sync task starts once and polls its probe until done, sleeping between polls', async () => {
    let starts = 0
    let polls = 0
    const { run, clock, history } = await runWorkflow(
      task('my:build.sync'),
      { n: 1 },
      {
        actions: {
          'my:build': {
            start: (input: any) => (starts++, { id: `b-${input.n}` }),
            probe: (handle: any) =>
              ++polls < 3
                ? { state: 'pending', status: 'building' }
                : { state: 'done', status: 'ok', value: { id: handle.id, done: true } },
          },
        },
      },
    )
    expect(run.output).toEqual({ id: 'b-1', done: true })
    expect([starts, polls]).toEqual([1, 3])
    expect(clock.sleeps).toEqual([1000, 1000])
    expect(history.map((e) => e.type)).toContain('TaskStarted')
  })

  it('a .sync probe that fails fails the task with the error it names', async () => {
    const { run } = await runWorkflow(
      task('my:build.sync'),
      {},
      {
        actions: {
          'my:build': {
            start: () => 'h',
            probe: () => ({ state: 'failed', status: 'error', reason: 'disk full', error: 'Build.Failed' }),
          },
        },
      },
    )
    expect(run.error?.error).toBe('Build.Failed')
    expect(run.error?.cause).toMatch(/disk full/)
  })

  it('a .sync probe that fails without naming its error is States.TaskFailed', async () => {
    const { run } = await runWorkflow(
      task('my:build.sync'),
      {},
      {
        actions: {
          'my:build': { start: () => 'h', probe: () => ({ state: 'failed', status: 'error', reason: 'disk full' }) },
        },
      },
    )
    expect(run.error?.error).toBe('States.TaskFailed')
    expect(run.error?.cause).toMatch(/my:build\.sync ended with status "error": disk full/)
  })

  it("names a task's thrown error with the registry's error mappers, a start's and a probe's too", async () => {
    class QuotaError extends Error {}
    const actions = createActionRegistry()
      .mapErrors((thrown) =>
        thrown instanceof QuotaError ? { error: 'My.Quota', cause: `mapped: ${thrown.message}` } : undefined,
      )
      .register('my:call', {
        call: () => {
          throw new QuotaError('calls')
        },
      })
      .register('my:start', {
        start: () => {
          throw new QuotaError('starts')
        },
        probe: () => ({ state: 'done', status: 'ok' }),
      })
      .register('my:probe', {
        start: () => 'h',
        probe: () => {
          throw new QuotaError('probes')
        },
      })
    for (const [resource, cause] of [
      ['my:call', 'mapped: calls'],
      ['my:start.sync', 'mapped: starts'],
      ['my:probe.sync', 'mapped: probes'],
    ]) {
      const { run } = await runWorkflow(task(resource!), {}, { actions })
      expect(run.error, resource).toEqual({ error: 'My.Quota', cause })
    }
  })

  it('Map iterations run Tasks in item order with MaxConcurrency', async () => {
    let running = 0
    let peak = 0
    const { run } = await runWorkflow(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            MaxConcurrency: 2,
            ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'my:sq', End: true } } },
            End: true,
          },
        },
      },
      [1, 2, 3, 4, 5],
      {
        actions: {
          'my:sq': {
            call: async (n: any) => {
              running++
              peak = Math.max(peak, running)
              await Promise.resolve()
              running--
              return n * n
            },
          },
        },
      },
    )
    expect(run.output).toEqual([1, 4, 9, 16, 25])
    expect(peak).toBe(2)
  })
})

describe('durable runs', () => {
  function setup(definition: object, actions = createActionRegistry()) {
    const clock = createFakeClock()
    const store = createMemoryStore()
    const engine = createEngine({
      store,
      actions,
      workflows: { wf: definition as WorkflowDefinition },
      clock,
      random: () => 0.5,
      leaseMs: 30_000,
    })
    return { clock, store, engine }
  }

  it('a Wait beyond the budget suspends the run with resumeAt; resumeDue continues it', async () => {
    const { clock, engine } = setup({
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 3600, Next: 'P' }, P: { Type: 'Pass', Result: 'done', End: true } },
    })
    const { run } = await engine.start({ workflow: 'wf', input: {} })
    const suspended = await engine.advance(run.id, { deadline: clock.now() + 10_000 })
    expect(suspended.status).toBe('RUNNING')
    expect(suspended.resumeAt?.getTime()).toBe(clock.now() + 3_600_000)
    expect(await engine.resumeDue({ deadline: clock.now() + 10_000 })).toEqual({ advanced: 0 })
    clock.advance(3_600_000)
    expect(await engine.resumeDue({ deadline: clock.now() + 10_000 })).toEqual({ advanced: 1 })
    const finished = await engine.get(run.id)
    expect(finished?.status).toBe('SUCCEEDED')
    expect(finished?.output).toBe('done')
    expect((await engine.history(run.id)).map((e) => e.type)).toContain('ExecutionSuspended')
  })

  it('a Task whose result was saved is never called again; an in-flight one is re-issued with the same clientToken', async () => {
    const tokens: string[] = []
    let crash = true
    const actions = createActionRegistry().register('my:create', {
      call: (_input: unknown, ctx: ActionContext) => {
        tokens.push(ctx.clientToken)
        if (crash) {
          crash = false
          throw new Error('process died') // stands in for a crash: the outcome is lost below
        }
        return { id: 'r-1' }
      },
    })
    const { clock, store, engine } = setup(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Task', Resource: 'my:create', Next: 'B' },
          B: { Type: 'Task', Resource: 'my:create', End: true },
        },
      },
      actions,
    )
    const { run } = await engine.start({ workflow: 'wf', input: {} })
    // Simulate the crash: save the machine as it was right after TaskScheduled, i.e. take the lease and never apply.
    const lease = await store.acquire(run.id, { owner: 'dead', leaseMs: 1000, now: new Date(clock.now()) })
    const { step } = await import('./interpreter/interpreter')
    const machine = (await store.get(run.id))!.machine as never
    const result = step(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Task', Resource: 'my:create', Next: 'B' },
          B: { Type: 'Task', Resource: 'my:create', End: true },
        },
      },
      machine,
      {
        now: clock.now(),
        random: () => 0.5,
        execution: { runId: run.id, workflowName: 'wf', input: {}, startTime: run.createdAt.toISOString() },
      },
    )
    await store.save(lease!, {
      status: 'RUNNING',
      machine,
      resumeAt: new Date(clock.now()),
      events: result.events,
      now: new Date(clock.now()),
    })
    tokens.push(result.commands[0]!.clientToken) // the token the dead process would have sent
    crash = false
    clock.advance(2000) // the dead lease expires
    const finished = await engine.advance(run.id, { deadline: clock.now() + 10_000 })
    expect(finished.status).toBe('SUCCEEDED')
    expect(tokens[0]).toBe(tokens[1]) // A re-issued with the same token
    expect(tokens).toHaveLength(3) // A (dead), A (resumed), B — A was not called a third time
    expect(tokens[2]).not.toBe(tokens[0])
  })

  it('clientTokens are the same for the same run, state visit and attempt', async () => {
    const a = await runWorkflow(
      task('my:t'),
      {},
      { actions: { 'my:t': { call: (_: unknown, ctx: ActionContext) => ctx.clientToken } } },
    )
    const b = await runWorkflow(
      task('my:t'),
      {},
      { actions: { 'my:t': { call: (_: unknown, ctx: ActionContext) => ctx.clientToken } } },
    )
    expect(a.run.output).toMatch(/^[0-9a-f]{32}$/)
    expect(a.run.output).not.toBe(b.run.output) // different runs
  })

  it('cancel aborts a suspended run at once', async () => {
    const { clock, engine } = setup({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } })
    const { run } = await engine.start({ workflow: 'wf', input: {} })
    await engine.advance(run.id, { deadline: clock.now() + 1000 })
    const cancelled = await engine.cancel(run.id)
    expect(cancelled?.status).toBe('ABORTED')
    expect(cancelled?.resumeAt).toBeNull()
    expect((await engine.history(run.id)).at(-1)?.type).toBe('ExecutionAborted')
  })

  it('starting with an idempotency key returns the existing run', async () => {
    const { engine } = setup({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } })
    const first = await engine.start({ workflow: 'wf', input: { a: 1 }, idempotencyKey: 'k1' })
    const second = await engine.start({ workflow: 'wf', input: { a: 2 }, idempotencyKey: 'k1' })
    expect(second.created).toBe(false)
    expect(second.run.id).toBe(first.run.id)
  })

  it('a budget that runs out mid-chain leaves the run due now, and it continues where it stopped', async () => {
    const { clock, engine } = setup({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'B' },
        B: { Type: 'Pass', Next: 'C' },
        C: { Type: 'Pass', Result: 'c', End: true },
      },
    })
    const { run } = await engine.start({ workflow: 'wf', input: {} })
    const stopped = await engine.advance(run.id, { deadline: clock.now() })
    expect(stopped.status).toBe('RUNNING')
    expect(stopped.resumeAt?.getTime()).toBeLessThanOrEqual(clock.now())
    expect((await engine.resumeDue({ deadline: clock.now() + 1 })).advanced).toBe(1)
    expect((await engine.get(run.id))?.output).toBe('c')
  })

  it('refuses an unknown resource or a broken transition before anything starts, listing every problem', () => {
    expect(() =>
      createEngine({
        store: createMemoryStore(),
        workflows: {
          wf: { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'nope:x', Next: 'Gone' } } } as WorkflowDefinition,
        },
      }),
    ).toThrow(/Gone[\s\S]*nope:x|nope:x[\s\S]*Gone/)
  })
})

describe('save policy', () => {
  const chain = {
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Next: 'B' },
      B: { Type: 'Pass', Next: 'C' },
      C: { Type: 'Pass', Next: 'D' },
      D: { Type: 'Pass', End: true },
    },
  }

  async function runWith(saveEvery: 'boundary' | 'transition') {
    const clock = createFakeClock()
    const engine = createEngine({
      store: createMemoryStore(),
      workflows: { wf: chain as WorkflowDefinition },
      clock,
      saveEvery,
    })
    const { run } = await engine.start({ workflow: 'wf', input: { x: 1 } })
    const done = await engine.runToEnd(run.id)
    return { done, types: (await engine.history(run.id)).map((e) => e.type) }
  }

  it('boundary saves pure transitions together; transition saves each step; the history is the same', async () => {
    const boundary = await runWith('boundary')
    const each = await runWith('transition')
    expect(boundary.done.output).toEqual({ x: 1 })
    expect(each.done.output).toEqual({ x: 1 })
    expect(boundary.types).toEqual(each.types)
    expect(boundary.done.version).toBeLessThan(each.done.version)
    expect(each.done.version).toBeGreaterThanOrEqual(4)
  })
})

describe('long in-process waits', () => {
  it('let go of the lease while sleeping, so a cancel ends the run at once', async () => {
    const clock = createFakeClock()
    const store = createMemoryStore()
    const engine = createEngine({
      store,
      workflows: {
        wf: {
          StartAt: 'W',
          States: { W: { Type: 'Wait', Seconds: 600, Next: 'P' }, P: { Type: 'Pass', End: true } },
        } as WorkflowDefinition,
      },
      clock,
      leaseMs: 30_000,
    })
    const { run } = await engine.start({ workflow: 'wf', input: {} })
    const sleep = clock.sleep
    let cancelled: unknown
    clock.sleep = async (ms: number) => {
      if (ms > 100_000) cancelled = (await engine.cancel(run.id))?.status // another process cancels mid-wait
      await sleep(ms)
    }
    const done = await engine.runToEnd(run.id)
    expect(cancelled).toBe('ABORTED')
    expect(done.status).toBe('ABORTED')
    expect((await engine.history(run.id)).map((e) => e.type)).not.toContain('PassStateEntered')
  })

  it('a short wait keeps the lease: nobody else can take the run meanwhile', async () => {
    const clock = createFakeClock()
    const store = createMemoryStore()
    const engine = createEngine({
      store,
      workflows: { wf: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, End: true } } } as WorkflowDefinition },
      clock,
      leaseMs: 30_000,
    })
    const { run } = await engine.start({ workflow: 'wf', input: {} })
    const sleep = clock.sleep
    let stolen: unknown = 'not tried'
    clock.sleep = async (ms: number) => {
      stolen = await store.acquire(run.id, { owner: 'other', leaseMs: 30_000, now: new Date(clock.now()) })
      await sleep(ms)
    }
    expect((await engine.runToEnd(run.id)).status).toBe('SUCCEEDED')
    expect(stolen).toBeUndefined()
  })
})

describe('start', () => {
  it('refuses input that does not match the workflow input schema, naming every problem; nothing is created', async () => {
    const store = createMemoryStore()
    const engine = createEngine({
      store,
      checkInputSchema: true,
      workflows: [
        {
          name: 'wf',
          definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as WorkflowDefinition,
          inputSchema: {
            type: 'object',
            required: ['regionID'],
            additionalProperties: false,
            properties: { regionID: { type: 'string' } },
          },
        },
      ],
    })
    await expect(engine.start({ workflow: 'wf', input: { region: 'x' } })).rejects.toMatchObject({
      name: 'EngineInputError',
      field: 'input/regionID',
      message: expect.stringMatching(/\/regionID is required; \/region is not a known field/),
    })
    expect((await store.list({})).runs).toEqual([])
    await expect(engine.start({ workflow: 'nope', input: {} })).rejects.toThrow(/Unknown workflow "nope"/)
    expect((await engine.start({ workflow: 'wf', input: { regionID: 'r' } })).created).toBe(true)
  })
})

describe('calls in flight', () => {
  it('a slow call in one Map iteration does not hold back another iteration', async () => {
    let releaseFirst!: () => void
    const secondIterationDone = new Promise<void>((resolve) => (releaseFirst = resolve))
    const order: string[] = []
    const actions = createActionRegistry().register('my:step', {
      call: async (input: any) => {
        order.push(`${input.item}.${input.n} start`)
        if (input.item === 0 && input.n === 1) await secondIterationDone // waits for item 1 to finish both steps
        if (input.item === 1 && input.n === 2) releaseFirst()
        order.push(`${input.item}.${input.n} end`)
        return input.item
      },
    })
    const definition = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'One',
            States: {
              One: {
                Type: 'Task',
                Resource: 'my:step',
                Parameters: { 'item.$': '$', n: 1 },
                ResultPath: null,
                Next: 'Two',
              },
              Two: { Type: 'Task', Resource: 'my:step', Parameters: { 'item.$': '$', n: 2 }, End: true },
            },
          },
          End: true,
        },
      },
    }
    const engine = createEngine({
      store: createMemoryStore(),
      actions,
      workflows: { wf: definition as WorkflowDefinition },
      clock: createFakeClock(),
    })
    const { run } = await engine.start({ workflow: 'wf', input: [0, 1] })
    const done = await engine.runToEnd(run.id, AbortSignal.timeout(5_000))
    expect(done.status).toBe('SUCCEEDED')
    expect(done.output).toEqual([0, 1])
    expect(order.indexOf('1.2 end')).toBeLessThan(order.indexOf('0.1 end'))
  })
})

describe('the budget signal', () => {
  it('keeps no listener behind once a run has waited for its calls (12 calls; Node warns from 11)', async () => {
    const controller = new AbortController()
    const actions = createActionRegistry().register('my:slow', {
      call: () => new Promise((resolve) => setTimeout(() => resolve(1), 1)),
    })
    const tasks: Record<string, object> = {}
    for (let i = 0; i < 12; i++)
      tasks[`T${i}`] = { Type: 'Task', Resource: 'my:slow', ...(i < 11 ? { Next: `T${i + 1}` } : { End: true }) }
    const engine = createEngine({
      store: createMemoryStore(),
      actions,
      workflows: { slow: { StartAt: 'T0', States: tasks } as WorkflowDefinition },
    })
    const { run } = await engine.start({ workflow: 'slow', input: {} })

    const done = await engine.advance(run.id, { deadline: Date.now() + 10_000, signal: controller.signal })

    expect(done.status).toBe('SUCCEEDED')
    expect(getEventListeners(controller.signal, 'abort')).toEqual([])
  })
})
