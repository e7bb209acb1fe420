/**
 * Which disks the nightly job snapshots. Users choose by IDs, by a label, or every disk of the region, optionally
 * only system or only data disks. list-ebs items carry no labels (shared/ctyun-api.md §8.1), so selection has two
 * steps: `filterCandidates` narrows the listed disks by IDs and volume (pure, no API call), then a label selection
 * reads each candidate's labels through info-ebs (label-selection.ts) and keeps those `hasLabel` accepts.
 */
export interface DiskSelector {
  diskIDs?: string[]
  /** A label on the disk (info-ebs `labels[{key, value}]`); without `value` any value matches. */
  label?: { key: string; value?: string }
  /** `all` (default), `system` or `data` (EBS `isSystemVolume`). */
  volume?: 'all' | 'system' | 'data'
}

/** A disk as list-ebs lists it: the fields selection and the later steps need (no labels: §8.1). */
export interface SelectableDisk {
  diskID: string
  diskName?: string
  instanceID?: string | null
  isSystemVolume?: boolean
  diskStatus?: string
}

/** Labels as info-ebs shows them; the ECS label APIs spell them labelKey/labelValue, so both are read. */
export type DiskLabels = Array<{ key?: string; value?: string; labelKey?: string; labelValue?: string }> | null

export interface DiskCandidates<D extends SelectableDisk> {
  /** The listed disks that pass the IDs and volume filters, in list order. */
  candidates: D[]
  /** IDs the user named that the region does not have: reported, not silently dropped. */
  missing: string[]
}

export class DiskSelectorError extends Error {
  override name = 'DiskSelectorError'
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`)
  }
}

/**
 * Narrows the listed disks by `diskIDs` and `volume`. The label is not looked at here: the list has none.
 * @example filterCandidates(listed, { diskIDs: ['d-1'], volume: 'data' }) // → { candidates, missing }
 */
export function filterCandidates<D extends SelectableDisk>(
  all: readonly D[],
  selector: DiskSelector = {},
): DiskCandidates<D> {
  checkSelector(selector)
  const volume = selector.volume ?? 'all'
  const wanted = selector.diskIDs ? new Set(selector.diskIDs) : undefined
  const candidates = all.filter(
    (disk) =>
      (!wanted || wanted.has(disk.diskID)) &&
      (volume === 'all' || (volume === 'system') === Boolean(disk.isSystemVolume)),
  )
  const known = new Set(all.map((disk) => disk.diskID))
  const missing = (selector.diskIDs ?? []).filter((id) => !known.has(id))
  return { candidates, missing }
}

/** Whether `labels` (from info-ebs) carry `label`: same key, and the same value when one is asked for. */
export function hasLabel(labels: DiskLabels | undefined, label: { key: string; value?: string }): boolean {
  return (labels ?? []).some((l) => {
    const key = l.key ?? l.labelKey
    const value = l.value ?? l.labelValue
    return key === label.key && (label.value === undefined || value === label.value)
  })
}

/** Throws DiskSelectorError naming the first bad field; nothing else (call it before any API call). */
export function checkSelector(selector: DiskSelector): void {
  if (selector.diskIDs !== undefined) {
    if (!Array.isArray(selector.diskIDs) || selector.diskIDs.some((id) => typeof id !== 'string' || id === '')) {
      throw new DiskSelectorError('diskIDs', 'must be an array of non-empty strings')
    }
  }
  if (selector.label !== undefined && (typeof selector.label?.key !== 'string' || selector.label.key === '')) {
    throw new DiskSelectorError('label.key', 'must be a non-empty string')
  }
  if (selector.label?.value !== undefined && typeof selector.label.value !== 'string') {
    throw new DiskSelectorError('label.value', 'must be a string (or left out to match any value)')
  }
  if (selector.volume !== undefined && !['all', 'system', 'data'].includes(selector.volume)) {
    throw new DiskSelectorError('volume', `must be "all", "system" or "data", not ${JSON.stringify(selector.volume)}`)
  }
}
