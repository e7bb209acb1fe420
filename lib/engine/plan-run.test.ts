// Plan runs (StartRequest.plan): reads run, writes are replaced by their planned results, `.sync` waits end at once,
// child runs inherit the plan, and the record says it was one. Memory store, fake clock.
import { describe, expect, it } from 'vitest'
import { registerLazyActions } from './actions/lazy-actions'
import { createActionRegistry, type ActionContext } from './actions/registry'
import { createEngine } from './create-engine'
import type { WorkflowDefinition } from './interpreter/definition'
import { createMemoryStore } from './stores/memory-store'
import { createFakeClock } from './testing/fake-clock'

const workflow = {
  StartAt: 'Read',
  States: {
    Read: { Type: 'Task', Resource: 'my:read', ResultPath: '$.read', Next: 'Build' },
    Build: { Type: 'Task', Resource: 'my:build.sync', ResultPath: '$.built', Next: 'Each' },
    Each: {
      Type: 'Map',
      ItemsPath: '$.read.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Delete',
        States: { Delete: { Type: 'Task', Resource: 'my:delete', End: true } },
      },
      ResultPath: '$.deleted',
      Next: 'Report',
    },
    Report: { Type: 'Task', Resource: 'my:report', End: true },
  },
}

function setup(register = createActionRegistry()) {
  const calls: string[] = []
  const actions = register
    .register('my:read', {
      writes: false,
      call: () => {
        calls.push('read')
        return { items: ['a', 'b'] }
      },
    })
    .register('my:build', {
      start: () => {
        calls.push('build.start')
        return 'h'
      },
      probe: () => {
        calls.push('build.probe')
        return { state: 'done', status: 'built', value: { buildID: 'real' } }
      },
      plan: (_input: unknown, _context: ActionContext, form: 'call' | 'sync') => ({
        buildID: 'planned-1',
        form,
        planned: true,
      }),
    })
    // A user's action that says nothing about writing is a write.
    .register('my:delete', {
      call: (input: unknown) => {
        calls.push(`delete ${String(input)}`)
        return { deleted: input }
      },
    })
    .register('my:report', {
      writes: false,
      call: (input: unknown, context: ActionContext) => {
        calls.push('report')
        return { plan: context.plan === true, saw: input }
      },
    })
  const engine = createEngine({
    store: createMemoryStore(),
    actions,
    workflows: { job: workflow as WorkflowDefinition },
    clock: createFakeClock(),
  })
  return { engine, calls }
}

describe('plan runs', () => {
  it('run the reads, replace the writes by their planned results, and say so in the record', async () => {
    const { engine, calls } = setup()
    const { run } = await engine.start({ workflow: 'job', input: {}, plan: true })
    expect(run.plan).toBe(true)
    const done = await engine.runToEnd(run.id)
    expect(done.status).toBe('SUCCEEDED')
    expect(calls).toEqual(['read', 'report'])
    expect(done.output).toEqual({
      plan: true,
      saw: {
        read: { items: ['a', 'b'] },
        built: { buildID: 'planned-1', form: 'sync', planned: true },
        deleted: [
          { planned: true, resource: 'my:delete' },
          { planned: true, resource: 'my:delete' },
        ],
      },
    })
    expect((await engine.get(run.id))?.plan).toBe(true)
    const children = (await engine.list({ parentId: run.id })).runs
    expect(children).toHaveLength(2)
    for (const child of children) expect((await engine.get(child.id))?.plan).toBe(true)
    const started = (await engine.history(run.id))[0]
    expect(started).toMatchObject({ type: 'ExecutionStarted', detail: { plan: true } })
  })

  it('leave a run that is no plan alone', async () => {
    const { engine, calls } = setup()
    const { run } = await engine.start({ workflow: 'job', input: {} })
    const done = await engine.runToEnd(run.id)
    expect(done.plan).toBeUndefined()
    expect(calls).toEqual(['read', 'build.start', 'build.probe', 'delete a', 'delete b', 'report'])
    expect((done.output as { plan: boolean }).plan).toBe(false)
  })

  it('ask lazily loaded actions whether they write, once loaded', async () => {
    const loaded = createActionRegistry()
    const { engine, calls } = setup(loaded)
    const lazy = registerLazyActions(
      createActionRegistry(),
      { 'my:read': 'call', 'my:build': 'sync', 'my:delete': 'call', 'my:report': 'call' },
      async () => loaded,
    )
    const lazyEngine = createEngine({
      store: createMemoryStore(),
      actions: lazy,
      workflows: { job: workflow as WorkflowDefinition },
      clock: createFakeClock(),
    })
    void engine
    const { run } = await lazyEngine.start({ workflow: 'job', input: {}, plan: true })
    const done = await lazyEngine.runToEnd(run.id)
    expect(done.status).toBe('SUCCEEDED')
    expect(calls).toEqual(['read', 'report'])
    expect((done.output as { saw: { built: unknown } }).saw.built).toEqual({
      buildID: 'planned-1',
      form: 'sync',
      planned: true,
    })
  })
})
