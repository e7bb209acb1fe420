import { describe, expect, it } from 'vitest'
import { createActionRegistry, type ActionRegistry } from './actions/registry'
import { createEngine } from './create-engine'
import type { EngineHooks, TaskCallInfo, TaskCallResult } from './engine-hooks'
import type { WorkflowDefinition } from './interpreter/definition'
import { createMemoryStore } from './stores/memory-store'
import { createFakeClock } from './testing/fake-clock'

const flaky: WorkflowDefinition = {
  StartAt: 'Call',
  States: {
    Call: {
      Type: 'Task',
      Resource: 'my:flaky',
      Retry: [{ ErrorEquals: ['My.Busy'], IntervalSeconds: 2, MaxAttempts: 3 }],
      End: true,
    },
  },
} as WorkflowDefinition

function flakyActions(failures: number): ActionRegistry {
  const actions = createActionRegistry()
  let calls = 0
  actions.register('my:flaky', {
    call: () => {
      if (++calls <= failures) throw Object.assign(new Error('busy now'), { name: 'My.Busy' })
      return { ok: true }
    },
  })
  return actions
}

async function runWith(hooks: EngineHooks, actions: ActionRegistry, definition = flaky) {
  const engine = createEngine({
    store: createMemoryStore(),
    actions,
    workflows: { test: definition },
    clock: createFakeClock(),
    hooks,
  })
  const { run } = await engine.start({ workflow: 'test', input: { a: 1 } })
  return engine.runToEnd(run.id)
}

describe('engine hooks', () => {
  it('tells one run start, one end, each retry and each Task call with its outcome and retries so far', async () => {
    const seen: string[] = []
    const calls: Array<TaskCallInfo & Partial<TaskCallResult>> = []
    const run = await runWith(
      {
        runStarted: (r) => seen.push(`started ${r.workflow} ${JSON.stringify(r.input)}`),
        runEnded: (r) => seen.push(`ended ${r.status} ${r.durationMs >= 0}`),
        retryScheduled: (r) => seen.push(`retry ${r.state} ${r.error} attempt ${r.attempt} in ${r.delayMs}`),
        taskCall: async (call, proceed) => {
          const result = await proceed()
          calls.push({ ...call, ...result })
        },
      },
      flakyActions(2),
    )
    expect(run.status).toBe('SUCCEEDED')
    expect(seen).toEqual([
      'started test {"a":1}',
      'retry Call My.Busy attempt 1 in 2000',
      'retry Call My.Busy attempt 2 in 4000',
      'ended SUCCEEDED true',
    ])
    expect(calls.map((c) => [c.state, c.resource, c.kind, c.retries, c.outcome, c.error])).toEqual([
      ['Call', 'my:flaky', 'invoke', 0, 'failed', 'My.Busy'],
      ['Call', 'my:flaky', 'invoke', 1, 'failed', 'My.Busy'],
      ['Call', 'my:flaky', 'invoke', 2, 'succeeded', undefined],
    ])
    expect(calls.every((c) => c.runId === run.id && typeof c.durationMs === 'number')).toBe(true)
  })

  it('tells a failed run its error', async () => {
    const ended: unknown[] = []
    const run = await runWith({ runEnded: (r) => ended.push([r.status, r.error?.error]) }, flakyActions(9))
    expect(run.status).toBe('FAILED')
    expect(ended).toEqual([['FAILED', 'My.Busy']])
  })

  it('makes each call once, and the run unchanged, whatever the hooks do', async () => {
    let made = 0
    const actions = createActionRegistry()
    actions.register('my:flaky', { call: () => ++made })
    const run = await runWith(
      {
        runStarted: () => {
          throw new Error('observer broke')
        },
        runEnded: () => {
          throw new Error('observer broke')
        },
        taskCall: async (_call, proceed) => {
          await Promise.all([proceed(), proceed()])
          throw new Error('observer broke')
        },
      },
      actions,
    )
    expect(run.status).toBe('SUCCEEDED')
    expect(run.output).toBe(1)
    expect(made).toBe(1)
  })

  it('makes the call when a taskCall hook forgets to proceed', async () => {
    let made = 0
    const actions = createActionRegistry()
    actions.register('my:flaky', { call: () => ++made })
    const run = await runWith({ taskCall: () => undefined }, actions)
    expect(run.status).toBe('SUCCEEDED')
    expect(made).toBe(1)
  })
})
