import { describe, expect, it } from 'vitest'
import { buildBackupReport } from './backup-report'

describe('buildBackupReport', () => {
  it('joins snapshot, backup and prune results per disk', () => {
    const { report, failed, cause } = buildBackupReport({
      snapshots: [
        { diskID: 'd1', instanceID: 'i1', snapshotID: 's1' },
        { diskID: 'd2', instanceID: 'i1', snapshotID: 's2' },
        { diskID: 'd3', instanceID: null, snapshotID: 's3' },
      ],
      backups: [{ instanceID: 'i1', policyID: 'p1', backupTaskID: 't1', status: 'Completed' }],
      prunes: [
        { diskID: 'd1', pruned: ['old1', 'old2'] },
        { diskID: 'd2', pruned: [] },
        { diskID: 'd3', pruned: ['old3'] },
      ],
    })
    expect(failed).toBe(false)
    expect(cause).toBe('')
    expect(report.disks[0]).toEqual({
      diskID: 'd1',
      instanceID: 'i1',
      snapshotID: 's1',
      backup: { taskID: 't1', result: 'completed', note: 'Completed' },
      pruned: ['old1', 'old2'],
      errors: [],
      ok: true,
    })
    expect(report.disks[2]!.backup).toEqual({
      taskID: null,
      result: 'none',
      note: 'disk is not attached to an instance',
    })
    expect(report.summary).toEqual({ disks: 3, succeeded: 3, failed: 0, snapshots: 3, backups: 1, pruned: 3 })
    expect(report).not.toHaveProperty('selection')
  })

  it('carries what the selection cost (info-ebs calls for labels) into the report', () => {
    const selection = { listed: 6, candidates: 6, infoEbsCalls: 6, selected: 1 }
    const { report } = buildBackupReport({
      snapshots: [{ diskID: 'd1', instanceID: null, snapshotID: 's1' }],
      selection,
    })
    expect(report.selection).toEqual(selection)
  })

  it('fails the run when any disk failed, naming it, while the others succeed', () => {
    const { report, failed, cause } = buildBackupReport({
      snapshots: [
        { diskID: 'd1', instanceID: 'i1', snapshotID: 's1' },
        {
          diskID: 'd2',
          instanceID: 'i2',
          error: { Error: 'Ctyun.ResourceFailed', Cause: 'snapshot s9 ended in error' },
        },
      ],
      backups: [{ instanceID: 'i1', skipped: 'no CBR policy covers instance i1' }],
      prunes: [{ diskID: 'd1', pruned: ['old1', 'busy1'], deleted: { notAllowedList: ['busy1'], notFoundList: [] } }],
      missing: ['d-gone'],
    })
    expect(failed).toBe(true)
    expect(report.summary).toMatchObject({ disks: 3, succeeded: 0, failed: 3, pruned: 1 })
    expect(report.disks[0]!.pruned).toEqual(['old1'])
    expect(report.disks[0]!.errors).toEqual(['prune: CTyun refused to delete busy1'])
    expect(report.disks[0]!.backup.result).toBe('skipped')
    expect(report.disks[1]!.errors).toEqual(['snapshot: Ctyun.ResourceFailed: snapshot s9 ended in error'])
    expect(cause).toMatch(
      /^3 of 3 disks failed: d1 \(prune: CTyun refused to delete busy1\), d2 \(snapshot: Ctyun.ResourceFailed/,
    )
    expect(cause).toContain('d-gone (disk not found in the region)')
  })

  it('gives every instance the error of a policy lookup that failed, and every snapshotted disk that of a failed prune plan', () => {
    const { report, failed } = buildBackupReport({
      snapshots: [
        { diskID: 'd1', instanceID: 'i1', snapshotID: 's1' },
        { diskID: 'd2', instanceID: null, error: { Error: 'Ctyun.ResourceFailed' } },
      ],
      backups: { Error: 'Ctyun.ServerError', Cause: 'HTTP 503' },
      prunes: { Error: 'Ctyun.Throttled' },
    })
    expect(failed).toBe(true)
    expect(report.disks[0]!.backup).toMatchObject({ result: 'failed', note: 'Ctyun.ServerError: HTTP 503' })
    expect(report.disks[0]!.errors).toEqual(['backup of i1: Ctyun.ServerError: HTTP 503', 'prune: Ctyun.Throttled'])
    expect(report.disks[1]!.errors).toEqual(['snapshot: Ctyun.ResourceFailed'])
  })
})
