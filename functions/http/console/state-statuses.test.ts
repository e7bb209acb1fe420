// What the graph colours each state, read from histories the real engine wrote (memory store, fake clock).
import { describe, expect, it } from 'vitest'
import { createActionRegistry, type WorkflowDefinition } from '../../../lib/engine'
import { assembleEngine } from '../../../lib/engine/assemble-engine'
import { createMemoryStore } from '../../../lib/engine/stores/memory-store'
import { validateWorkflow } from '../../../lib/engine/validate'
import { layoutWorkflow } from './graph-layout'
import { renderGraph } from './render-graph'
import { stateStatuses } from './state-statuses'

async function runOf(definition: WorkflowDefinition, input: unknown = {}, options: { cancel?: boolean } = {}) {
  let now = Date.UTC(2026, 0, 1)
  let flaky = 0
  const actions = createActionRegistry()
    .register('test:fail', {
      call: (value) => {
        throw Object.assign(new Error(`cannot do ${JSON.stringify(value)}`), { name: 'Test.Broken' })
      },
    })
    .register('test:flaky', {
      call: () => {
        flaky += 1
        if (flaky === 1) throw Object.assign(new Error('try again'), { name: 'Test.Flaky' })
        return { ok: true }
      },
    })
    .register('test:echo', { call: (value) => value })
  const engine = assembleEngine({
    store: createMemoryStore(),
    actions,
    validate: validateWorkflow,
    workflows: { job: definition },
    clock: {
      now: () => now,
      sleep: async (ms) => {
        now += ms
      },
    },
  })
  const { run } = await engine.start({ workflow: 'job', input })
  // A budget that ends before an hour-long Wait: the run is left suspended there.
  let record = await engine.advance(run.id, { deadline: now + 60_000 })
  if (options.cancel) record = (await engine.cancel(run.id))!
  const events = await engine.history(run.id)
  return { record, statuses: stateStatuses(events, record) }
}

const statusesOf = (statuses: Awaited<ReturnType<typeof runOf>>['statuses']) =>
  Object.fromEntries([...statuses].map(([name, s]) => [name, s.status]))

describe('state statuses from a history', () => {
  it('a caught failure is `caught` with its error; the Catch target ran, the normal path did not', async () => {
    const { statuses } = await runOf({
      StartAt: 'Try',
      States: {
        Try: {
          Type: 'Task',
          Resource: 'test:fail',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }],
          Next: 'Normal',
        },
        Normal: { Type: 'Pass', End: true },
        Recover: { Type: 'Pass', End: true },
      },
    })
    expect(statusesOf(statuses)).toEqual({ Try: 'caught', Recover: 'succeeded' })
    expect(statuses.get('Try')!.visits[0]!.error).toMatchObject({ error: 'Test.Broken' })
  })

  it('counts retries on a state that then succeeded, with its input and output', async () => {
    const { statuses } = await runOf(
      {
        StartAt: 'Flaky',
        States: {
          Flaky: {
            Type: 'Task',
            Resource: 'test:flaky',
            Retry: [{ ErrorEquals: ['Test.Flaky'], IntervalSeconds: 1, MaxAttempts: 2 }],
            End: true,
          },
        },
      },
      { n: 1 },
    )
    const flaky = statuses.get('Flaky')!
    expect(flaky).toMatchObject({ status: 'succeeded', retries: 1 })
    expect(flaky.visits[0]).toMatchObject({ input: { n: 1 }, output: { ok: true }, retries: 1 })
    expect(flaky.visits[0]!.exitedAt).toBeDefined()
  })

  it('a run suspended in a Wait state shows it `waiting`; cancelled there, the open state did not complete', async () => {
    const nap: WorkflowDefinition = {
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Next: 'Nap' },
        Nap: { Type: 'Wait', Seconds: 3600, Next: 'After' },
        After: { Type: 'Pass', End: true },
      },
    }
    const waiting = await runOf(nap)
    expect(waiting.record.status).toBe('RUNNING')
    expect(statusesOf(waiting.statuses)).toEqual({ First: 'succeeded', Nap: 'waiting' })
    const cancelled = await runOf(nap, {}, { cancel: true })
    expect(cancelled.record.status).toBe('ABORTED')
    expect(statusesOf(cancelled.statuses)).toEqual({ First: 'succeeded', Nap: 'failed' })
  })

  it('a Map counts its items by status; an inner state failed in one item is `failed`, the caught Map `caught`', async () => {
    const { statuses } = await runOf(
      {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemProcessor: {
              StartAt: 'Which',
              States: {
                Which: {
                  Type: 'Choice',
                  Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Break' }],
                  Default: 'Echo',
                },
                Echo: { Type: 'Task', Resource: 'test:echo', End: true },
                Break: { Type: 'Task', Resource: 'test:fail', End: true },
              },
            },
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      },
      { items: [1, 2, 3] },
    )
    const each = statuses.get('Each')!
    expect(each.status).toBe('caught')
    expect(each.items).toMatchObject({ total: 3, failed: 1 })
    expect(statuses.get('Break')).toMatchObject({ status: 'failed', visitCount: 1 })
    expect(statuses.get('Break')!.visits[0]!.error).toMatchObject({ error: 'Test.Broken' })
    expect(statuses.get('Which')!.counts.succeeded).toBe(3)
    expect(statuses.get('Handled')!.status).toBe('succeeded')
  })

  it("a root state's failure fails the run: that state is `failed` with the error, nothing after it ran", async () => {
    const { record, statuses } = await runOf({
      StartAt: 'Boom',
      States: { Boom: { Type: 'Task', Resource: 'test:fail', Next: 'Never' }, Never: { Type: 'Pass', End: true } },
    })
    expect(record.status).toBe('FAILED')
    expect(statusesOf(statuses)).toEqual({ Boom: 'failed' })
    expect(statuses.get('Boom')!.visits[0]!.error!.cause).toContain('cannot do')
  })
})

describe('the graph', () => {
  const definition: WorkflowDefinition = {
    StartAt: 'Pick',
    States: {
      Pick: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Both' }], Default: 'Each' },
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
          { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
        ],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Oops' }],
        Next: 'Each',
      },
      Each: {
        Type: 'Map',
        ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } },
        End: true,
      },
      Oops: { Type: 'Fail', Error: 'X' },
    },
  }

  it('draws every state once, Map and Parallel bodies inside their state, Catch and Choice edges told apart', () => {
    const svg = String(
      renderGraph(layoutWorkflow(definition), {
        statusOf: (name) => (name === 'Left' ? 'failed' : name === 'Pick' ? 'succeeded' : 'not-run'),
        detailHref: (name) => `#${name}`,
      }),
    )
    const states = [...svg.matchAll(/data-state="([^"]+)"/g)].map((m) => m[1])
    expect(states.sort()).toEqual(['Both', 'Each', 'Item', 'Left', 'Oops', 'Pick', 'Right'])
    // A body's states are inside their Map/Parallel's <g>, before it closes.
    expect(svg).toMatch(
      /data-state="Both"(?:(?!data-state="Each").)*data-state="Left"(?:(?!data-state="Each").)*data-state="Right"/s,
    )
    expect(svg).toMatch(/data-state="Each"(?:(?!data-state="Oops").)*data-state="Item"/s)
    expect(svg).toMatch(/<g class="node s-failed" data-state="Left" data-status="failed"/)
    expect(svg).toMatch(/data-state="Left"[^>]*>(?:(?!<\/g>).)*✗/s)
    expect(svg).toMatch(/data-state="Pick"[^>]*>(?:(?!<\/g>).)*✓/s)
    expect(svg.match(/class="edge e-catch"/g)).toHaveLength(1)
    expect(svg).toMatch(/class="edge e-default"/)
    expect(svg).toContain('>States.ALL</text>')
    expect(svg).toContain('>rule 1</text>')
  })
})
