// The runner's durability rules (RunDriver in runner.ts; lib/engine/ARCHITECTURE.md "Durability"), one test each. A
// store and a clock that write every save, lease hand-back, cancel and sleep into one trace, with the actions' calls
// and returns, so that a test fails when the step that keeps its rule moves. (The state-size check before a save is
// pinned in limits.test.ts: "a Map whose items in progress hold more than 256 payloads’ worth … before saving it".)
import { describe, expect, it } from 'vitest'
import { createActionRegistry, type ActionContext } from './actions/registry'
import { createEngine } from './create-engine'
import type { WorkflowDefinition } from './interpreter/definition'
import { createMachine, type Machine } from './interpreter/machine'
import type { EngineLimits } from './limits'
import type { RunStatus } from './run'
import { createMemoryStore } from './stores/memory-store'
import type { RunStore } from './stores/run-store'
import { createFakeClock } from './testing/fake-clock'

interface Save {
  runId: string
  status: RunStatus
  resumeAt: number | null
  /** `Type@State` of each event (`Type` for the run's own). */
  events: string[]
  machine: Machine
  /** How many events the store held before this save. */
  historyBefore: number
}

type Entry =
  | { kind: 'save'; save: Save }
  | { kind: 'release' | 'acquire' | 'cancel'; runId: string }
  | { kind: 'sleep'; ms: number }
  | { kind: 'call' | 'return'; state: string; ctx: ActionContext }

interface TraceOptions {
  saveEvery?: 'boundary' | 'transition'
  limits?: Partial<EngineLimits>
  workflows?: Record<string, object>
  /** When the action `my:act` returns, per state (default: at once). */
  holdUntil?: (state: string, t: Traced) => Promise<void>
  /** Called before each save reaches the store. */
  beforeSave?: (save: Save, t: Traced) => Promise<void> | void
}

type Traced = ReturnType<typeof traced>

/** An engine over a memory store and a fake clock (lease 30 s) whose saves, leases, cancels, sleeps and calls are traced. */
function traced(definition: object, options: TraceOptions = {}) {
  const trace: Entry[] = []
  const clock = createFakeClock()
  const sleep = clock.sleep
  clock.sleep = async (ms: number) => {
    trace.push({ kind: 'sleep', ms })
    await sleep(ms)
  }
  const inner = createMemoryStore()
  const store: RunStore = {
    ...inner,
    async save(lease, update) {
      const historyBefore = (await inner.get(lease.runId))?.historyLength ?? 0
      const events = update.events.map((event) =>
        event.state === undefined ? event.type : `${event.type}@${event.state}`,
      )
      const save: Save = {
        runId: lease.runId,
        status: update.status,
        resumeAt: update.resumeAt?.getTime() ?? null,
        events,
        machine: structuredClone(update.machine) as Machine,
        historyBefore,
      }
      await options.beforeSave?.(save, t)
      trace.push({ kind: 'save', save })
      return inner.save(lease, update)
    },
    async release(lease) {
      trace.push({ kind: 'release', runId: lease.runId })
      return inner.release(lease)
    },
    async acquire(id, leaseOptions) {
      const lease = await inner.acquire(id, leaseOptions)
      if (lease) trace.push({ kind: 'acquire', runId: id })
      return lease
    },
    async requestCancel(id, now) {
      trace.push({ kind: 'cancel', runId: id })
      return inner.requestCancel(id, now)
    },
  }
  const actions = createActionRegistry().register('my:act', {
    call: async (input: unknown, ctx: ActionContext) => {
      trace.push({ kind: 'call', state: ctx.state, ctx })
      await options.holdUntil?.(ctx.state, t)
      trace.push({ kind: 'return', state: ctx.state, ctx })
      return input
    },
  })
  const workflows = { wf: definition, ...options.workflows } as Record<string, WorkflowDefinition>
  const engine = createEngine({
    store,
    actions,
    workflows,
    clock,
    random: () => 0.5,
    leaseMs: 30_000,
    saveEvery: options.saveEvery,
    limits: options.limits,
  })
  const t = {
    trace,
    clock,
    store,
    inner,
    engine,
    saves: () => trace.flatMap((entry) => (entry.kind === 'save' ? [entry.save] : [])),
    /** The trace in short: `save RUNNING [TaskScheduled@A …] resumeAt=+0`, `call A`, `sleep 5000`, `release`, … */
    lines: () =>
      trace.map((entry) => {
        switch (entry.kind) {
          case 'save':
            return `save ${entry.save.status} [${entry.save.events.join(' ')}]${entry.save.resumeAt === null ? '' : ` resumeAt=${entry.save.resumeAt}`}`
          case 'sleep':
            return `sleep ${entry.ms}`
          case 'call':
          case 'return':
            return `${entry.kind} ${entry.state}`
          default:
            return entry.kind
        }
      }),
    /** Runs the workflow to its end (sleeping through its waits) and returns the run. */
    async run(input: unknown = {}) {
      const { run } = await engine.start({ workflow: 'wf', input })
      return engine.runToEnd(run.id)
    },
  }
  return t
}

/** Index of the first line matching `pattern`; fails the test, showing the trace, when there is none. */
function at(lines: string[], pattern: RegExp): number {
  const index = lines.findIndex((line) => pattern.test(line))
  expect(index, `no line matches ${pattern} in:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0)
  return index
}

/** Resolves once a save whose events match `pattern` was made, or after `ms` of real time (so a broken rule fails, never hangs). */
function untilSaved(t: Traced, pattern: RegExp, ms = 300): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    const look = () => {
      if (t.saves().some((save) => save.events.some((event) => pattern.test(event)))) {
        clearTimeout(timer)
        resolve()
      } else setTimeout(look, 1)
    }
    look()
  })
}

/**
 * Holds the first call back with `hold`, and lets any later call return at once: a runner that made a call twice
 * (a broken rule) fails the test instead of spinning on it.
 */
function onceHeld(hold: (t: Traced) => Promise<void>): NonNullable<TraceOptions['holdUntil']> {
  let calls = 0
  return (_state, t) => (++calls === 1 ? hold(t) : Promise.resolve())
}

const act = (next?: string) => ({ Type: 'Task', Resource: 'my:act', ...(next ? { Next: next } : { End: true }) })
const pass = (next?: string) => ({ Type: 'Pass', ...(next ? { Next: next } : { End: true }) })
const passChain = (length: number, then?: string) =>
  Object.fromEntries(Array.from({ length }, (_, i) => [`P${i}`, pass(i < length - 1 ? `P${i + 1}` : then)]))

describe('RunDriver durability rules', () => {
  it('ends a run cancelled before its drive before anything else is read: ABORTED, even when its workflow is no longer loaded', async () => {
    const t = traced({ StartAt: 'P', States: { P: pass() } })
    const at = new Date(t.clock.now())
    // A run of a workflow this deploy does not have, from before workflow versions were kept (none to fall back on).
    await t.inner.create({
      id: 'r-1',
      workflow: 'gone',
      input: {},
      machine: createMachine('P', {}, 0),
      resumeAt: at,
      now: at,
      events: [{ at: at.toISOString(), type: 'ExecutionStarted' }],
    })

    expect(await t.engine.cancel('r-1')).toMatchObject({ status: 'ABORTED', resumeAt: null })
    expect(t.lines()).toEqual(['cancel', 'acquire', 'save ABORTED [ExecutionAborted]', 'release'])
  })

  it('saves the call before making it: the invoking phase, with the clientToken the action gets, is stored first', async () => {
    const t = traced({ StartAt: 'A', States: { A: act() } })
    expect((await t.run({ n: 1 })).status).toBe('SUCCEEDED')

    const lines = t.lines()
    expect(at(lines, /^save RUNNING \[.*TaskScheduled@A/)).toBeLessThan(at(lines, /^call A$/))
    const scheduled = t.saves().find((save) => save.events.includes('TaskScheduled@A'))!
    const call = t.trace.find((entry) => entry.kind === 'call') as { ctx: ActionContext }
    expect(scheduled.machine.frames.root!.phase).toMatchObject({
      kind: 'invoking',
      resource: 'my:act',
      clientToken: call.ctx.clientToken,
    })
  })

  it('sees a cancel at the next save: a call saved as scheduled is not made once the save shows the cancel', async () => {
    // The cancel lands while the save that schedules A is on its way to the store.
    const t = traced(
      { StartAt: 'A', States: { A: act() } },
      {
        beforeSave: (save, t) =>
          save.events.includes('TaskScheduled@A')
            ? t.inner.requestCancel(save.runId, new Date(t.clock.now())).then(() => {})
            : undefined,
      },
    )
    const done = await t.run()

    expect(done.status).toBe('ABORTED')
    expect(t.lines().filter((line) => line.startsWith('save') || line.startsWith('call'))).toEqual([
      expect.stringMatching(/^save RUNNING \[.*TaskScheduled@A\]/),
      'save ABORTED [ExecutionAborted]',
    ])
  })

  it('saves a result before anything else: before the next state is entered', async () => {
    const t = traced({ StartAt: 'A', States: { A: act('B'), B: act() } })
    expect((await t.run()).status).toBe('SUCCEEDED')

    const result = t.saves().find((save) => save.events.includes('TaskSucceeded@A'))!
    expect(result.events.filter((event) => event.endsWith('@B'))).toEqual([])
    const lines = t.lines()
    expect(at(lines, /TaskSucceeded@A/)).toBeLessThan(at(lines, /TaskStateEntered@B/))
  })

  it('saves what is pending, due at once, when the budget runs out between transitions', async () => {
    const t = traced({ StartAt: 'P0', States: passChain(1_000) })
    const { run } = await t.engine.start({ workflow: 'wf', input: {} })
    // Time moves 1 ms per look at the clock: the budget ends a few steps in, with transitions not saved yet (boundary).
    const now = t.clock.now
    t.clock.now = () => ++t.clock.time
    const stopped = await t.engine.advance(run.id, { deadline: t.clock.time + 5 })
    const stoppedAt = t.clock.time
    t.clock.now = now

    expect(stopped.status).toBe('RUNNING')
    const last = t.saves().at(-1)!
    expect(last).toMatchObject({
      status: 'RUNNING',
      events: expect.arrayContaining(['PassStateEntered@P0', 'PassStateExited@P0']),
    })
    expect(last.resumeAt).toBeLessThanOrEqual(stoppedAt)
    expect(t.lines().at(-1)).toBe('release')
    expect((await t.engine.runToEnd(run.id)).status).toBe('SUCCEEDED')
    expect(await t.engine.history(run.id)).toHaveLength(2 + 2 * 1_000)
  })

  it('saves pure transitions once, together, up to the next boundary (boundary), or after each step (transition); the end with resumeAt null', async () => {
    // 250 states: more than one interpreter step takes at once (100), fewer than a batch holds.
    const definition = { StartAt: 'P0', States: { ...passChain(250, 'A'), A: act() } }
    const boundary = traced(definition)
    const each = traced(definition, { saveEvery: 'transition' })
    await boundary.run()
    await each.run()

    expect(boundary.lines().filter((line) => line.startsWith('save'))).toEqual([
      expect.stringMatching(
        /^save RUNNING \[PassStateEntered@P0 PassStateExited@P0 .* PassStateExited@P249 TaskStateEntered@A TaskScheduled@A\] resumeAt=/,
      ),
      expect.stringMatching(/^save SUCCEEDED \[TaskSucceeded@A TaskStateExited@A ExecutionSucceeded\]$/),
    ])
    expect(each.saves().filter((save) => save.events.some((event) => event.startsWith('PassState')))).toHaveLength(250)
    expect(each.saves().flatMap((save) => save.events)).toEqual(boundary.saves().flatMap((save) => save.events))
  })

  it('saves what is pending before waiting on calls in flight: a branch that moves on is saved while the other’s call runs', async () => {
    const t = traced(
      {
        StartAt: 'Par',
        States: {
          Par: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Slow', States: { Slow: act() } },
              { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, Next: 'After' }, After: pass() } },
            ],
            End: true,
          },
        },
      },
      { holdUntil: onceHeld((t) => untilSaved(t, /^PassStateExited@After$/)) },
    )
    expect((await t.run()).status).toBe('SUCCEEDED')

    const lines = t.lines()
    expect(at(lines, /^save RUNNING \[.*PassStateExited@After/)).toBeLessThan(at(lines, /^return Slow$/))
  })

  it('makes a call in flight once, however often the run steps meanwhile', async () => {
    const t = traced(
      {
        StartAt: 'Par',
        States: {
          Par: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Slow', States: { Slow: act() } },
              {
                StartAt: 'W1',
                States: {
                  W1: { Type: 'Wait', Seconds: 1, Next: 'W2' },
                  W2: { Type: 'Wait', Seconds: 1, Next: 'After' },
                  After: pass(),
                },
              },
            ],
            End: true,
          },
        },
      },
      { holdUntil: onceHeld((t) => untilSaved(t, /^PassStateExited@After$/)) },
    )
    expect((await t.run()).status).toBe('SUCCEEDED')
    expect(t.lines().filter((line) => line === 'call Slow')).toHaveLength(1)
  })

  it('suspends a wait beyond the budget: saved with resumeAt and ExecutionSuspended, the lease given back, no sleep', async () => {
    const t = traced({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, Next: 'P' }, P: pass() } })
    const { run } = await t.engine.start({ workflow: 'wf', input: {} })
    const start = t.clock.now()
    const suspended = await t.engine.advance(run.id, { deadline: start + 10_000 })

    expect(suspended).toMatchObject({ status: 'RUNNING', resumeAt: new Date(start + 3_600_000) })
    expect(t.lines()).toEqual([
      'acquire',
      `save RUNNING [WaitStateEntered@W ExecutionSuspended] resumeAt=${start + 3_600_000}`,
      'release',
    ])
  })

  it('saves a wait within the budget with its wake-up time before sleeping; a long one gives the lease back while it sleeps', async () => {
    const t = traced({
      StartAt: 'Short',
      States: { Short: { Type: 'Wait', Seconds: 5, Next: 'Long' }, Long: { Type: 'Wait', Seconds: 600, End: true } },
    })
    const start = t.clock.now()
    expect((await t.run()).status).toBe('SUCCEEDED')

    const lines = t.lines()
    const short = at(lines, /^save RUNNING \[WaitStateEntered@Short\]/)
    expect(lines[short]).toBe(`save RUNNING [WaitStateEntered@Short] resumeAt=${start + 5_000}`)
    expect(lines[short + 1]).toBe('sleep 5000') // the short wait keeps the lease
    const long = at(lines, /^save RUNNING \[.*WaitStateEntered@Long\]/)
    expect(lines.slice(long)).toEqual([
      `save RUNNING [WaitStateEntered@Long] resumeAt=${start + 605_000}`,
      'release',
      'sleep 600000',
      'acquire',
      expect.stringMatching(/^save SUCCEEDED/),
      'release',
    ])
  })

  it('checks the history limit before the save: the store never holds more than the limit and the failure', async () => {
    const t = traced(
      { StartAt: 'P0', States: passChain(20) },
      { saveEvery: 'transition', limits: { maxHistoryEvents: 10 } },
    )
    const done = await t.run()

    expect(done).toMatchObject({ status: 'FAILED', historyLength: 11, error: { error: 'States.Runtime' } })
    for (const save of t.saves()) expect(save.historyBefore + save.events.length).toBeLessThanOrEqual(11)
    expect(t.saves().at(-1)!.events.at(-1)).toBe('ExecutionFailed')
  })

  it('cancels the child runs of dropped distributed-Map items before the save that drops them', async () => {
    const item = {
      StartAt: 'Route',
      States: {
        Route: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 1, Next: 'Broke' }], Default: 'Nap' },
        Broke: { Type: 'Fail', Error: 'ItemBroke' },
        Nap: { Type: 'Wait', Seconds: 3600, End: true },
      },
    }
    const t = traced({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...item },
          End: true,
        },
      },
    })
    const { run } = await t.engine.start({ workflow: 'wf', input: { items: [0, 1] } })
    let done = await t.engine.advance(run.id, { deadline: t.clock.now() + 1_000 })
    for (let i = 0; i < 5 && done.status === 'RUNNING'; i++)
      done = await t.engine.advance(run.id, { deadline: t.clock.now() + 1_000 })
    expect(done).toMatchObject({ status: 'FAILED', error: { error: 'ItemBroke' } })

    const parentFailed = t.trace.findIndex(
      (entry) => entry.kind === 'save' && entry.save.runId === run.id && entry.save.status === 'FAILED',
    )
    const cancels = t.trace.flatMap((entry, index) => (entry.kind === 'cancel' ? [index] : []))
    expect(cancels).toHaveLength(1)
    expect(cancels[0]).toBeLessThan(parentFailed)
  })
})
