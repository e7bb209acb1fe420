/**
 * `ctflow:backup:readPage`: a page of the nightly job re-reads its range of the region's disk listing (disk-ranges.ts)
 * — one list-ebs call, or two where the range straddles a listing page — and finds its disks there. The range's first
 * and last disk IDs must be where Prepare saw them: if the listing moved (disks created or deleted since), the page
 * cannot tell which disks are its own and throws PageUnreadableError, and the workflow reports every disk of the page
 * failed with it (never skipped silently, never the wrong disks snapshotted).
 *
 * Where Prepare did not read labels (a label selection of more candidates than LABEL_READS_IN_PREPARE), the page
 * reads its candidates' labels itself (label-selection.ts), and backs up the instances it owns that keep a chosen
 * disk here.
 */
import { type DiskRange, LIST_PAGE_SIZE, type ListedDisk, pickedOffsets, plannedDisk } from './disk-ranges'
import { type GetDisk, selectByLabel } from './label-selection'
import type { PlannedDisk } from './prepare-backup'
import { snapshotName } from './snapshot-name'

export class PageUnreadableError extends Error {
  override name = 'Backup.PageUnreadable'
}

export type ListDisksPage = (
  params: { regionID: string },
  pageNo: number,
  pageSize: number,
) => Promise<{ items: ListedDisk[] }>

export interface PageToRead {
  regionID: string
  range: DiskRange
  /** The job's snapshot name (`<prefix>-<parent run id>`). */
  snapshotName: string
  snapshotPrefix: string
  /** Name this page's snapshots after its own run (a large job: each page's snapshot listing stays its own size). */
  ownNames: boolean
  /** The label to select by, when Prepare left it to the pages. */
  label?: { key: string; value?: string }
}

export interface ReadPage {
  disks: PlannedDisk[]
  instances: string[]
  snapshotName: string
  /** info-ebs calls this page made for labels. */
  infoEbsCalls: number
}

/**
 * @example await readPageDisks({ regionID, range, snapshotName, snapshotPrefix, ownNames: false }, { runId, listDisksPage, getDisk })
 */
export async function readPageDisks(
  page: PageToRead,
  deps: { runId: string; listDisksPage: ListDisksPage; getDisk: GetDisk; signal?: AbortSignal },
): Promise<ReadPage> {
  const { regionID, range } = page
  const first = Math.floor(range.start / LIST_PAGE_SIZE) + 1
  const last = Math.floor(range.end / LIST_PAGE_SIZE) + 1
  const listed = new Map<number, ListedDisk>()
  for (let pageNo = first; pageNo <= last; pageNo++) {
    const { items } = await deps.listDisksPage({ regionID }, pageNo, LIST_PAGE_SIZE)
    for (const [i, disk] of items.entries()) listed.set((pageNo - 1) * LIST_PAGE_SIZE + i, disk)
  }
  const at = (index: number, expected: string) => {
    const disk = listed.get(index)
    if (disk?.diskID !== expected) {
      throw new PageUnreadableError(
        `page ${range.page}: the region's disk listing moved since the job listed it (position ${index} holds ` +
          `${disk ? disk.diskID : 'no disk'}, expected ${expected}), so this page's ${range.count} disks are not known`,
      )
    }
  }
  at(range.start, range.firstDiskID)
  at(range.end, range.lastDiskID)
  const picked = pickedOffsets(range.picks).map((offset) => {
    const disk = listed.get(range.start + offset)
    if (!disk) throw new PageUnreadableError(`page ${range.page}: position ${range.start + offset} was not listed`)
    return disk
  })
  const labelled = page.label
    ? await selectByLabel(picked, page.label, { regionID, getDisk: deps.getDisk, signal: deps.signal })
    : { disks: picked, infoEbsCalls: 0 }
  const disks = labelled.disks.map(plannedDisk)
  const kept = new Set(disks.map((d) => d.instanceID))
  return {
    disks,
    instances: range.instances.filter((id) => kept.has(id)),
    snapshotName: page.ownNames ? snapshotName(page.snapshotPrefix, deps.runId) : page.snapshotName,
    infoEbsCalls: labelled.infoEbsCalls,
  }
}
