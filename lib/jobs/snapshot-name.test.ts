import { describe, expect, it } from 'vitest'
import { checkSnapshotPrefix, isOwnSnapshotName, snapshotName } from './snapshot-name'

describe('snapshotName', () => {
  const at = new Date('2026-11-23T02:15:09.123Z')

  it('follows the EBS naming rule and can be recognised again', () => {
    const name = snapshotName('nightly', 'disk-7f3a-0001', at)
    expect(name).toBe('nightly-20261123T021509-disk7f3a0001')
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{1,62}$/)
    expect(isOwnSnapshotName('nightly', name)).toBe(true)
  })

  it('does not claim snapshots of a longer prefix or made by hand', () => {
    expect(isOwnSnapshotName('nightly', snapshotName('nightly-x', 'd1', at))).toBe(false)
    expect(isOwnSnapshotName('nightly', 'nightly-before-upgrade')).toBe(false)
    expect(isOwnSnapshotName('nightly', 'manual-20261123T021509-d1')).toBe(false)
  })

  it('rejects prefixes the API would refuse', () => {
    expect(() => checkSnapshotPrefix('-bad')).toThrow(/prefix/)
    expect(() => checkSnapshotPrefix('has space')).toThrow(/prefix/)
    expect(() => checkSnapshotPrefix('x'.repeat(31))).toThrow(/1–30/)
  })
})
