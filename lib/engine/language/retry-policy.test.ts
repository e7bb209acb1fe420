import { describe, expect, it } from 'vitest'
import { findCatcher, findRetrier, retryDelayMs } from './retry-policy'

describe('retryDelayMs', () => {
  it('uses the ASL defaults: 1 s, doubling, three retries', () => {
    const retrier = { ErrorEquals: ['States.ALL'] }
    expect([0, 1, 2, 3].map((retries) => retryDelayMs(retrier, retries, Math.random))).toEqual([
      1000,
      2000,
      4000,
      undefined,
    ])
  })

  it('applies IntervalSeconds, BackoffRate and the MaxDelaySeconds cap', () => {
    const retrier = { ErrorEquals: ['X'], IntervalSeconds: 3, BackoffRate: 1.5, MaxAttempts: 10, MaxDelaySeconds: 8 }
    expect([0, 1, 2, 3].map((retries) => retryDelayMs(retrier, retries, Math.random))).toEqual([3000, 4500, 6750, 8000])
  })

  it('never retries with MaxAttempts 0', () => {
    expect(retryDelayMs({ ErrorEquals: ['X'], MaxAttempts: 0 }, 0, Math.random)).toBeUndefined()
  })

  it('spreads delays between 0 and the computed delay with JitterStrategy FULL', () => {
    const retrier = { ErrorEquals: ['X'], IntervalSeconds: 2, JitterStrategy: 'FULL' as const }
    expect(retryDelayMs(retrier, 1, () => 0.25)).toBe(1000)
    expect(retryDelayMs(retrier, 1, () => 0)).toBe(0)
    expect(retryDelayMs({ ...retrier, JitterStrategy: 'NONE' }, 1, () => 0.25)).toBe(4000)
  })
})

describe('findRetrier and findCatcher', () => {
  const entries = [
    { ErrorEquals: ['Ctyun.Throttled'], Next: 'Throttled' },
    { ErrorEquals: ['States.TaskFailed'], Next: 'TaskFailed' },
    { ErrorEquals: ['States.ALL'], Next: 'Everything' },
  ]

  it('pick the first entry that matches, in order', () => {
    expect(findRetrier(entries, 'Ctyun.Throttled')?.index).toBe(0)
    expect(findRetrier(entries, 'Ctyun.NotFound')?.index).toBe(1)
    expect(findRetrier(entries, 'States.Timeout')?.index).toBe(2)
    expect(findCatcher(entries, 'States.Timeout')?.Next).toBe('Everything')
    expect(findCatcher(entries, 'Ctyun.NotFound')?.Next).toBe('TaskFailed')
  })

  it('match nothing for States.Runtime or without entries', () => {
    expect(findRetrier(entries, 'States.Runtime')).toBeUndefined()
    expect(findCatcher(entries, 'States.Runtime')).toBeUndefined()
    expect(findRetrier(undefined, 'X')).toBeUndefined()
    expect(findCatcher([], 'X')).toBeUndefined()
  })
})
