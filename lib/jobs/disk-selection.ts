/**
 * Which disks the nightly job snapshots. Users choose by IDs, by a label, or every disk of the region, optionally
 * only system or only data disks. Pure: the disk list comes from `ebs.listDisks`.
 */
export interface DiskSelector {
  diskIDs?: string[]
  /** A label on the disk (EBS `labels[{key, value}]`); without `value` any value matches. */
  label?: { key: string; value?: string }
  /** `all` (default), `system` or `data` (EBS `isSystemVolume`). */
  volume?: 'all' | 'system' | 'data'
}

export interface SelectableDisk {
  diskID: string
  diskName?: string
  instanceID?: string | null
  isSystemVolume?: boolean
  diskStatus?: string
  labels?: Array<{ key?: string; value?: string; labelKey?: string; labelValue?: string }> | null
}

export interface DiskSelection<D extends SelectableDisk> {
  disks: D[]
  /** IDs the user named that the region does not have: reported, not silently dropped. */
  missing: string[]
}

export class DiskSelectorError extends Error {
  override name = 'DiskSelectorError'
  constructor(readonly field: string, readonly problem: string) {
    super(`${field} ${problem}`)
  }
}

export function selectDisks<D extends SelectableDisk>(all: readonly D[], selector: DiskSelector = {}): DiskSelection<D> {
  checkSelector(selector)
  const volume = selector.volume ?? 'all'
  const wanted = selector.diskIDs ? new Set(selector.diskIDs) : undefined
  const disks = all.filter(
    (disk) =>
      (!wanted || wanted.has(disk.diskID)) &&
      (!selector.label || hasLabel(disk, selector.label)) &&
      (volume === 'all' || (volume === 'system') === Boolean(disk.isSystemVolume)),
  )
  const known = new Set(all.map((disk) => disk.diskID))
  const missing = (selector.diskIDs ?? []).filter((id) => !known.has(id))
  return { disks, missing }
}

function hasLabel(disk: SelectableDisk, label: { key: string; value?: string }): boolean {
  // The list API names them key/value; the ECS label APIs use labelKey/labelValue, so read both.
  return (disk.labels ?? []).some((l) => {
    const key = l.key ?? l.labelKey
    const value = l.value ?? l.labelValue
    return key === label.key && (label.value === undefined || value === label.value)
  })
}

function checkSelector(selector: DiskSelector): void {
  if (selector.diskIDs !== undefined) {
    if (!Array.isArray(selector.diskIDs) || selector.diskIDs.some((id) => typeof id !== 'string' || id === '')) {
      throw new DiskSelectorError('diskIDs', 'must be an array of non-empty strings')
    }
  }
  if (selector.label !== undefined && (typeof selector.label?.key !== 'string' || selector.label.key === '')) {
    throw new DiskSelectorError('label.key', 'must be a non-empty string')
  }
  if (selector.volume !== undefined && !['all', 'system', 'data'].includes(selector.volume)) {
    throw new DiskSelectorError('volume', `must be "all", "system" or "data", not ${JSON.stringify(selector.volume)}`)
  }
}
