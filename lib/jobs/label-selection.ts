import { type DiskLabels, type SelectableDisk, hasLabel } from './disk-selection'
import { JobInputError } from './job-input-error'
import { mapBounded } from './map-bounded'

/**
 * Label selection on the real cloud: list-ebs items carry no labels, info-ebs has them, and only in regions whose
 * resource pool supports labels ("标签信息。资源池支持标签功能才返回", CAT evs api 7336; shared/ctyun-api.md §8.1). So
 * each candidate disk (what the IDs and volume filters left) costs one info-ebs call.
 *
 * Two empty outcomes are told apart by whether info-ebs has a `labels` field at all, never by an error code:
 * - some candidate has the field, none carries the label → an empty selection, as the user asked;
 * - no candidate has the field → the region does not report labels, and "0 disks selected" would be a silent lie:
 *   the selection fails (Job.InvalidInput on `disks.label`), pointing to `disks.diskIDs`.
 * A candidate without the field in a region where others have it has no labels (a server may omit an empty list).
 */

/** info-ebs calls in flight at once: a small fixed bound, so a region of hundreds of disks is not a burst. */
export const LABEL_READ_CONCURRENCY = 4

/** What the selection needs of an info-ebs reply: only `labels`, absent where the region does not report them. */
export interface DiskInfo {
  labels?: DiskLabels
}

export type GetDisk = (params: { regionID: string; diskID: string }) => Promise<DiskInfo>

export interface LabelSelection<D extends SelectableDisk> {
  /** The candidates that carry the label, in list order. */
  disks: D[]
  /** info-ebs calls made: one per candidate (client retries of a call are not counted again). */
  infoEbsCalls: number
}

/**
 * Reads the labels of `candidates` through info-ebs (at most LABEL_READ_CONCURRENCY at a time) and keeps those with
 * `label`. Throws JobInputError when the region reports no labels for any candidate. The info-ebs replies are not
 * kept: only the chosen list disks leave this function.
 * @example const { disks, infoEbsCalls } = await selectByLabel(candidates, { key: 'backup' }, { regionID, getDisk })
 */
export async function selectByLabel<D extends SelectableDisk>(
  candidates: readonly D[],
  label: { key: string; value?: string },
  options: { regionID: string; getDisk: GetDisk; signal?: AbortSignal; concurrency?: number },
): Promise<LabelSelection<D>> {
  const { regionID, getDisk, signal, concurrency = LABEL_READ_CONCURRENCY } = options
  let infoEbsCalls = 0
  const labels = await mapBounded(
    candidates,
    concurrency,
    async (disk) => {
      infoEbsCalls++
      const info = await getDisk({ regionID, diskID: disk.diskID })
      // Present (even null or empty) means the region reports labels; absent means it may not (§8.1).
      const reported = info !== null && typeof info === 'object' && 'labels' in info
      return { reported, labels: reported ? info.labels : undefined }
    },
    { signal },
  )
  if (candidates.length > 0 && !labels.some((l) => l.reported)) {
    throw new JobInputError(
      'disks.label',
      `cannot select disks in region ${regionID}: the region does not report disk labels (info-ebs returned no labels ` +
        `field for any of the ${candidates.length} candidate disk${candidates.length === 1 ? '' : 's'}; CTyun returns labels ` +
        'only where the resource pool supports them). Select the disks by disks.diskIDs instead.',
    )
  }
  return { disks: candidates.filter((_, i) => hasLabel(labels[i]!.labels, label)), infoEbsCalls }
}
