import { describe, expect, it } from 'vitest'
import { checkSnapshotPrefix, isOwnSnapshotName, snapshotName } from './snapshot-name'

const runId = '0f8e6c2a-4b1d-4c3e-9a7b-1234567890ab'

describe('snapshotName', () => {
  it('follows the EBS naming rule and can be recognised again', () => {
    const name = snapshotName('nightly', runId)
    expect(name).toBe(`nightly-${runId}`)
    expect(name).toMatch(/^[A-Za-z][A-Za-z0-9_-]{1,62}$/)
    expect(snapshotName('x'.repeat(26), runId)).toHaveLength(63)
    expect(isOwnSnapshotName('nightly', name)).toBe(true)
  })

  it('does not claim snapshots of a longer prefix or made by hand', () => {
    expect(isOwnSnapshotName('nightly', snapshotName('nightly-x', runId))).toBe(false)
    expect(isOwnSnapshotName('nightly', 'nightly-before-upgrade')).toBe(false)
    expect(isOwnSnapshotName('nightly', `manual-${runId}`)).toBe(false)
  })

  it('rejects prefixes the API would refuse', () => {
    expect(() => checkSnapshotPrefix('-bad')).toThrow(/snapshotPrefix/)
    expect(() => checkSnapshotPrefix('1nightly')).toThrow(/starting with a letter/)
    expect(() => checkSnapshotPrefix('has space')).toThrow(/snapshotPrefix/)
    expect(() => checkSnapshotPrefix('x'.repeat(27))).toThrow(/1–26/)
    expect(() => snapshotName('ok', 'not-a-uuid')).toThrow(/UUID/)
  })
})
