import { planRetention, type KeepReason, type RetainableSnapshot, type RetentionRule } from './retention-plan'

/**
 * What the nightly job prunes on each disk it snapshotted tonight (`ctflow:backup:planPrunes`), from one listing:
 * list-ebs-snap filtered by the job's snapshot prefix returns this job's snapshots on every disk (the name filter is
 * fuzzy, shared/ctyun-api.md §3.2), where one listing per disk returned each disk's every snapshot. Only names of
 * the job's own form are ever pruned (retention-plan.ts); a disk whose snapshot failed tonight is not pruned at all.
 */
export interface DiskPrunePlan {
  diskID: string
  /** Snapshot IDs to delete (possibly none). */
  prune: string[]
  /** The job's snapshots kept on the disk, each with the rules that keep it (retention-plan.ts). */
  kept: Record<string, KeepReason[]>
}

/** A snapshot as list-ebs-snap returns it (the fields retention needs). */
export interface ListedSnapshot {
  snapshotID: string
  snapshotName?: string
  createTime?: string | number
  diskID?: string
}

type ListSnapshots = (params: { regionID: string; snapshotName: string }) => AsyncIterable<ListedSnapshot>

/**
 * @example await planPrunes({ regionID, prefix: 'ctflow-nightly', retention: { maxAgeDays: 7 }, snapshots }, { listSnapshots, now: new Date() })
 */
export async function planPrunes(
  {
    regionID,
    prefix,
    retention,
    snapshots,
  }: {
    regionID: string
    prefix: string
    retention: RetentionRule
    snapshots: ReadonlyArray<{ diskID: string; snapshotID?: string | null }>
  },
  { listSnapshots, now }: { listSnapshots: ListSnapshots; now: Date },
): Promise<DiskPrunePlan[]> {
  const tonight = snapshots.filter(
    (disk): disk is { diskID: string; snapshotID: string } =>
      typeof disk.snapshotID === 'string' && disk.snapshotID !== '',
  )
  if (tonight.length === 0) return []
  const byDisk = new Map<string, RetainableSnapshot[]>()
  for await (const { snapshotID, snapshotName, createTime, diskID } of listSnapshots({
    regionID,
    snapshotName: prefix,
  })) {
    // Without a name it cannot be the job's own; without a date it is never old enough (retention-plan.ts).
    if (!diskID || snapshotName === undefined) continue
    byDisk.set(diskID, [...(byDisk.get(diskID) ?? []), { snapshotID, snapshotName, createTime: createTime ?? '' }])
  }
  return tonight.map(({ diskID, snapshotID }) => {
    const plan = planRetention(byDisk.get(diskID) ?? [], { prefix, rule: retention, now, protect: [snapshotID] })
    return { diskID, prune: plan.prune, kept: plan.keptBy }
  })
}
