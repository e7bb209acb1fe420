import { describe, expect, it } from 'vitest'
import { createFakeEngine } from './testing/fake-engine'
import { scheduledEvent } from './testing/lambda-events'
import { runScheduled, ScheduledEventError } from './scheduled'
import { budgetFrom } from './budget'

const NOW = 1_750_000_000_000
const budget = { deadline: NOW + 60_000 }

const envelope = (detail: unknown) => scheduledEvent(detail, { id: 'evt-1' })

describe('runScheduled', () => {
  it('starts the workflow a constant schedule input names and advances it within the budget', async () => {
    const engine = createFakeEngine({ clock: () => NOW })
    const result = await runScheduled({ engine }, { workflow: 'backup', input: { region: 'r1' } }, budget, {
      invocationId: 'req-1',
    })
    expect(result).toMatchObject({ workflow: 'backup', created: true, status: 'SUCCEEDED' })
    expect(engine.runs.get(result.runId)).toMatchObject({
      input: { region: 'r1' },
      idempotencyKey: 'schedule:backup:req-1',
    })
  })

  it('reads the job from a Scheduled Event envelope and keys the run by the event id', async () => {
    const engine = createFakeEngine({ clock: () => NOW })
    const result = await runScheduled({ engine }, envelope({ workflow: 'report' }), budget, { invocationId: 'req-9' })
    expect(engine.runs.get(result.runId)).toMatchObject({
      workflow: 'report',
      input: {},
      idempotencyKey: 'schedule:report:evt-1',
    })
  })

  it('resumes the same run when the same firing is delivered again', async () => {
    const engine = createFakeEngine({ clock: () => NOW, stepsToFinish: 5 })
    const first = await runScheduled({ engine }, { workflow: 'backup' }, budget, { invocationId: 'req-1' })
    const retry = await runScheduled({ engine }, { workflow: 'backup' }, budget, { invocationId: 'req-1' })
    expect(retry.runId).toBe(first.runId)
    expect(retry.created).toBe(false)
    expect(engine.runs.size).toBe(1)
    expect(engine.calls.filter((c) => c === 'advance')).toHaveLength(2)
  })

  it('leaves the run to the worker when the budget is already spent', async () => {
    const engine = createFakeEngine({ clock: () => NOW })
    const result = await runScheduled(
      { engine },
      { workflow: 'backup' },
      budgetFrom(3_000, { marginMs: 5_000, now: NOW }),
    )
    expect(result.status).toBe('RUNNING')
  })

  it.each([
    ['an envelope without a workflow (a rule with no input)', envelope({}), '$.detail.workflow'],
    ['an input whose workflow is not a string', { workflow: 3 }, '$.workflow'],
    ['a non-object event', 'backup', '$'],
  ])('refuses %s, naming the JSON path', async (_name, event, path) => {
    const engine = createFakeEngine({ clock: () => NOW })
    const error = await runScheduled({ engine }, event, budget).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ScheduledEventError)
    expect((error as ScheduledEventError).path).toBe(path)
    expect((error as Error).message).toContain(path)
    expect(engine.runs.size).toBe(0)
  })
})

describe('budgetFrom', () => {
  it('keeps a margin back and never returns a deadline in the past', () => {
    expect(budgetFrom(60_000, { marginMs: 5_000, now: NOW })).toEqual({ deadline: NOW + 55_000 })
    expect(budgetFrom(1_000, { marginMs: 5_000, now: NOW })).toEqual({ deadline: NOW })
  })
})
