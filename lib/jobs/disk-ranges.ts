/**
 * The nightly job's pages as ranges of the region's disk listing, so that no payload holds every disk: Prepare lists
 * the region once, and names each page by where its disks sit in that listing (list-ebs, pageSize LIST_PAGE_SIZE),
 * which disks of the range are chosen, and the range's first and last disk IDs; each page re-reads its own range
 * (page-disks.ts, one or two list-ebs calls) and checks those two IDs, so a listing that moved in between is noticed
 * rather than snapshotting the wrong disks.
 *
 * A page closes once it has about PAGE_DISKS chosen disks, and only between two instances, so every chosen disk of an
 * instance whose disks are listed together is on one page. Each instance is backed up by one page: the one that holds
 * its first chosen disk.
 */
import { PAGE_DISKS } from './backup-pages'
import type { SelectableDisk } from './disk-selection'
import type { PlannedDisk } from './prepare-backup'

/** list-ebs page size used by Prepare and by each page's re-read (the API's maximum, shared/ctyun-api.md §3.2). */
export const LIST_PAGE_SIZE = 300

/** A listed disk: what the page needs of a list-ebs item. */
export type ListedDisk = SelectableDisk

export interface DiskRange {
  /** 1-based. */
  page: number
  /** Index in the region's listing (0-based, list-ebs order with pageSize LIST_PAGE_SIZE) of the range's first disk. */
  start: number
  /** Index of the range's last disk (inclusive). */
  end: number
  firstDiskID: string
  lastDiskID: string
  /** The chosen disks, as runs `[from, to]` (inclusive) of offsets from `start`: compact when most disks are chosen. */
  picks: Array<[number, number]>
  /** How many disks `picks` names. */
  count: number
  /** The instances this page backs up (those whose first chosen disk is here; empty when backup is off). */
  instances: string[]
}

/**
 * Cuts the chosen disks of `listing` (`chosen[i]` for listing[i]) into ranges.
 * @example cutDiskRanges(listing, listing.map(() => true), { backup: true }).map((r) => r.count) // [100, 100, …]
 */
export function cutDiskRanges(
  listing: readonly ListedDisk[],
  chosen: readonly boolean[],
  { backup, pageDisks = PAGE_DISKS }: { backup: boolean; pageDisks?: number },
): DiskRange[] {
  const ranges: DiskRange[] = []
  const owned = new Set<string>()
  let current: { start: number; end: number; offsets: number[]; instances: string[] } | undefined
  let lastInstance: string | null | undefined
  const close = () => {
    if (!current) return
    const { start, end, offsets, instances } = current
    ranges.push({
      page: ranges.length + 1,
      start,
      end,
      firstDiskID: listing[start]!.diskID,
      lastDiskID: listing[end]!.diskID,
      picks: toRuns(offsets),
      count: offsets.length,
      instances,
    })
    current = undefined
  }
  for (let i = 0; i < listing.length; i++) {
    if (!chosen[i]) continue
    const disk = listing[i]!
    const instanceID = disk.instanceID || null
    // Full: close before a disk of another instance (or of none), never inside an instance's run of disks.
    if (current && current.offsets.length >= pageDisks && (instanceID === null || instanceID !== lastInstance)) close()
    current ??= { start: i, end: i, offsets: [], instances: [] }
    current.end = i
    current.offsets.push(i - current.start)
    if (backup && instanceID !== null && !owned.has(instanceID)) {
      owned.add(instanceID)
      current.instances.push(instanceID)
    }
    lastInstance = instanceID
  }
  close()
  return ranges
}

/** The offsets a range's picks name, in order. */
export function pickedOffsets(picks: ReadonlyArray<readonly [number, number]>): number[] {
  const offsets: number[] = []
  for (const [from, to] of picks) for (let o = from; o <= to; o++) offsets.push(o)
  return offsets
}

function toRuns(offsets: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = []
  for (const o of offsets) {
    const last = runs.at(-1)
    if (last && last[1] === o - 1) last[1] = o
    else runs.push([o, o])
  }
  return runs
}

/** A listed disk as a page plans it. */
export function plannedDisk(disk: ListedDisk): PlannedDisk {
  return {
    diskID: disk.diskID,
    diskName: disk.diskName ?? null,
    instanceID: disk.instanceID || null,
    isSystemVolume: Boolean(disk.isSystemVolume),
  }
}
