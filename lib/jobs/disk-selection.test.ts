import { describe, expect, it } from 'vitest'
import { DiskSelectorError, checkSelector, filterCandidates, hasLabel } from './disk-selection'

const disks = [
  { diskID: 'd-sys-1', isSystemVolume: true, instanceID: 'i-1' },
  { diskID: 'd-data-1', isSystemVolume: false, instanceID: 'i-1' },
  { diskID: 'd-data-2', isSystemVolume: false, instanceID: null },
  { diskID: 'd-data-3', isSystemVolume: false },
]

describe('filterCandidates', () => {
  it('keeps every disk by default', () => {
    expect(filterCandidates(disks).candidates.map((d) => d.diskID)).toEqual([
      'd-sys-1',
      'd-data-1',
      'd-data-2',
      'd-data-3',
    ])
  })

  it('narrows by IDs and reports the IDs the region does not have', () => {
    const { candidates, missing } = filterCandidates(disks, { diskIDs: ['d-data-2', 'd-gone'] })
    expect(candidates.map((d) => d.diskID)).toEqual(['d-data-2'])
    expect(missing).toEqual(['d-gone'])
  })

  it('keeps only system or only data disks, and leaves the label to info-ebs (the list has none)', () => {
    expect(filterCandidates(disks, { volume: 'system' }).candidates.map((d) => d.diskID)).toEqual(['d-sys-1'])
    expect(
      filterCandidates(disks, { volume: 'data', label: { key: 'backup' } }).candidates.map((d) => d.diskID),
    ).toEqual(['d-data-1', 'd-data-2', 'd-data-3'])
  })

  it('names the bad field', () => {
    expect(() => filterCandidates(disks, { volume: 'boot' as never })).toThrow(/volume must be/)
    expect(() => filterCandidates(disks, { diskIDs: [''] })).toThrow(DiskSelectorError)
    expect(() => checkSelector({ label: { key: '' } })).toThrow(/label.key/)
    expect(() => checkSelector({ label: { key: 'backup', value: 3 as never } })).toThrow(/label.value must be a string/)
  })
})

describe('hasLabel', () => {
  it('matches key and value, any value when none is asked for, reading both label spellings', () => {
    const labels = [
      { key: 'backup', value: 'nightly' },
      { labelKey: 'app', labelValue: 'db' },
    ]
    expect(hasLabel(labels, { key: 'backup', value: 'nightly' })).toBe(true)
    expect(hasLabel(labels, { key: 'backup', value: 'weekly' })).toBe(false)
    expect(hasLabel(labels, { key: 'app' })).toBe(true)
    expect(hasLabel(labels, { key: 'app', value: 'db' })).toBe(true)
    expect(hasLabel(null, { key: 'backup' })).toBe(false)
    expect(hasLabel(undefined, { key: 'backup' })).toBe(false)
  })
})
