import { describe, expect, it } from 'vitest'
import {
  CREATION_SCHEDULE,
  elapsedPollDelay,
  END_TOLERANCE,
  percentOf,
  progressPollDelay,
  RESOURCE_SCHEDULE,
} from './poll-schedule'

describe('elapsedPollDelay', () => {
  it('waits a fraction of the time already waited, between the floor and the cap', () => {
    expect(elapsedPollDelay(0, RESOURCE_SCHEDULE)).toBe(1_000)
    expect(elapsedPollDelay(20_000, RESOURCE_SCHEDULE)).toBe(10_000)
    expect(elapsedPollDelay(600_000, RESOURCE_SCHEDULE)).toBe(30_000)
    expect(elapsedPollDelay(600_000, CREATION_SCHEDULE)).toBe(5_000)
    expect(elapsedPollDelay(-5, RESOURCE_SCHEDULE)).toBe(1_000)
  })

  it('sees a wait of any length by about (1 + ratio) × its duration', () => {
    for (const ends of [1_500, 4_500, 55_000, 600_000]) {
      let at = 0
      while (at < ends) at += elapsedPollDelay(at, RESOURCE_SCHEDULE)
      expect(at).toBeLessThanOrEqual(
        Math.max(ends + RESOURCE_SCHEDULE.minMs, Math.min(ends * 1.5, ends + RESOURCE_SCHEDULE.maxMs)),
      )
    }
  })
})

describe('progressPollDelay', () => {
  it('has no estimate without progress since the first mark', () => {
    expect(
      progressPollDelay({ atMs: 10_000, percent: 5 }, { atMs: 10_000, percent: 5 }, RESOURCE_SCHEDULE),
    ).toBeUndefined()
    expect(
      progressPollDelay({ atMs: 10_000, percent: 5 }, { atMs: 20_000, percent: 5 }, RESOURCE_SCHEDULE),
    ).toBeUndefined()
  })

  // Linear 0 → 100 % over 180 s starting at 15 s; percents floored (and 99 at most until done) as CTyun shows them.
  const shown = (atMs: number) => Math.min(99, Math.floor(((atMs - 15_000) / 180_000) * 100))
  const first = { atMs: 16_000, percent: shown(16_000) }

  it('aims at the earliest end the marks allow while they are far apart, capped at twice the time waited', () => {
    const latest = { atMs: 100_000, percent: shown(100_000) }
    const delay = progressPollDelay(first, latest, RESOURCE_SCHEDULE)!
    expect(latest.atMs + delay).toBeLessThanOrEqual(195_000)
    expect(latest.atMs + delay).toBeGreaterThan(185_000)
    // Early on the estimate (≈ 144 s away) is capped at twice the time waited, so a rate that picks up is not missed by much.
    expect(progressPollDelay(first, { atMs: 24_000, percent: shown(24_000) }, RESOURCE_SCHEDULE)).toBe(48_000)
  })

  it('aims at the latest end once the two bounds are close: the end is seen in that poll, a little late at most', () => {
    const latest = { atMs: 180_000, percent: shown(180_000) }
    const at = latest.atMs + progressPollDelay(first, latest, RESOURCE_SCHEDULE)!
    expect(at).toBeGreaterThanOrEqual(195_000)
    expect(at - 195_000).toBeLessThanOrEqual(END_TOLERANCE * latest.atMs)
  })

  it('polls after the floor, or at the latest end, once the shown percent says little is left', () => {
    expect(progressPollDelay({ atMs: 0, percent: 0 }, { atMs: 99_000, percent: 99 }, RESOURCE_SCHEDULE)).toBe(1_010)
  })
})

describe('percentOf', () => {
  it('reads numbers and numeric strings in 0..100', () => {
    expect(percentOf(42)).toBe(42)
    expect(percentOf('42')).toBe(42)
    expect(percentOf('42%')).toBe(42)
    expect(percentOf('')).toBeUndefined()
    expect(percentOf(null)).toBeUndefined()
    expect(percentOf(101)).toBeUndefined()
    expect(percentOf(-1)).toBeUndefined()
  })
})
