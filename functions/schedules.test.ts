import { Cron } from 'croner'
import { describe, expect, it } from 'vitest'
import { schedules, ScheduleExpressionError, toCronerPlan, toUnixCron } from './schedules'

function nextRuns(expression: string, from: string, count = 3): string[] {
  const { pattern, options } = toCronerPlan(expression)
  const job = new Cron(pattern, { ...options, paused: true })
  return job.nextRuns(count, new Date(from)).map((date) => date.toISOString())
}

describe('schedules', () => {
  it('defines the nightly backup and the worker tick with valid expressions', () => {
    expect(schedules.map((s) => [s.name, s.function])).toEqual([
      ['nightly-backup', 'scheduled'],
      ['worker', 'worker'],
    ])
    expect(schedules[0]!.input?.workflow).toBe('snapshot-then-backup')
    for (const schedule of schedules) expect(() => toCronerPlan(schedule.expression)).not.toThrow()
  })

  it('fires an EventBridge cron at the same UTC instants', () => {
    expect(nextRuns('cron(0 18 * * ? *)', '2026-03-01T12:00:00Z')).toEqual([
      '2026-03-01T18:00:00.000Z',
      '2026-03-02T18:00:00.000Z',
      '2026-03-03T18:00:00.000Z',
    ])
  })

  it('reads EventBridge weekday numbers (1 = Sunday)', () => {
    // 2026-03-01 is a Sunday; "2" is Monday in EventBridge (and Quartz), Tuesday in Unix cron.
    expect(nextRuns('cron(30 1 ? * 2 *)', '2026-03-01T00:00:00Z', 1)).toEqual(['2026-03-02T01:30:00.000Z'])
    expect(nextRuns('cron(0 9 ? * MON-FRI *)', '2026-03-06T10:00:00Z', 2)).toEqual([
      '2026-03-09T09:00:00.000Z',
      '2026-03-10T09:00:00.000Z',
    ])
  })

  it('turns rate expressions into fixed steps', () => {
    expect(nextRuns('rate(1 minute)', '2026-03-01T00:00:30Z')).toEqual([
      '2026-03-01T00:01:00.000Z',
      '2026-03-01T00:02:00.000Z',
      '2026-03-01T00:03:00.000Z',
    ])
    expect(toCronerPlan('rate(5 minutes)').options.interval).toBe(299)
    expect(toCronerPlan('rate(2 hours)').pattern).toBe('0 0 * * * *')
  })

  it.each(['cron(0 18 * * ?)', 'rate(0 minutes)', 'every day', 'rate(5 weeks)'])(
    'refuses %s with a message naming it',
    (expression) => {
      expect(() => toCronerPlan(expression)).toThrow(ScheduleExpressionError)
      expect(() => toCronerPlan(expression)).toThrow(expression)
    },
  )
})

describe('toUnixCron (Deno.cron, Workers Cron Triggers)', () => {
  const unixRuns = (cron: string, from: string, count = 3) =>
    new Cron(cron, { timezone: 'UTC', paused: true }).nextRuns(count, new Date(from)).map((date) => date.toISOString())

  it('fires when the EventBridge expression does, for every shipped schedule and a few more', () => {
    for (const expression of [
      ...schedules.map((schedule) => schedule.expression),
      'cron(30 2 ? * MON-FRI *)',
      'cron(0 0 1 * ? *)',
      'rate(5 minutes)',
    ])
      expect(unixRuns(toUnixCron(expression), '2026-12-05T05:00:00Z'), expression).toEqual(
        nextRuns(expression, '2026-12-05T05:00:00Z'),
      )
    expect(toUnixCron('cron(0 18 * * ? *)')).toBe('0 18 * * *')
    expect(toUnixCron('rate(1 minute)')).toBe('* * * * *')
    // A rate has no phase (EventBridge counts from the rule's creation): the same spacing is what must hold.
    const gaps = unixRuns(toUnixCron('rate(2 hours)'), '2026-12-05T05:00:00Z').map(Date.parse)
    expect([gaps[1]! - gaps[0]!, gaps[2]! - gaps[1]!]).toEqual([7_200_000, 7_200_000])
  })

  it('refuses what a 5-field cron cannot say, naming the field', () => {
    expect(() => toUnixCron('cron(0 18 * * ? 2027)')).toThrow(/no year/)
    expect(() => toUnixCron('cron(0 18 ? * 2 *)')).toThrow(/day of week as names/)
    expect(() => toUnixCron('every day')).toThrow(ScheduleExpressionError)
  })
})
