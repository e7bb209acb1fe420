import { describe, expect, it } from 'vitest'
import { buildBackupReport } from '../jobs/backup-report'
import { runEndedNotification } from './notification'

const createdAt = new Date('2026-03-01T18:00:00.000Z')
const endedAt = new Date('2026-03-01T18:12:05.500Z')

// What the nightly job hands its Fail state (lib/jobs/backup-report.ts), for two disks, one failed.
const built = buildBackupReport({
  snapshots: [
    { diskID: 'd-1', diskName: 'data', instanceID: 'i-1', snapshotID: 's-1' },
    { diskID: 'd-2', instanceID: 'i-2', error: { Error: 'Ctyun.QuotaExceeded', Cause: 'snapshot quota reached' } },
  ],
  backups: [{ instanceID: 'i-1', backupTaskID: 't-1', status: 'COMPLETED' }],
  prunes: [{ diskID: 'd-1', pruned: ['s-old'] }],
})

describe('runEndedNotification', () => {
  it('shows the nightly job’s report from its cause as a table, and keeps the cause without the JSON', () => {
    const n = runEndedNotification(
      {
        id: 'r-1',
        workflow: 'snapshot-then-backup',
        input: {},
        status: 'FAILED',
        error: { error: 'Backup.DisksFailed', cause: built.cause },
        createdAt,
        endedAt,
        state: 'DisksFailed',
      },
      { publicUrl: 'https://ctflow.example.com/' },
    )
    expect(n).toMatchObject({
      kind: 'run-ended',
      runId: 'r-1',
      status: 'FAILED',
      error: 'Backup.DisksFailed',
      state: 'DisksFailed',
      durationMs: 725_500,
      link: 'https://ctflow.example.com/runs/r-1',
    })
    expect(n.cause).toBe('1 of 2 disks failed: d-2 (snapshot: Ctyun.QuotaExceeded: snapshot quota reached).')
    expect(n.report).toEqual({
      columns: ['Disk', 'Snapshot', 'Backup', 'Pruned', 'Error'],
      rows: [
        ['d-1 (data)', 's-1', 'completed t-1', '1', '—'],
        [
          'd-2',
          '—',
          'none: no backup ran (snapshot failed?)',
          '0',
          'snapshot: Ctyun.QuotaExceeded: snapshot quota reached',
        ],
      ],
      summary: '2 disks: 1 ok, 1 failed; 1 snapshots, 1 backups, 1 pruned',
    })
  })

  it('shows a succeeded job’s report from its output, and nothing of a report for other outputs', () => {
    const base = { id: 'r-2', workflow: 'w', input: {}, status: 'SUCCEEDED' as const, createdAt, endedAt }
    expect(runEndedNotification({ ...base, output: built.report }).report?.rows).toHaveLength(2)
    expect(runEndedNotification({ ...base, output: { disks: 3 } }).report).toBeUndefined()
    expect(runEndedNotification({ ...base, output: { ok: true } })).not.toHaveProperty('link')
  })
})
