import { describe, expect, it } from 'vitest'
import { planRetention } from './retention-plan'
import { snapshotName } from './snapshot-name'

const now = new Date('2026-11-23T03:00:00Z')
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000 - 60_000)
let runs = 0
const own = (id: string, age: number) => ({
  snapshotID: id,
  snapshotName: snapshotName('nightly', `0f8e6c2a-4b1d-4c3e-9a7b-${String(++runs).padStart(12, '0')}`),
  createTime: daysAgo(age).toISOString(),
})

const snapshots = [
  own('s0', 0),
  own('s1', 1),
  own('s8', 8),
  own('s30', 30),
  { snapshotID: 'hand', snapshotName: 'before-upgrade', createTime: daysAgo(400).toISOString() },
]

describe('planRetention', () => {
  it('prunes own snapshots past the age limit, never foreign ones', () => {
    const plan = planRetention(snapshots, { prefix: 'nightly', rule: { maxAgeDays: 7 }, now })
    expect(plan.prune).toEqual(['s8', 's30'])
    expect(plan.keep).toEqual(['s0', 's1'])
    expect(plan.foreign).toEqual(['hand'])
  })

  it('keeps the newest N per disk', () => {
    expect(planRetention(snapshots, { prefix: 'nightly', rule: { keepLast: 3 }, now }).prune).toEqual(['s30'])
  })

  it('with both rules, prunes only what is old AND beyond the newest N', () => {
    expect(planRetention(snapshots, { prefix: 'nightly', rule: { maxAgeDays: 0, keepLast: 2 }, now }).prune).toEqual([
      's8',
      's30',
    ])
    expect(planRetention(snapshots, { prefix: 'nightly', rule: { maxAgeDays: 10, keepLast: 1 }, now }).prune).toEqual([
      's30',
    ])
  })

  it('prunes nothing without a rule, and never a protected or undated snapshot', () => {
    expect(planRetention(snapshots, { prefix: 'nightly', rule: {}, now }).prune).toEqual([])
    const undated = { ...own('sx', 50), createTime: 'not a date' }
    const plan = planRetention([...snapshots, undated], {
      prefix: 'nightly',
      rule: { maxAgeDays: 7 },
      now,
      protect: ['s30'],
    })
    expect(plan.prune).toEqual(['s8'])
  })

  it('names a bad rule', () => {
    expect(() => planRetention([], { prefix: 'nightly', rule: { keepLast: -1 }, now })).toThrow(/retention.keepLast/)
    expect(() => planRetention([], { prefix: 'nightly', rule: { maxAgeDays: 1.5 }, now })).toThrow(
      /retention.maxAgeDays/,
    )
  })
})
