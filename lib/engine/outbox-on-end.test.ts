import { describe, expect, it } from 'vitest'
import { createActionRegistry } from './actions/registry'
import { createEngine } from './create-engine'
import type { WorkflowDefinition } from './interpreter/definition'
import type { EndedRun } from './run'
import type { RunUpdate } from './stores/run-store'
import { createMemoryStore } from './stores/memory-store'
import { createFakeClock } from './testing/fake-clock'

const failing: WorkflowDefinition = {
  StartAt: 'Call',
  States: {
    Call: { Type: 'Task', Resource: 'test:fail', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
}
const passing: WorkflowDefinition = {
  StartAt: 'Wait',
  States: { Wait: { Type: 'Wait', Seconds: 5, Next: 'Done' }, Done: { Type: 'Pass', Result: { ok: 1 }, End: true } },
}

function setup(outboxOnEnd: (run: EndedRun) => { id: string; topic: string; payload: unknown }[]) {
  const clock = createFakeClock()
  const inner = createMemoryStore()
  const saves: RunUpdate[] = []
  const store = {
    ...inner,
    save: (lease: Parameters<typeof inner.save>[0], update: RunUpdate) => (
      saves.push(update), inner.save(lease, update)
    ),
  }
  const actions = createActionRegistry()
  actions.register('test:fail', {
    call: async () => {
      throw Object.assign(new Error('disk d-1 is busy'), { name: 'DiskBusy' })
    },
  })
  const engine = createEngine({ store, actions, workflows: { failing, passing }, clock, outboxOnEnd })
  return { engine, store, saves, clock }
}

describe('outboxOnEnd: notifications written with the final save', () => {
  it('writes the items for a failed run in its final save only, told the error, the state and the times', async () => {
    const ended: EndedRun[] = []
    const { engine, store, saves } = setup((run) => {
      ended.push(run)
      return [{ id: `${run.id}/0`, topic: 'notify', payload: { status: run.status } }]
    })
    const { run } = await engine.start({ workflow: 'failing', input: { disk: 'd-1' } })
    const finished = await engine.runToEnd(run.id)

    expect(finished.status).toBe('FAILED')
    expect(saves.filter((s) => s.outbox !== undefined)).toEqual([saves.at(-1)])
    expect(saves.at(-1)!.status).toBe('FAILED')
    expect(ended).toEqual([
      {
        id: run.id,
        workflow: 'failing',
        input: { disk: 'd-1' },
        status: 'FAILED',
        error: { error: 'DiskBusy', cause: 'disk d-1 is busy' },
        createdAt: run.createdAt,
        endedAt: finished.updatedAt,
        state: 'Call',
      },
    ])
    expect((await store.outbox(run.id)).map((e) => [e.id, e.state, e.payload])).toEqual([
      [`${run.id}/0`, 'pending', { status: 'FAILED' }],
    ])
  })

  it('hands a succeeded run its output, after a wait that suspended it', async () => {
    const ended: EndedRun[] = []
    const { engine } = setup((run) => (ended.push(run), []))
    const { run } = await engine.start({ workflow: 'passing', input: {} })
    await engine.runToEnd(run.id)

    expect(ended.map((r) => [r.status, r.output, r.state])).toEqual([['SUCCEEDED', { ok: 1 }, 'Done']])
  })

  it('saves the run’s end whatever the hook throws, without items', async () => {
    const { engine, store } = setup(() => {
      throw new Error('channel table broken')
    })
    const { run } = await engine.start({ workflow: 'failing', input: {} })

    expect((await engine.runToEnd(run.id)).status).toBe('FAILED')
    expect(await store.outbox(run.id)).toEqual([])
  })

  it('writes the items of a cancelled run with its ABORTED save', async () => {
    const { engine, store } = setup((run) => [{ id: 'end', topic: 'notify', payload: run.status }])
    const { run } = await engine.start({ workflow: 'passing', input: {} })
    await engine.cancel(run.id)

    expect((await engine.get(run.id))!.status).toBe('ABORTED')
    expect((await store.outbox(run.id)).map((e) => e.payload)).toEqual(['ABORTED'])
  })
})
