import { describe, expect, it } from 'vitest'
import { jobStatusAt, requireInRegion, requireRecord } from './lookup'
import type { JobRecord } from './state'

const table = new Map([
  ['a', { regionID: 'r1', name: 'kept' }],
  ['b', { regionID: 'r2', name: 'elsewhere' }],
  ['c', { regionID: 'r1', name: 'gone', deleted: true }],
])
const job = (readyAt: number, failed: boolean): JobRecord => ({
  jobID: 'j',
  regionID: 'r1',
  taskName: 't',
  resourceID: 'x',
  createdAt: 0,
  readyAt,
  failed,
})

describe('requireInRegion', () => {
  it('returns the record of the region', () => {
    expect(requireInRegion(table, 'a', 'r1', 'Test.NotFound', 'thing').name).toBe('kept')
  })

  it.each([
    ['missing', 'z'],
    ['in another region', 'b'],
    ['deleted', 'c'],
  ])('reports a record %s as not found, naming it', (_why, id) => {
    expect(() => requireInRegion(table, id, 'r1', 'Test.NotFound', 'thing')).toThrow(
      expect.objectContaining({ errorCode: 'Test.NotFound', message: `thing ${id} not found` }),
    )
  })
})

describe('requireRecord and jobStatusAt', () => {
  it('finds a job by id in any region and reports a missing one', () => {
    const jobs = new Map([['j', job(10, false)]])
    expect(requireRecord(jobs, 'j', 'Test.NoJob', 'job').jobID).toBe('j')
    expect(() => requireRecord(jobs, 'k', 'Test.NoJob', 'job')).toThrow(
      expect.objectContaining({ errorCode: 'Test.NoJob', message: 'job k not found' }),
    )
  })

  it('is 0 before readyAt, then 1 (success) or 2 (failed)', () => {
    expect([jobStatusAt(job(10, false), 9), jobStatusAt(job(10, false), 10), jobStatusAt(job(10, true), 10)]).toEqual([
      0, 1, 2,
    ])
  })
})
