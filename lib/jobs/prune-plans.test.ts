import { describe, expect, it } from 'vitest'
import { planPrunes, type ListedSnapshot } from './prune-plans'

const run = (n: number) => `0f8e6c2a-4b1d-4c3e-9a7b-${String(n).padStart(12, '0')}`
const now = new Date('2026-11-23T03:00:00Z')
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString()

describe('planPrunes', () => {
  it('plans every disk snapshotted tonight from one listing by prefix, never a failed disk, never a foreign name', async () => {
    const listed: ListedSnapshot[] = [
      { snapshotID: 'tonight-1', snapshotName: `nightly-${run(9)}`, createTime: daysAgo(0), diskID: 'd1' },
      { snapshotID: 'old-1', snapshotName: `nightly-${run(1)}`, createTime: daysAgo(9), diskID: 'd1' },
      { snapshotID: 'manual-1', snapshotName: 'nightly-manual', createTime: daysAgo(30), diskID: 'd1' },
      { snapshotID: 'old-2', snapshotName: `nightly-${run(2)}`, createTime: daysAgo(8), diskID: 'd2' },
      { snapshotID: 'old-3', snapshotName: `nightly-${run(3)}`, createTime: daysAgo(8), diskID: 'd3' },
    ]
    const calls: unknown[] = []
    const plans = await planPrunes(
      {
        regionID: 'r1',
        prefix: 'nightly',
        retention: { maxAgeDays: 7 },
        snapshots: [
          { diskID: 'd1', snapshotID: 'tonight-1' },
          { diskID: 'd2', snapshotID: 'tonight-2' },
          { diskID: 'd3' },
        ],
      },
      {
        now,
        async *listSnapshots(params) {
          calls.push(params)
          yield* listed
        },
      },
    )
    expect(plans).toEqual([
      { diskID: 'd1', prune: ['old-1'], kept: { 'tonight-1': ['protected', 'maxAgeDays'] } },
      // tonight-2 is not listed yet: it still counts as the disk's newest, made now.
      { diskID: 'd2', prune: ['old-2'], kept: { 'tonight-2': ['protected', 'maxAgeDays'] } },
    ])
    expect(calls).toEqual([{ regionID: 'r1', snapshotName: 'nightly' }])
  })

  it('lists nothing when no snapshot was made tonight', async () => {
    const plans = await planPrunes(
      {
        regionID: 'r1',
        prefix: 'nightly',
        retention: { maxAgeDays: 7 },
        snapshots: [{ diskID: 'd1', snapshotID: null }],
      },
      {
        now,
        listSnapshots: () => {
          throw new Error('must not list')
        },
      },
    )
    expect(plans).toEqual([])
  })
})
