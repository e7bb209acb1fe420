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

/** The job's snapshots on each disk, from one listing of its prefix. */
export type SnapshotsByDisk = Map<string, RetainableSnapshot[]>

async function listByDisk(listSnapshots: ListSnapshots, regionID: string, prefix: string): Promise<SnapshotsByDisk> {
  const byDisk: SnapshotsByDisk = new Map()
  for await (const { snapshotID, snapshotName, createTime, diskID } of listSnapshots({
    regionID,
    snapshotName: prefix,
  })) {
    // Without a name it cannot be the job's own; without a date it is never old enough (retention-plan.ts).
    if (!diskID || snapshotName === undefined) continue
    let list = byDisk.get(diskID)
    if (!list) byDisk.set(diskID, (list = []))
    list.push({ snapshotID, snapshotName, createTime: createTime ?? '' })
  }
  return byDisk
}

/**
 * `shared`: the prefix's listing as the whole job reads it once (see createSharedSnapshotListings), instead of one
 * listing per call. Tonight's snapshots a listing from before they existed does not show are added from `snapshots`
 * (named `snapshotName`, made now): a plan always sees them, as it would in a fresh listing.
 * @example await planPrunes({ regionID, prefix: 'ctflow-nightly', retention: { maxAgeDays: 7 }, snapshots }, { listSnapshots, now: new Date() })
 */
export async function planPrunes(
  {
    regionID,
    prefix,
    retention,
    snapshots,
    snapshotName,
  }: {
    regionID: string
    prefix: string
    retention: RetentionRule
    snapshots: ReadonlyArray<{ diskID: string; snapshotID?: string | null }>
    /** The name of tonight's snapshots (needed with `shared`). */
    snapshotName?: string
  },
  {
    listSnapshots,
    now,
    shared,
  }: {
    listSnapshots: ListSnapshots
    now: Date
    shared?: (list: () => Promise<SnapshotsByDisk>) => Promise<SnapshotsByDisk>
  },
): Promise<DiskPrunePlan[]> {
  const tonight = snapshots.filter(
    (disk): disk is { diskID: string; snapshotID: string } =>
      typeof disk.snapshotID === 'string' && disk.snapshotID !== '',
  )
  if (tonight.length === 0) return []
  const list = () => listByDisk(listSnapshots, regionID, prefix)
  const byDisk = shared && snapshotName ? await shared(list) : await list()
  return tonight.map(({ diskID, snapshotID }) => {
    const listed = byDisk.get(diskID) ?? []
    const own =
      snapshotName && !listed.some((s) => s.snapshotID === snapshotID)
        ? [...listed, { snapshotID, snapshotName, createTime: now.toISOString() }]
        : listed
    const plan = planRetention(own, { prefix, rule: retention, now, protect: [snapshotID] })
    return { diskID, prune: plan.prune, kept: plan.keptBy }
  })
}

/**
 * How long a job's shared listing is kept: the pages of a nightly job of 10,000 disks prune over about half an hour.
 * Older snapshots than tonight's do not change while the job runs, but for its own prunes of other disks.
 */
export const SHARED_SNAPSHOT_LISTING_MS = 2 * 60 * 60_000

/**
 * The prefix listings of running jobs, one per job (`key`: region and the job's snapshot name): the pages of one job,
 * in this process, read the listing once instead of each reading every snapshot of the job (which grows with the
 * job: quadratic over its pages). In memory only; a failed read is not kept.
 * @example const listings = createSharedSnapshotListings({ now: Date.now }); await listings.read(key, () => list())
 */
export function createSharedSnapshotListings({ now }: { now: () => number }) {
  const listings = new Map<string, { at: number; listing: Promise<SnapshotsByDisk> }>()
  return {
    read(key: string, list: () => Promise<SnapshotsByDisk>): Promise<SnapshotsByDisk> {
      const at = now()
      for (const [k, entry] of listings) if (entry.at < at - SHARED_SNAPSHOT_LISTING_MS) listings.delete(k)
      const cached = listings.get(key)
      if (cached) return cached.listing
      const listing = list().catch((error: unknown) => {
        listings.delete(key)
        throw error
      })
      listings.set(key, { at, listing })
      return listing
    },
  }
}
