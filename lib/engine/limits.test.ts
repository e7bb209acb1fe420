import { describe, expect, it } from 'vitest'
import { createActionRegistry } from './actions/registry'
import { assembleEngine, EngineInputError } from './assemble-engine'
import { createEngine } from './create-engine'
import type { WorkflowDefinition } from './interpreter/definition'
import { measureJson } from './language/json-size'
import { DEFAULT_LIMITS, resolveLimits, type EngineLimits } from './limits'
import type { HistoryEvent, RunRecord } from './run'
import { createMemoryStore } from './stores/memory-store'
import type { RunStore, RunUpdate } from './stores/run-store'
import { createFakeClock } from './testing/fake-clock'
import { runWorkflow } from './testing/run-workflow'

function setup(
  workflows: Record<string, unknown>,
  options: { store?: RunStore; limits?: Partial<EngineLimits>; actions?: ReturnType<typeof createActionRegistry> } = {},
) {
  const clock = createFakeClock()
  const store = options.store ?? createMemoryStore()
  const engine = createEngine({
    store,
    workflows: workflows as Record<string, WorkflowDefinition>,
    clock,
    random: () => 0.5,
    leaseMs: 30_000,
    ...(options.actions ? { actions: options.actions } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  })
  return { clock, store, engine }
}

/** The largest payload (event detail) in a history, in bytes of JSON. */
function largestDetail(history: HistoryEvent[]): number {
  return Math.max(
    ...history.map((event) => (event.detail === undefined ? 0 : Buffer.byteLength(JSON.stringify(event.detail)))),
  )
}

describe('limits', () => {
  it('defaults to Step Functions’ quotas and refuses a limit that is not a positive integer, naming it', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxHistoryEvents: 25_000, maxPayloadBytes: 262_144, maxWorkerAttempts: 5 })
    expect(resolveLimits({ maxHistoryEvents: 10 })).toEqual({ ...DEFAULT_LIMITS, maxHistoryEvents: 10 })
    expect(() => resolveLimits({ maxPayloadBytes: 0 })).toThrow(
      /limits\.maxPayloadBytes must be a positive integer, got 0/,
    )
    expect(() => resolveLimits({ maxWorkerAttempts: 1.5 })).toThrow(/limits\.maxWorkerAttempts/)
    expect(() => createEngine({ store: createMemoryStore(), workflows: {}, limits: { maxHistoryEvents: -1 } })).toThrow(
      /limits\.maxHistoryEvents/,
    )
  })
})

describe('history limit', () => {
  // Pass → Choice → Pass … forever: the loop that wrote 21.5 million events before.
  const endless = {
    StartAt: 'Inc',
    States: {
      Inc: { Type: 'Pass', Next: 'Check' },
      Check: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Inc' },
      Done: { Type: 'Succeed' },
    },
  }

  it('an endless loop fails with States.Runtime naming the limit at 25,000 events; the store holds those and the failure', async () => {
    const { run, history } = await runWorkflow(endless, {})

    expect(run.status).toBe('FAILED')
    expect(run.error?.error).toBe('States.Runtime')
    expect(run.error?.cause).toMatch(/limit of 25,000 history events \(limits\.maxHistoryEvents/)
    expect(run.historyLength).toBe(25_001)
    expect(history).toHaveLength(25_001)
    expect(history.at(-1)).toMatchObject({ seq: 25_001, type: 'ExecutionFailed', detail: run.error })
    expect(run.machine).toMatchObject({ status: 'failed', frames: {} })
  })

  it('counts the events of earlier advances: a loop that suspends each turn stops at the configured limit', async () => {
    const napping = {
      StartAt: 'Nap',
      States: {
        Nap: { Type: 'Wait', Seconds: 60, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Nap' },
        Done: { Type: 'Succeed' },
      },
    }
    const { clock, engine } = setup({ napping }, { limits: { maxHistoryEvents: 40 } })
    const { run } = await engine.start({ workflow: 'napping', input: {} })
    let current: RunRecord = run
    let advances = 0
    while (current.status === 'RUNNING' && advances < 100) {
      current = await engine.advance(run.id, { deadline: clock.now() + 1_000 }) // suspends at each Wait
      clock.advance(60_000)
      advances += 1
    }

    expect(advances).toBeGreaterThan(5)
    expect(current).toMatchObject({ status: 'FAILED', error: { error: 'States.Runtime' }, historyLength: 41 })
    expect(current.error?.cause).toMatch(/limit of 40 history events/)
    expect(
      (await engine.history(run.id)).map((event) => event.type).filter((type) => type === 'ExecutionSuspended').length,
    ).toBeGreaterThan(5)
  })
})

describe('payload limit', () => {
  // Each turn doubles the input as JSON (both members name the same object: small in memory, not as JSON).
  const doubling = {
    StartAt: 'Double',
    States: {
      Double: { Type: 'Pass', Parameters: { 'a.$': '$', 'b.$': '$' }, Next: 'Check' },
      Check: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Double' },
      Done: { Type: 'Succeed' },
    },
  }

  it('a Pass that doubles its input fails with States.DataLimitExceeded before anything larger than the limit is kept', async () => {
    const { run, history } = await runWorkflow(doubling, { seed: 'x'.repeat(100) })

    expect(run.status).toBe('FAILED')
    expect(run.error?.error).toBe('States.DataLimitExceeded')
    expect(run.error?.cause).toBe(
      'The output of state "Double" is larger than the payload limit of 262,144 bytes of JSON',
    )
    expect(largestDetail(history)).toBeLessThanOrEqual(262_144 + 100)
  })

  it('a state input after Parameters over the limit fails the state even when its output (ResultPath null) is small', async () => {
    const { run } = await runWorkflow(
      {
        StartAt: 'P',
        States: { P: { Type: 'Pass', Parameters: { 'a.$': '$.half', 'b.$': '$.half' }, ResultPath: null, End: true } },
      },
      { half: 'h'.repeat(150_000) },
    )
    expect(run.error).toEqual({
      error: 'States.DataLimitExceeded',
      cause:
        'The input (after InputPath and Parameters) of state "P" is larger than the payload limit of 262,144 bytes of JSON',
    })
  })

  it('a state output over the limit is caught by a Catch naming States.DataLimitExceeded, but not by States.ALL', async () => {
    // The result fits, the input fits; the result placed into the input does not.
    const big = (catchName: string) => ({
      StartAt: 'Add',
      States: {
        Add: {
          Type: 'Task',
          Resource: 'my:half',
          ResultPath: '$.more',
          Catch: [{ ErrorEquals: [catchName], ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', OutputPath: '$.error', End: true },
      },
    })
    const actions = { 'my:half': { call: () => 'y'.repeat(150_000) } }

    const caught = await runWorkflow(big('States.DataLimitExceeded'), { half: 'x'.repeat(150_000) }, { actions })
    const uncaught = await runWorkflow(big('States.ALL'), { half: 'x'.repeat(150_000) }, { actions })

    expect(caught.run.status).toBe('SUCCEEDED')
    expect(caught.run.output).toEqual({
      Error: 'States.DataLimitExceeded',
      Cause: 'The output of state "Add" is larger than the payload limit of 262,144 bytes of JSON',
    })
    expect(uncaught.run).toMatchObject({ status: 'FAILED', error: { error: 'States.DataLimitExceeded' } })
  })

  it('a Task result over the limit fails the Task with States.DataLimitExceeded (a Retry or Catch may name it)', async () => {
    let calls = 0
    const { run, history } = await runWorkflow(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'my:dump',
            Retry: [{ ErrorEquals: ['States.DataLimitExceeded'], MaxAttempts: 1 }],
            Catch: [{ ErrorEquals: ['States.DataLimitExceeded'], Next: 'Small' }],
            End: true,
          },
          Small: { Type: 'Pass', Result: 'fallback', End: true },
        },
      },
      {},
      {
        actions: {
          'my:dump': {
            call: () => (calls++, { rows: Array.from({ length: 30_000 }, (_, i) => ({ i, name: `row-${i}` })) }),
          },
        },
      },
    )

    expect(run).toMatchObject({ status: 'SUCCEEDED', output: 'fallback' })
    expect(calls).toBe(2)
    expect(history.filter((event) => event.type === 'TaskFailed').map((event) => event.detail)).toEqual([
      {
        error: 'States.DataLimitExceeded',
        cause: 'The result of state "T" is larger than the payload limit of 262,144 bytes of JSON',
      },
      {
        error: 'States.DataLimitExceeded',
        cause: 'The result of state "T" is larger than the payload limit of 262,144 bytes of JSON',
      },
    ])
    expect(largestDetail(history)).toBeLessThan(10_000)
  })

  it('a run input over the limit is refused at start, naming the limit, and nothing is created', async () => {
    const store = createMemoryStore()
    const { engine } = setup({ w: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }, { store })

    const start = engine.start({ workflow: 'w', input: { blob: 'x'.repeat(262_144) } })

    await expect(start).rejects.toBeInstanceOf(EngineInputError)
    await expect(start).rejects.toMatchObject({
      field: 'input',
      message: 'The run input is larger than the payload limit of 262,144 bytes of JSON (limits.maxPayloadBytes)',
    })
    expect((await store.list({})).runs).toEqual([])
  })

  it('a Map fails as soon as its collected results pass the limit, not after running every item', async () => {
    const { run, history } = await runWorkflow(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            MaxConcurrency: 1,
            ItemProcessor: { StartAt: 'Row', States: { Row: { Type: 'Pass', Result: 'r'.repeat(20_000), End: true } } },
            End: true,
          },
        },
      },
      Array.from({ length: 100 }, (_, i) => i),
    )

    expect(run.error?.error).toBe('States.DataLimitExceeded')
    expect(run.error?.cause).toBe(
      'The results of state "M" are larger than the payload limit of 262,144 bytes of JSON (after 14 of 100 items)',
    )
    expect(history.filter((event) => event.type === 'MapIterationStarted')).toHaveLength(14)
  })

  it('a Map whose items in progress hold more than 256 payloads’ worth fails with States.DataLimitExceeded before saving it', async () => {
    // Each item gets the whole run input (9 KB, within the 10,000-byte limit); 300 items started at once are 2.7 MB.
    const saves: number[] = []
    const inner = createMemoryStore()
    const store: RunStore = {
      ...inner,
      save: (lease, update) => (
        saves.push(Buffer.byteLength(JSON.stringify(update.machine))), inner.save(lease, update)
      ),
    }
    const fanout = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemSelector: { 'all.$': '$$.Execution.Input' },
          ItemProcessor: {
            StartAt: 'W',
            States: { W: { Type: 'Wait', Seconds: 1, Next: 'R' }, R: { Type: 'Pass', Result: 'ok', End: true } },
          },
          End: true,
        },
      },
    }
    const { engine } = setup({ fanout }, { store, limits: { maxPayloadBytes: 10_000 } })
    const { run } = await engine.start({
      workflow: 'fanout',
      input: { items: Array.from({ length: 300 }, (_, i) => i), pad: 'p'.repeat(8_000) },
    })
    const done = await engine.runToEnd(run.id)

    expect(done.error).toEqual({
      error: 'States.DataLimitExceeded',
      cause:
        "The run's state (its Parallel branches and Map items in progress) is larger than 2,560,000 bytes of JSON (256 × limits.maxPayloadBytes) and was stopped. Give the Map a MaxConcurrency, or run its items as child runs (a DISTRIBUTED Map)",
    })
    expect(Math.max(...saves)).toBeLessThan(100_000)
    expect(
      (await runWorkflow(fanout, { items: [1, 2, 3], pad: 'p'.repeat(8_000) }, { limits: { maxPayloadBytes: 10_000 } }))
        .run.status,
    ).toBe('SUCCEEDED')
  })

  it('is configurable per engine', async () => {
    const { run } = await runWorkflow(
      { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'y'.repeat(2_000), End: true } } },
      {},
      { limits: { maxPayloadBytes: 1_000 } },
    )
    expect(run.error).toEqual({
      error: 'States.DataLimitExceeded',
      cause: 'The output of state "P" is larger than the payload limit of 1,000 bytes of JSON',
    })
  })

  it('refuses a payload nested deeper than 1,000 levels, however small', async () => {
    const deep = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`)
    const { engine } = setup({ w: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } })
    await expect(engine.start({ workflow: 'w', input: deep(1_001) })).rejects.toThrow(
      'The run input nests objects and arrays more than 1,000 levels deep',
    )
    expect((await engine.start({ workflow: 'w', input: deep(1_000) })).created).toBe(true)

    const text = `${'['.repeat(5_000)}${']'.repeat(5_000)}`
    const parsed = await runWorkflow(
      {
        StartAt: 'P',
        States: { P: { Type: 'Pass', Parameters: { 'v.$': 'States.StringToJson($.text)' }, End: true } },
      },
      { text },
    )
    expect(parsed.run.error).toEqual({
      error: 'States.IntrinsicFailure',
      cause:
        'States.StringToJson: argument 1 is JSON nested deeper than 1,000 levels (state "P", field "Parameters.v.$")',
    })
  })

  it('saves a loop of large states a few MiB at a time, not all its events in one save', async () => {
    const saves: number[] = []
    const inner = createMemoryStore()
    const store: RunStore = {
      ...inner,
      save: (lease, update: RunUpdate) => {
        saves.push(measureJson(update.events, Number.MAX_SAFE_INTEGER).bytes)
        return inner.save(lease, update)
      },
    }
    const loop = {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Parameters: { 'i.$': '$.i', 'blob.$': '$.blob' }, Next: 'Check' },
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.i', NumericGreaterThanEquals: 300, Next: 'Done' }],
          Default: 'Inc',
        },
        Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)', 'blob.$': '$.blob' }, Next: 'Check' },
        Done: { Type: 'Succeed' },
      },
    }
    const { engine } = setup({ loop }, { store })
    const { run } = await engine.start({ workflow: 'loop', input: { i: 0, blob: 'b'.repeat(100_000) } })
    const done = await engine.runToEnd(run.id)

    expect(done.status).toBe('SUCCEEDED')
    expect(saves.reduce((a, b) => a + b, 0)).toBeGreaterThan(60_000_000) // 600 transitions × 100 KB
    expect(Math.max(...saves)).toBeLessThan(8 * 1024 * 1024)
  })
})

describe('nesting at run time', () => {
  it('a JSONPath or intrinsic too deeply nested that reaches the interpreter (an engine that skips validation) fails the run, naming it', async () => {
    const filter = `$.a[?(${'('.repeat(5_000)}@.b${')'.repeat(5_000)})]`
    const intrinsic = `${'States.Array('.repeat(5_000)}1${')'.repeat(5_000)}`
    const unchecked = (definition: unknown) =>
      assembleEngine({
        store: createMemoryStore(),
        workflows: { w: definition as WorkflowDefinition },
        validate: () => [],
        clock: createFakeClock(),
      })
    const run = async (definition: unknown) => {
      const engine = unchecked(definition)
      const { run: started } = await engine.start({ workflow: 'w', input: { a: [] } })
      return engine.runToEnd(started.id)
    }

    expect(
      (
        await run({
          StartAt: 'C',
          States: {
            C: { Type: 'Choice', Choices: [{ Variable: filter, IsPresent: true, Next: 'D' }], Default: 'D' },
            D: { Type: 'Succeed' },
          },
        })
      ).error,
    ).toMatchObject({
      error: 'States.Runtime',
      cause: expect.stringMatching(
        /filters, parentheses and "!" nest more than 100 levels deep at position 106 \(state "C", Choices\[0\]\)$/,
      ),
    })
    expect(
      (await run({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'x.$': intrinsic }, End: true } } })).error,
    ).toMatchObject({
      error: 'States.IntrinsicFailure',
      cause: expect.stringMatching(
        /calls nest more than 100 levels deep at position 1300 \(state "P", field "Parameters.x.\$"\)$/,
      ),
    })
  })
})

describe('wait times', () => {
  const waitOn = (field: string, path: string) => ({
    StartAt: 'W',
    States: { W: { Type: 'Wait', [field]: path, Next: 'Done' }, Done: { Type: 'Succeed' } },
  })

  it.each([
    [1e300, 'the number 1e+300'],
    [-1, 'the number -1'],
    [1.5, 'the number 1.5'],
    ['60', 'the string "60"'],
    [null, 'null'],
    [31_536_001, 'the number 31536001'],
  ])('SecondsPath %j fails the run with States.Runtime naming the state and the path', async (seconds, shown) => {
    const { run } = await runWorkflow(waitOn('SecondsPath', '$.s'), { s: seconds })
    expect(run.status).toBe('FAILED')
    expect(run.error).toEqual({
      error: 'States.Runtime',
      cause: `SecondsPath $.s is ${shown}, not a whole number of seconds from 0 to 31,536,000 (a year) (state "W")`,
    })
  })

  it('a SecondsPath of a year waits; a TimestampPath more than a year ahead fails, one in the past goes on at once', async () => {
    const { clock, engine } = setup({ seconds: waitOn('SecondsPath', '$.s'), at: waitOn('TimestampPath', '$.t') })
    const year = await engine.start({ workflow: 'seconds', input: { s: 31_536_000 } })
    expect((await engine.advance(year.run.id, { deadline: clock.now() + 1_000 })).resumeAt?.getTime()).toBe(
      clock.now() + 31_536_000_000,
    )

    const far = await engine.start({ workflow: 'at', input: { t: '9999-12-31T00:00:00Z' } })
    expect(await engine.advance(far.run.id, { deadline: clock.now() + 1_000 })).toMatchObject({
      status: 'FAILED',
      error: {
        error: 'States.Runtime',
        cause:
          'TimestampPath $.t is the string "9999-12-31T00:00:00Z", more than a year ahead: a wait may last at most 31,536,000 seconds (state "W")',
      },
    })
    const past = await engine.start({ workflow: 'at', input: { t: '2001-01-01T00:00:00Z' } })
    expect(await engine.advance(past.run.id, { deadline: clock.now() + 1_000 })).toMatchObject({ status: 'SUCCEEDED' })
  })

  it('TimeoutSecondsPath beyond 99,999,999 fails the run instead of making an instant that is not a date', async () => {
    const { run } = await runWorkflow(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'my:x', TimeoutSecondsPath: '$.t', End: true } } },
      { t: 1e300 },
      { actions: { 'my:x': { call: () => 1 } } },
    )
    expect(run.error).toEqual({
      error: 'States.Runtime',
      cause: 'TimeoutSecondsPath $.t is the number 1e+300, not an integer from 1 to 99,999,999 (state "T")',
    })
  })

  it('a retry interval that overflows (BackoffRate^n) waits a year at most: the run suspends with a real resumeAt', async () => {
    const actions = createActionRegistry().register('my:fail', { call: () => Promise.reject(new Error('no')) })
    const { clock, engine } = setup(
      {
        w: {
          StartAt: 'T',
          States: {
            T: {
              Type: 'Task',
              Resource: 'my:fail',
              Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, BackoffRate: 1e300, MaxAttempts: 3 }],
              End: true,
            },
          },
        },
      },
      { actions },
    )
    const { run } = await engine.start({ workflow: 'w', input: {} })
    const started = clock.now()
    const suspended = await engine.advance(run.id, { deadline: clock.now() + 10_000 })

    expect(suspended.status).toBe('RUNNING')
    expect(suspended.resumeAt!.getTime() - started).toBe(1_000 + 31_536_000_000)
  })
})

describe('a run that cannot be advanced is that run’s problem, never the worker’s', () => {
  const pass = { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'ok', End: true } } }

  it('a throw outside the interpreter (a machine it cannot read) fails that run with States.Runtime; resumeDue goes on', async () => {
    const { clock, store, engine } = setup({ pass })
    const at = new Date(clock.now())
    await store.create({
      id: 'broken',
      workflow: 'pass',
      input: {},
      machine: { format: 1, status: 'running', frames: null },
      resumeAt: at,
      now: at,
      events: [],
    })
    const { run: good } = await engine.start({ workflow: 'pass', input: {} })

    const result = await engine.resumeDue({ deadline: clock.now() + 10_000 })

    expect(result).toEqual({ advanced: 2 })
    expect(await engine.get(good.id)).toMatchObject({ status: 'SUCCEEDED', output: 'ok' })
    const broken = await engine.get('broken')
    expect(broken).toMatchObject({ status: 'FAILED', error: { error: 'States.Runtime' } })
    expect(broken?.error?.cause).toMatch(
      /^ctflow could not advance the run and stopped it \(an engine error, not the workflow's\): TypeError: /,
    )
    expect((await engine.history('broken')).at(-1)).toMatchObject({ type: 'ExecutionFailed', detail: broken?.error })
  })

  it('a store error while advancing leaves the run for a later attempt (lease kept until it expires) and goes on', async () => {
    const inner = createMemoryStore()
    let failSaves = 1
    const store: RunStore = {
      ...inner,
      save: (lease, update) =>
        lease.runId === 'flaky' && failSaves-- > 0
          ? Promise.reject(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }))
          : inner.save(lease, update),
    }
    const { clock, engine } = setup({ pass }, { store })
    const at = new Date(clock.now())
    const flaky = (await engine.start({ workflow: 'pass', input: {} })).run
    await inner.create({
      id: 'flaky',
      workflow: 'pass',
      input: {},
      machine: flaky.machine,
      resumeAt: at,
      now: at,
      events: [],
    })

    const first = await engine.resumeDue({ deadline: clock.now() + 10_000 })
    expect(first).toEqual({ advanced: 2, errors: [{ runId: 'flaky', error: 'Error: connection reset' }] })
    expect(await engine.get(flaky.id)).toMatchObject({ status: 'SUCCEEDED' })
    expect(await engine.get('flaky')).toMatchObject({ status: 'RUNNING' })
    expect(await engine.resumeDue({ deadline: clock.now() + 10_000 })).toEqual({ advanced: 0 }) // its lease is still live

    clock.advance(30_000)
    expect(await engine.resumeDue({ deadline: clock.now() + 10_000 })).toEqual({ advanced: 1 })
    expect(await engine.get('flaky')).toMatchObject({ status: 'SUCCEEDED', output: 'ok' })
  })

  it('progress callbacks that throw do not stop a run', async () => {
    const clock = createFakeClock()
    const engine = createEngine({
      store: createMemoryStore(),
      workflows: { pass: pass as WorkflowDefinition },
      clock,
      onEvents: () => {
        throw new Error('broken pipe')
      },
    })
    const { run } = await engine.start({ workflow: 'pass', input: {} })
    expect(await engine.runToEnd(run.id)).toMatchObject({ status: 'SUCCEEDED' })
  })
})

describe('worker attempts', () => {
  const pass = { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'ok', End: true } } }

  it('a run whose workers died holding it maxWorkerAttempts times is failed at the next take, without being read', async () => {
    const inner = createMemoryStore()
    const reads: string[] = []
    const store: RunStore = { ...inner, get: (id) => (reads.push(id), inner.get(id)) }
    const { clock, engine } = setup({ pass }, { store, limits: { maxWorkerAttempts: 3 } })
    const { run } = await engine.start({ workflow: 'pass', input: {} })
    // Three workers take it and die: nobody gives the lease back, each one expires.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [lease] = await store.claimDue({
        owner: `dead-${attempt}`,
        leaseMs: 1_000,
        now: new Date(clock.now()),
        limit: 1,
      })
      expect(lease?.attempt).toBe(attempt)
      clock.advance(1_001)
    }

    expect(await engine.resumeDue({ deadline: clock.now() + 10_000 })).toEqual({ advanced: 1 })
    const failed = await inner.get(run.id)
    expect(failed).toMatchObject({ status: 'FAILED', error: { error: 'States.Runtime' } })
    expect(failed?.error?.cause).toMatch(/^The run was abandoned after 3 worker attempts that did not finish/)
    expect(reads).toEqual([])
  })

  it('an advance that ends normally gives the lease back and starts the count again: a long run is never abandoned', async () => {
    const napping = {
      StartAt: 'Nap',
      States: {
        Nap: { Type: 'Wait', Seconds: 60, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Nap' },
        Done: { Type: 'Succeed' },
      },
    }
    const { clock, engine } = setup({ napping }, { limits: { maxWorkerAttempts: 1 } })
    const { run } = await engine.start({ workflow: 'napping', input: {} })
    for (let i = 0; i < 5; i++) {
      expect(await engine.resumeDue({ deadline: clock.now() + 1_000 })).toEqual({ advanced: 1 })
      clock.advance(60_000)
    }
    expect(await engine.get(run.id)).toMatchObject({ status: 'RUNNING' })
  })
})
