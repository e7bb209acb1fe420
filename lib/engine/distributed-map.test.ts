// A DISTRIBUTED Map (ProcessorConfig.Mode) runs each item as a child run: the same results as an inline Map, child
// runs any worker can advance, failures, retries and cancels that reach the children. Memory store, fake clock.
import { describe, expect, it } from 'vitest'
import { createActionRegistry, type ActionContext } from './actions/registry'
import { CHILD_RUN_ABORTED, executeChildRunCommand } from './child-run-commands'
import { createEngine } from './create-engine'
import type { WorkflowDefinition } from './interpreter/definition'
import type { RunRecord } from './run'
import type { RunStore } from './stores/run-store'
import { createMemoryStore } from './stores/memory-store'
import { createFakeClock } from './testing/fake-clock'

const distributed = (processor: object, extra: object = {}) => ({
  Type: 'Map',
  ItemsPath: '$.items',
  ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...processor },
  ...extra,
})

function setup(
  workflows: Record<string, unknown>,
  {
    store = createMemoryStore(),
    clock = createFakeClock(),
    owner = 'w1',
    calls = [] as Array<{ owner: string; input: any; ctx: ActionContext }>,
    fail = (_input: any): boolean => false,
    childRunGraceMs = 0,
  } = {},
) {
  const actions = createActionRegistry().register('my:work', {
    call: (input: any, ctx: ActionContext) => {
      calls.push({ owner, input, ctx })
      if (fail(input)) throw Object.assign(new Error(`item ${JSON.stringify(input)} broke`), { name: 'ItemBroke' })
      return { done: input }
    },
  })
  const engine = createEngine({
    store,
    actions,
    workflows: workflows as Record<string, WorkflowDefinition>,
    clock,
    owner,
    random: () => 0.5,
    childRunGraceMs,
  })
  return { engine, store, clock, calls }
}

async function children(store: RunStore, parentId: string): Promise<RunRecord[]> {
  const { runs } = await store.list({ parentId, limit: 1000 })
  return Promise.all(runs.map(async (r) => (await store.get(r.id))!))
}

const work = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'my:work', End: true } } }

describe('DISTRIBUTED Map', () => {
  it('returns what the INLINE Map returns, each item as a child run listed under its parent', async () => {
    const inlineDef = {
      StartAt: 'M',
      States: {
        M: {
          ...distributed(work),
          ItemProcessor: work,
          ItemSelector: { 'n.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' },
          ResultSelector: { 'all.$': '$' },
          End: true,
        },
      },
    }
    const distributedDef = {
      StartAt: 'M',
      States: {
        M: {
          ...distributed(work),
          ItemSelector: { 'n.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' },
          ResultSelector: { 'all.$': '$' },
          End: true,
        },
      },
    }
    const input = { items: ['a', 'b', 'c'] }
    const inline = setup({ job: inlineDef })
    const expected = await inline.engine.runToEnd((await inline.engine.start({ workflow: 'job', input })).run.id)

    const { engine, store } = setup({ job: distributedDef })
    const { run } = await engine.start({ workflow: 'job', input })
    const done = await engine.runToEnd(run.id)

    expect(done.status).toBe('SUCCEEDED')
    expect(done.output).toEqual(expected.output)
    expect(done.output).toEqual({
      all: [{ done: { n: 'a', i: 0 } }, { done: { n: 'b', i: 1 } }, { done: { n: 'c', i: 2 } }],
    })
    const kids = await children(store, run.id)
    expect(kids).toHaveLength(3)
    for (const kid of kids)
      expect(kid).toMatchObject({ status: 'SUCCEEDED', parentId: run.id, workflow: 'job#/States/M/ItemProcessor' })
    expect((await store.list({})).runs.map((r) => r.id)).toEqual([run.id])
    const started = (await engine.history(run.id))
      .filter((e) => e.type === 'MapIterationStarted')
      .map((e) => e.detail as { index: number; run: string })
    expect(started.map((d) => d.index)).toEqual([0, 1, 2])
    expect(new Set(started.map((d) => d.run))).toEqual(new Set(kids.map((k) => k.id)))
    expect((await engine.history(kids[0]!.id))[0]).toMatchObject({
      type: 'ExecutionStarted',
      detail: { parent: run.id },
    })
  })

  it('never has more than MaxConcurrency child runs going at once', async () => {
    // A grace longer than the parent's budget: the parent only starts children, another worker finishes them.
    const workflows = { job: { StartAt: 'M', States: { M: distributed(work, { MaxConcurrency: 2, End: true }) } } }
    const parentSide = setup(workflows, { childRunGraceMs: 10_000 })
    const other = setup(workflows, { store: parentSide.store, clock: parentSide.clock, owner: 'w2' })
    const { engine, store, clock } = parentSide
    const { run } = await engine.start({ workflow: 'job', input: { items: [1, 2, 3, 4, 5] } })
    const running: number[] = []
    for (let i = 0; i < 20 && (await store.get(run.id))!.status === 'RUNNING'; i++) {
      await engine.advance(run.id, { deadline: clock.now() + 1_000 })
      running.push((await children(store, run.id)).filter((k) => k.status === 'RUNNING').length)
      await other.engine.resumeDue({ deadline: clock.now() + 1_000, limit: 1 })
    }
    expect(await store.get(run.id)).toMatchObject({
      status: 'SUCCEEDED',
      output: [1, 2, 3, 4, 5].map((n) => ({ done: n })),
    })
    expect(Math.max(...running)).toBe(2)
    expect((await children(store, run.id)).length).toBe(5)
  })

  it("spreads one Map's items over several workers sharing the store", async () => {
    const store = createMemoryStore()
    const clock = createFakeClock()
    const calls: Array<{ owner: string; input: any; ctx: ActionContext }> = []
    const workflows = { job: { StartAt: 'M', States: { M: distributed(work, { End: true }) } } }
    const a = setup(workflows, { store, clock, calls, owner: 'worker-a', childRunGraceMs: 2_000 })
    const b = setup(workflows, { store, clock, calls, owner: 'worker-b' })
    const { run } = await a.engine.start({ workflow: 'job', input: { items: [0, 1, 2, 3] } })

    // Worker A starts the Map and leaves the new children to others for its grace, beyond its budget: it suspends.
    expect(await a.engine.advance(run.id, { deadline: clock.now() + 1_000 })).toMatchObject({ status: 'RUNNING' })
    expect((await children(store, run.id)).map((k) => k.status)).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING'])
    // Worker B claims one of them (due at once); a child that finishes makes the parent due again.
    expect(await b.engine.resumeDue({ deadline: clock.now() + 1_000, limit: 1 })).toEqual({ advanced: 1 })
    expect((await store.get(run.id))!.resumeAt!.getTime()).toBe(clock.now())
    // A picks the parent up, collects that result and runs the three children nobody took.
    const done = await a.engine.runToEnd(run.id)

    expect(done.status).toBe('SUCCEEDED')
    expect(done.output).toEqual([0, 1, 2, 3].map((n) => ({ done: n })))
    expect(calls.filter((c) => c.owner === 'worker-b')).toHaveLength(1)
    expect(calls.filter((c) => c.owner === 'worker-a')).toHaveLength(3)
    expect(new Set(calls.map((c) => c.input))).toEqual(new Set([0, 1, 2, 3])) // every item worked once
  })

  it("fails the Map with the failed item's own error and cancels the siblings still running", async () => {
    const slow = {
      StartAt: 'Pause',
      States: {
        Pause: { Type: 'Wait', Seconds: 3600, Next: 'Work' },
        Work: { Type: 'Task', Resource: 'my:work', End: true },
      },
    }
    const def = {
      StartAt: 'Choose',
      States: {
        Choose: { Type: 'Pass', Next: 'M' },
        M: distributed(
          {
            StartAt: 'Route',
            States: {
              Route: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 1, Next: 'Now' }], Default: 'Pause' },
              Now: { Type: 'Task', Resource: 'my:work', End: true },
              ...slow.States,
            },
          },
          { End: true },
        ),
      },
    }
    const { engine, store, calls, clock } = setup({ job: def }, { fail: (n) => n === 1 })
    const { run } = await engine.start({ workflow: 'job', input: { items: [0, 1, 2] } })
    // A budget shorter than the siblings' Wait: they are suspended (RUNNING) when item 1 fails.
    let done = await engine.advance(run.id, { deadline: clock.now() + 1_000 })
    for (let i = 0; i < 5 && done.status === 'RUNNING'; i++)
      done = await engine.advance(run.id, { deadline: clock.now() + 1_000 })

    expect(done).toMatchObject({ status: 'FAILED', error: { error: 'ItemBroke', cause: 'item 1 broke' } })
    const kids = await children(store, run.id)
    expect(kids.map((k) => k.status).sort()).toEqual(['ABORTED', 'ABORTED', 'FAILED'])
    expect(calls.map((c) => c.input)).toEqual([1]) // the others never got past their Wait
  })

  it('retries the Map with fresh child runs and catches what is left', async () => {
    let attempts = 0
    const def = {
      StartAt: 'M',
      States: {
        M: distributed(work, {
          Retry: [{ ErrorEquals: ['ItemBroke'], MaxAttempts: 1, IntervalSeconds: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }],
          End: true,
        }),
        Caught: { Type: 'Pass', End: true },
      },
    }
    const { engine, store } = setup({ job: def }, { fail: (n) => n === 2 && ++attempts <= 5 })
    const { run } = await engine.start({ workflow: 'job', input: { items: [1, 2] } })
    const done = await engine.runToEnd(run.id)

    expect(done.status).toBe('SUCCEEDED')
    expect(done.output).toEqual({ items: [1, 2], error: { Error: 'ItemBroke', Cause: 'item 2 broke' } })
    const kids = await children(store, run.id)
    expect(kids).toHaveLength(4) // two attempts × two items, each attempt its own child runs
    expect(kids.filter((k) => k.status === 'FAILED')).toHaveLength(2)
  })

  it('cancelling the parent cancels its children; a cancelled child fails its item with Ctflow.ChildRunAborted', async () => {
    const waiting = { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 3600, End: true } } }
    const { engine, store, clock } = setup({
      job: { StartAt: 'M', States: { M: distributed(waiting, { End: true }) } },
    })
    const first = (await engine.start({ workflow: 'job', input: { items: [1, 2] } })).run
    await engine.advance(first.id, { deadline: clock.now() + 1_000 })
    expect((await children(store, first.id)).map((k) => k.status)).toEqual(['RUNNING', 'RUNNING'])
    await engine.cancel(first.id)
    expect((await store.get(first.id))!.status).toBe('ABORTED')
    expect((await children(store, first.id)).map((k) => k.status)).toEqual(['ABORTED', 'ABORTED'])

    const second = (await engine.start({ workflow: 'job', input: { items: [1] } })).run
    await engine.advance(second.id, { deadline: clock.now() + 1_000 })
    const [kid] = await children(store, second.id)
    await engine.cancel(kid!.id)
    const done = await engine.advance(second.id, { deadline: clock.now() + 1_000 })
    expect(done).toMatchObject({ status: 'FAILED', error: { error: CHILD_RUN_ABORTED } })
  })

  it('suspends the parent while its children wait, and a child that finishes makes the parent due', async () => {
    const waiting = {
      StartAt: 'Pause',
      States: {
        Pause: { Type: 'Wait', Seconds: 600, Next: 'Work' },
        Work: { Type: 'Task', Resource: 'my:work', End: true },
      },
    }
    const { engine, store, clock } = setup({
      job: { StartAt: 'M', States: { M: distributed(waiting, { End: true }) } },
    })
    const { run } = await engine.start({ workflow: 'job', input: { items: [7] } })
    const suspended = await engine.advance(run.id, { deadline: clock.now() + 1_000 })
    expect(suspended.status).toBe('RUNNING')
    const [kid] = await children(store, run.id)
    // The parent sleeps until its child's own wake-up, not on a fixed poll.
    expect(suspended.resumeAt!.getTime()).toBe(kid!.resumeAt!.getTime())

    clock.advance(600_000)
    const child = await engine.advance(kid!.id, { deadline: clock.now() + 1_000 })
    expect(child.status).toBe('SUCCEEDED')
    expect((await store.get(run.id))!.resumeAt!.getTime()).toBe(clock.now())
    expect(await engine.resumeDue({ deadline: clock.now() + 1_000 })).toEqual({ advanced: 1 })
    expect(await store.get(run.id)).toMatchObject({ status: 'SUCCEEDED', output: [{ done: 7 }] })
  })

  it('children that wait at the same time wait together: three 10 s Waits take 10 s of (virtual) time', async () => {
    const waiting = { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 10, End: true } } }
    const { engine, clock } = setup({ job: { StartAt: 'M', States: { M: distributed(waiting, { End: true }) } } })
    const started = clock.now()
    const { run } = await engine.start({ workflow: 'job', input: { items: [1, 2, 3] } })
    expect(await engine.runToEnd(run.id)).toMatchObject({ status: 'SUCCEEDED', output: [1, 2, 3] })
    expect(clock.now() - started).toBe(10_000)
  })

  it('works inside a Parallel branch and nested in another distributed Map', async () => {
    const inner = distributed(work, { ItemsPath: '$', End: true })
    const def = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Outer',
              States: {
                Outer: distributed(
                  { StartAt: 'Inner', States: { Inner: inner } },
                  { ItemsPath: '$.groups', End: true },
                ),
              },
            },
          ],
          End: true,
        },
      },
    }
    const { engine, store } = setup({ job: def })
    const { run } = await engine.start({ workflow: 'job', input: { groups: [[1, 2], [3]] } })
    const done = await engine.runToEnd(run.id)

    expect(done.output).toEqual([[[{ done: 1 }, { done: 2 }], [{ done: 3 }]]])
    const outer = await children(store, run.id)
    expect(outer.map((k) => k.workflow)).toEqual([
      'job#/States/P/Branches/0/States/Outer/ItemProcessor',
      'job#/States/P/Branches/0/States/Outer/ItemProcessor',
    ])
    const innerKids = (await Promise.all(outer.map((k) => children(store, k.id)))).flat()
    expect(innerKids.map((k) => k.workflow)).toEqual(
      Array(3).fill('job#/States/P/Branches/0/States/Outer/ItemProcessor/States/Inner/ItemProcessor'),
    )
  })

  it('creating a child twice (a re-issued call after a crash) finds the first one', async () => {
    const { engine, store } = setup({ job: { StartAt: 'M', States: { M: distributed(work, { End: true }) } } })
    const { run: parent } = await engine.start({ workflow: 'job', input: { items: [1] } })
    const deps = (engine as unknown as { deps: Parameters<typeof executeChildRunCommand>[2] }).deps
    const command = {
      type: 'invoke' as const,
      frameId: 'root/1.0:0',
      state: 'M',
      resource: 'ctflow:childRun',
      clientToken: 'ab'.repeat(16),
      input: { workflow: 'job#/States/M/ItemProcessor', input: 1, index: 0 },
    }
    const advance = async () => undefined
    const first = await executeChildRunCommand(command, parent, deps, { deadline: 0 }, advance)
    const second = await executeChildRunCommand(command, parent, deps, { deadline: 0 }, advance)

    expect(first).toMatchObject({ type: 'started', handle: { runId: 'abababab-abab-abab-abab-abababababab' } })
    expect(second).toEqual(first)
    expect((await store.list({ parentId: parent.id })).runs).toHaveLength(1)
  })
})
