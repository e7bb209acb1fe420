import { describe, expect, it } from 'vitest'
import { periodKey } from './retention-periods'
import { planRetention, type RetainableSnapshot, type RetentionRule } from './retention-plan'
import { snapshotName } from './snapshot-name'

// A year of nightly snapshots, each at 02:00 Beijing time (18:00 UTC the day before), 2026-01-01 … 2026-12-31.
const uuid = (n: number) => `0f8e6c2a-4b1d-4c3e-9a7b-${String(n).padStart(12, '0')}`
const at0200Shanghai = (day: string) => Date.parse(`${day}T02:00:00+08:00`)
const dayID = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10) // the Beijing date
const year: RetainableSnapshot[] = []
for (let ms = at0200Shanghai('2026-01-01'), n = 0; ms <= at0200Shanghai('2026-12-31'); ms += 86_400_000, n++)
  year.push({ snapshotID: dayID(ms), snapshotName: snapshotName('nightly', uuid(n)), createTime: ms })
const now = new Date('2026-12-31T20:00:00+08:00')
/** The last day of each month of that year, newest first: what a monthly rule keeps. */
const MONTH_ENDS = Array.from({ length: 12 }, (_, month) =>
  new Date(Date.UTC(2026, 12 - month, 0)).toISOString().slice(0, 10),
)
const plan = (rule: RetentionRule, snapshots = year, protect: string[] = []) =>
  planRetention(snapshots, { prefix: 'nightly', rule, now, protect })

describe('GFS retention on a year of daily snapshots', () => {
  it.each<[string, RetentionRule, string[]]>([
    [
      'daily 7: the last seven days',
      { daily: 7 },
      ['2026-12-31', '2026-12-30', '2026-12-29', '2026-12-28', '2026-12-27', '2026-12-26', '2026-12-25'],
    ],
    // 2026-12-31 is a Thursday in ISO week 53 (Mon 12-28 … Sun 2027-01-03); the weeks before end on Sundays.
    ['weekly 4: the newest of each ISO week', { weekly: 4 }, ['2026-12-31', '2026-12-27', '2026-12-20', '2026-12-13']],
    ['monthly 12: the last day of each month', { monthly: 12 }, MONTH_ENDS],
    ['monthly 13: only twelve months have snapshots', { monthly: 13 }, MONTH_ENDS],
    ['yearly 1: the newest of the year', { yearly: 1 }, ['2026-12-31']],
    ['counts of 0 keep nothing', { daily: 0, weekly: 0, monthly: 0, yearly: 0 }, []],
    [
      'a count of 0 beside another rule keeps what the other keeps',
      { daily: 0, keepLast: 2 },
      ['2026-12-31', '2026-12-30'],
    ],
  ])('%s', (_, rule, kept) => {
    const result = plan(rule)
    expect(result.keep).toEqual(kept)
    expect(result.prune).toHaveLength(year.length - kept.length)
  })

  it('keeps a snapshot when any rule keeps it, and says which rules did', () => {
    const result = plan({ daily: 7, weekly: 4, monthly: 12, yearly: 0, maxAgeDays: 2 })
    expect(result.keep).toHaveLength(7 + 2 + 11) // 7 days, 2 week-ends before them (12-20, 12-13), 11 month-ends
    expect(result.keptBy['2026-12-31']).toEqual(['maxAgeDays', 'daily', 'weekly', 'monthly'])
    expect(result.keptBy['2026-12-30']).toEqual(['maxAgeDays', 'daily']) // 1 day 18 h old
    expect(result.keptBy['2026-12-29']).toEqual(['daily']) // 2 days 18 h old
    expect(result.keptBy['2026-12-27']).toEqual(['daily', 'weekly'])
    expect(result.keptBy['2026-12-13']).toEqual(['weekly'])
    expect(result.keptBy['2026-11-30']).toEqual(['monthly'])
    expect(result.prune).toContain('2026-12-24')
    expect(result.prune).toContain('2026-11-29')
    expect(Object.keys(result.keptBy).sort()).toEqual([...result.keep].sort())
  })

  it('counts periods that have a snapshot, so a gap does not cost the older copies', () => {
    const withGap = year.filter((s) => s.snapshotID < '2026-10-01' || s.snapshotID > '2026-12-20')
    expect(plan({ monthly: 3 }, withGap).keep).toEqual(['2026-12-31', '2026-09-30', '2026-08-31'])
    expect(plan({ daily: 3 }, withGap).keep).toEqual(['2026-12-31', '2026-12-30', '2026-12-29'])
  })

  it('counts the periods in the time zone the rule names (Beijing time by default)', () => {
    // 23:30 and 00:30 Beijing time on either side of a month end: 15:30 and 16:30 UTC, the same UTC day.
    const edge = [
      { snapshotID: 'june-end', snapshotName: snapshotName('nightly', uuid(900)), createTime: '2026-06-30T15:30:00Z' },
      {
        snapshotID: 'july-start',
        snapshotName: snapshotName('nightly', uuid(901)),
        createTime: '2026-06-30T16:30:00Z',
      },
    ]
    expect(plan({ monthly: 2 }, edge).keep).toEqual(['july-start', 'june-end'])
    expect(plan({ daily: 2 }, edge).keep).toEqual(['july-start', 'june-end'])
    expect(plan({ monthly: 2, timeZone: 'UTC' }, edge).keep).toEqual(['july-start'])
    expect(plan({ daily: 2, timeZone: 'UTC' }, edge).keep).toEqual(['july-start'])
    // Across a daylight saving change: 23:30 local on 7 March (EST) and on 8 March (EDT) are two days there.
    const dst = [
      { snapshotID: 'mar-7', snapshotName: snapshotName('nightly', uuid(902)), createTime: '2026-03-08T04:30:00Z' },
      { snapshotID: 'mar-8', snapshotName: snapshotName('nightly', uuid(903)), createTime: '2026-03-09T03:30:00Z' },
    ]
    expect(plan({ daily: 2, timeZone: 'America/New_York' }, dst).keep).toEqual(['mar-8', 'mar-7'])
  })

  it('names ISO weeks and periods across year ends', () => {
    const key = (iso: string, period: Parameters<typeof periodKey>[1], tz = 'UTC') =>
      periodKey(Date.parse(iso), period, tz)
    expect(key('2027-01-01T12:00:00Z', 'weekly')).toBe('2026-W53') // a Friday in 2026's last ISO week
    expect(key('2021-01-03T12:00:00Z', 'weekly')).toBe('2020-W53')
    expect(key('2024-12-30T12:00:00Z', 'weekly')).toBe('2025-W01') // a Monday in 2025's first week
    expect(key('2026-12-31T17:00:00Z', 'yearly', 'Asia/Shanghai')).toBe('2027')
    expect(key('2026-12-31T17:00:00Z', 'yearly')).toBe('2026')
    expect(key('2026-02-28T16:30:00Z', 'monthly', 'Asia/Shanghai')).toBe('2026-03')
  })

  it('never prunes a foreign, protected or undated snapshot, whatever the counts', () => {
    const foreign = {
      snapshotID: 'by-hand',
      snapshotName: 'nightly-before-upgrade',
      createTime: '2025-01-01T00:00:00Z',
    }
    const undated = { snapshotID: 'undated', snapshotName: snapshotName('nightly', uuid(990)), createTime: 'yesterday' }
    const result = plan({ daily: 0, weekly: 0, monthly: 0, yearly: 0 }, [...year, foreign, undated], ['2026-06-01'])
    expect(result.foreign).toEqual(['by-hand'])
    expect(result.keep).toEqual(['undated', '2026-06-01'])
    expect(result.keptBy).toEqual({ undated: ['undated'], '2026-06-01': ['protected'] })
    expect(result.prune).toHaveLength(year.length - 1)
    // An undated snapshot takes no period's place: the day's newest dated one is still kept for it.
    expect(plan({ daily: 1 }, [...year, undated]).keptBy).toEqual({ undated: ['undated'], '2026-12-31': ['daily'] })
  })

  it('counts tonight’s snapshot as the newest when the listing does not have it yet', () => {
    const result = plan({ daily: 2 }, year, ['tonight'])
    // Made tonight (Beijing 20:00), it is the newest of 31 December; the day before is the second day.
    expect(result.keptBy).toEqual({ tonight: ['protected', 'daily'], '2026-12-30': ['daily'] })
  })

  it('names a bad count or time zone', () => {
    expect(() => plan({ weekly: -1 })).toThrow(/retention.weekly must be a whole number/)
    expect(() => plan({ monthly: 1.5 })).toThrow(/retention.monthly/)
    expect(() => plan({ daily: 1, timeZone: 'Mars/Olympus' })).toThrow(/retention.timeZone/)
  })
})
