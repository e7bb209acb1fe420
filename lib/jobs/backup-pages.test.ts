import { describe, expect, it } from 'vitest'
import type { BackupReport, DiskReport } from './backup-report'
import { FAILED_LINES_PER_PAGE, mergeBackupReports, pageBackupPlan, pageReport } from './backup-pages'
import type { BackupPlan, PlannedDisk } from './prepare-backup'

const disk = (n: number, instance: string | null): PlannedDisk => ({
  diskID: `d-${n}`,
  diskName: `disk-${n}`,
  instanceID: instance,
  isSystemVolume: false,
})

function plan(disks: PlannedDisk[]): BackupPlan {
  return {
    regionID: 'r',
    snapshotPrefix: 'p',
    snapshotName: 'p-run',
    retention: {},
    backup: true,
    disks,
    missing: [],
    instances: [...new Set(disks.map((d) => d.instanceID).filter((i): i is string => i !== null))],
    selection: { listed: disks.length, candidates: disks.length, infoEbsCalls: 0, selected: disks.length },
  }
}

const line = (n: number, ok: boolean): DiskReport => ({
  diskID: `d-${n}`,
  instanceID: 'i',
  snapshotID: ok ? `s-${n}` : null,
  backup: { taskID: null, result: 'none' },
  pruned: [],
  errors: ok ? [] : ['snapshot: Ctyun.ServerError'],
  ok,
})

const report = (lines: DiskReport[]): BackupReport => ({
  disks: lines,
  missing: [],
  summary: {
    disks: lines.length,
    succeeded: lines.filter((l) => l.ok).length,
    failed: lines.filter((l) => !l.ok).length,
    snapshots: lines.filter((l) => l.snapshotID).length,
    backups: 0,
    pruned: 0,
  },
})

describe('pageBackupPlan', () => {
  it('cuts the disks into pages of whole instances, each page backing up its own instances', () => {
    // Instance a's disks are apart in the listing; they still land on one page.
    const disks = [disk(1, 'a'), disk(2, 'b'), disk(3, 'b'), disk(4, null), disk(5, 'a'), disk(6, 'c')]
    const paged = pageBackupPlan(plan(disks), 3)
    expect(paged.pages.map((p) => p.disks.map((d) => d.diskID))).toEqual([
      ['d-1', 'd-5'],
      ['d-2', 'd-3', 'd-4'],
      ['d-6'],
    ])
    expect(paged.pages.map((p) => p.instances)).toEqual([['a'], ['b'], ['c']])
    expect(paged).toMatchObject({ disks: 6, detail: true, regionID: 'r', snapshotName: 'p-run' })
    expect(paged).not.toHaveProperty('instances')
  })

  it('backs up no instance when the plan says backup: false, and has no page without disks', () => {
    const paged = pageBackupPlan({ ...plan([disk(1, 'a')]), backup: false, instances: [] })
    expect(paged.pages).toEqual([{ page: 1, disks: [disk(1, 'a')], instances: [] }])
    expect(pageBackupPlan(plan([])).pages).toEqual([])
  })

  it('asks for the disk lines only up to 200 disks', () => {
    const many = Array.from({ length: 201 }, (_, n) => disk(n, `i-${n >> 2}`))
    expect(pageBackupPlan(plan(many)).detail).toBe(false)
    expect(pageBackupPlan(plan(many.slice(0, 200))).detail).toBe(true)
  })
})

describe('pageReport and mergeBackupReports', () => {
  it('keeps every line of a small job, so its report is the one-page report', () => {
    const page = pageReport({ page: 1, runId: 'c1', detail: true, report: report([line(1, true), line(2, true)]) })
    const merged = mergeBackupReports({ pages: [page], missing: ['d-9'], detail: true, disks: 2 })
    expect(merged.report.disks.map((d) => d.diskID)).toEqual(['d-1', 'd-2', 'd-9'])
    expect(merged.report.summary).toMatchObject({ disks: 3, succeeded: 2, failed: 1 })
    expect(merged.report).not.toHaveProperty('pages')
    expect(merged.failed).toBe(true)
    expect(merged.cause).toMatch(/^1 of 3 disks failed: d-9 \(disk not found in the region\)/)
  })

  it('gives a large job the summary, the pages and a bounded list of failed disks', () => {
    const lines = Array.from({ length: 100 }, (_, n) => line(n, n % 2 === 0))
    const pages = [1, 2].map((page) => pageReport({ page, runId: `c${page}`, detail: false, report: report(lines) }))
    expect(pages[0]!.disks).toHaveLength(FAILED_LINES_PER_PAGE)
    const merged = mergeBackupReports({ pages: [pages[1]!, pages[0]!], detail: false, disks: 200 })
    expect(merged.report.summary).toMatchObject({ disks: 200, failed: 100, succeeded: 100 })
    expect(merged.report.pages!.map((p) => p.runId)).toEqual(['c1', 'c2'])
    expect(merged.report.failedNotListed).toBe(100 - 2 * FAILED_LINES_PER_PAGE)
    expect(merged.cause).toMatch(/100 of 200 disks failed: .*and 80 more \(see the report's pages\)\.$/)
    expect(merged.cause).not.toContain('Report:')
  })

  it('fails every disk with the error when the pages themselves failed', () => {
    const merged = mergeBackupReports({ pages: { Error: 'States.DataLimitExceeded' }, detail: false, disks: 5 })
    expect(merged.report.summary).toMatchObject({ disks: 5, failed: 5 })
    expect(merged.cause).toBe('the disk pages failed: States.DataLimitExceeded')
  })

  it("adds up the pages' plans in a plan run, listing each disk only when the job is small", () => {
    const planned = (n: number, deletes: string[]) => ({
      diskID: `d-${n}`,
      createSnapshot: true,
      runBackupPolicy: n % 2 ? 'pol-1' : null,
      deleteSnapshots: deletes,
    })
    const withPlan = (disks: ReturnType<typeof planned>[]): BackupReport => ({
      ...report(disks.map((d) => line(Number(d.diskID.slice(2)), true))),
      plan: {
        disks,
        wouldCreate: disks.length,
        wouldBackUp: 1,
        wouldDelete: disks.flatMap((d) => d.deleteSnapshots).length,
      },
    })
    const small = [withPlan([planned(1, ['old-1'])]), withPlan([planned(2, []), planned(3, ['old-2', 'old-3'])])]
    const merged = mergeBackupReports({
      pages: small.map((r, i) => pageReport({ page: i + 1, runId: `c${i}`, detail: true, report: r })),
      detail: true,
      disks: 3,
    })
    expect(merged.report.plan).toEqual({
      disks: [planned(1, ['old-1']), planned(2, []), planned(3, ['old-2', 'old-3'])],
      wouldCreate: 3,
      wouldBackUp: 2,
      wouldDelete: 3,
    })
    const large = mergeBackupReports({
      pages: small.map((r, i) => pageReport({ page: i + 1, runId: `c${i}`, detail: false, report: r })),
      detail: false,
      disks: 300,
    })
    expect(large.report.plan).toEqual({ disks: [], wouldCreate: 3, wouldBackUp: 2, wouldDelete: 3 })
    const notPlanned = mergeBackupReports({
      pages: [pageReport({ page: 1, runId: 'c', detail: true, report: report([]) })],
      detail: true,
      disks: 0,
    })
    expect(notPlanned.report).not.toHaveProperty('plan')
  })
})
