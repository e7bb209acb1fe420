import { describe, expect, it } from 'vitest'
import { DiskSelectorError, selectDisks } from './disk-selection'

const disks = [
  { diskID: 'd-sys-1', isSystemVolume: true, instanceID: 'i-1', labels: [{ key: 'backup', value: 'nightly' }] },
  { diskID: 'd-data-1', isSystemVolume: false, instanceID: 'i-1', labels: [{ key: 'backup', value: 'weekly' }] },
  { diskID: 'd-data-2', isSystemVolume: false, instanceID: null, labels: null },
  { diskID: 'd-data-3', isSystemVolume: false, labels: [{ labelKey: 'backup', labelValue: 'nightly' }] },
]

describe('selectDisks', () => {
  it('selects every disk by default', () => {
    expect(selectDisks(disks).disks.map((d) => d.diskID)).toEqual(['d-sys-1', 'd-data-1', 'd-data-2', 'd-data-3'])
  })

  it('selects by IDs and reports the IDs the region does not have', () => {
    const { disks: selected, missing } = selectDisks(disks, { diskIDs: ['d-data-2', 'd-gone'] })
    expect(selected.map((d) => d.diskID)).toEqual(['d-data-2'])
    expect(missing).toEqual(['d-gone'])
  })

  it('selects by label key and value, reading both label spellings', () => {
    expect(selectDisks(disks, { label: { key: 'backup', value: 'nightly' } }).disks.map((d) => d.diskID)).toEqual([
      'd-sys-1',
      'd-data-3',
    ])
    expect(selectDisks(disks, { label: { key: 'backup' } }).disks).toHaveLength(3)
  })

  it('keeps only system or only data disks', () => {
    expect(selectDisks(disks, { volume: 'system' }).disks.map((d) => d.diskID)).toEqual(['d-sys-1'])
    expect(selectDisks(disks, { volume: 'data', label: { key: 'backup' } }).disks.map((d) => d.diskID)).toEqual([
      'd-data-1',
      'd-data-3',
    ])
  })

  it('names the bad field', () => {
    expect(() => selectDisks(disks, { volume: 'boot' as never })).toThrow(/volume must be/)
    expect(() => selectDisks(disks, { diskIDs: [''] })).toThrow(DiskSelectorError)
    expect(() => selectDisks(disks, { label: { key: '' } })).toThrow(/label.key/)
  })
})
