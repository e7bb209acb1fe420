/**
 * The nightly job at scale: its disks are cut into pages, each page a child run of a distributed Map that snapshots,
 * backs up and prunes its own disks and reports on them (workflows/snapshot-then-backup.json). A page holds whole
 * instances (every chosen disk of an instance is on the same page), so each instance's CBR policy runs once, in the
 * page that owns it, after that page's snapshots. The parent never holds the per-disk results of every page: each page
 * returns a compact report (pageReport), and mergeBackupReports joins them — with every disk line when the job is
 * small enough for one payload (DETAIL_LIMIT disks), else the summary, the failed disks and each page's run id (its
 * per-disk lines are in that child run's output: `ctflow runs get <id>`).
 */
import type { BackupReport, DiskReport } from './backup-report'
import type { BackupPlan, PlannedDisk, SelectionSummary } from './prepare-backup'

/** Disks a page aims at (a page closes once it reaches this; an instance is never split across pages). */
export const PAGE_DISKS = 100
/** Up to this many disks, the merged report has every disk's line, as the one-page report always had. */
export const DETAIL_LIMIT = 200
/** Failed disk lines a large job's report keeps per page (the rest are counted; every line is in the page run). */
export const FAILED_LINES_PER_PAGE = 20

export interface BackupPage {
  /** 1-based. */
  page: number
  disks: PlannedDisk[]
  /** The instances this page backs up (those of its disks; empty when backup is false). */
  instances: string[]
}

/** What the parent carries on after paging: the plan without its disk list, and the pages. */
export type PagedPlan = Omit<BackupPlan, 'disks' | 'instances'> & {
  pages: BackupPage[]
  /** Whether each page returns its disk lines (the job has at most DETAIL_LIMIT disks). */
  detail: boolean
  /** Disks in all pages. */
  disks: number
}

/**
 * Cuts a plan's disks into pages of whole instances (disks without an instance fill in anywhere), keeping the
 * order of the plan within each instance.
 * @example pageBackupPlan(plan).pages.map((p) => p.disks.length) // [100, 100, …]
 */
export function pageBackupPlan(plan: BackupPlan, pageDisks = PAGE_DISKS): PagedPlan {
  const { disks, instances, ...rest } = plan
  const byInstance = new Map<string, PlannedDisk[]>()
  const groups: PlannedDisk[][] = []
  for (const disk of disks) {
    if (disk.instanceID === null) {
      groups.push([disk])
      continue
    }
    let group = byInstance.get(disk.instanceID)
    if (!group) {
      group = []
      byInstance.set(disk.instanceID, group)
      groups.push(group)
    }
    group.push(disk)
  }
  const backedUp = new Set(instances)
  const pages: BackupPage[] = []
  let current: PlannedDisk[] = []
  const close = () => {
    if (current.length === 0) return
    const ids = [...new Set(current.map((d) => d.instanceID).filter((id): id is string => id !== null))]
    pages.push({ page: pages.length + 1, disks: current, instances: ids.filter((id) => backedUp.has(id)) })
    current = []
  }
  for (const group of groups) {
    if (current.length > 0 && current.length + group.length > pageDisks) close()
    current.push(...group)
  }
  close()
  return { ...rest, pages, detail: disks.length <= DETAIL_LIMIT, disks: disks.length }
}

/** A page's answer to the parent: its summary, and its disk lines (all of them, or only the failed ones, bounded). */
export interface PageReport {
  page: number
  runId: string
  summary: BackupReport['summary']
  /** Every disk line (a small job), or the failed ones (at most FAILED_LINES_PER_PAGE). */
  disks: DiskReport[]
  /** Failed lines left out (see the page run's output). */
  failedNotListed: number
  /** In a plan run: what the page would do (per disk only when the job is small enough to list every disk). */
  plan?: BackupReport['plan']
  /** Why the page's disks could not be read (they all count as failed): `<error name>: <cause>`. */
  error?: string
}

/**
 * The report of a page whose range of the disk listing could not be read (page-disks.ts): its `count` disks are
 * failed, with the error — never left out of the job's counts.
 * @example unreadablePageReport({ page: 3, runId, count: 100, error: { Error: 'Backup.PageUnreadable', Cause: '…' } })
 */
export function unreadablePageReport(input: {
  page: number
  runId: string
  count: number
  error: { Error: string; Cause?: string }
}): PageReport {
  const { page, runId, count, error } = input
  return {
    page,
    runId,
    summary: { disks: count, succeeded: 0, failed: count, snapshots: 0, backups: 0, pruned: 0 },
    disks: [],
    failedNotListed: count,
    error: error.Cause ? `${error.Error}: ${error.Cause}` : error.Error,
  }
}

/** Makes a page's report compact for the parent. */
export function pageReport(input: { page: number; runId: string; detail: boolean; report: BackupReport }): PageReport {
  const { report } = input
  const failed = report.disks.filter((d) => !d.ok)
  const lines = input.detail ? report.disks : failed.slice(0, FAILED_LINES_PER_PAGE)
  return {
    page: input.page,
    runId: input.runId,
    summary: report.summary,
    disks: lines,
    failedNotListed: input.detail ? 0 : failed.length - lines.length,
    ...(report.plan ? { plan: input.detail ? report.plan : { ...report.plan, disks: [] } } : {}),
  }
}

/** The merged report: BackupReport's fields, plus the pages of a large job. */
export type MergedBackupReport = BackupReport & {
  /** A large job's pages: where each page's full disk lines are. */
  pages?: Array<{ page: number; runId: string; summary: BackupReport['summary'] }>
  /** Failed disks whose lines are only in their page run. */
  failedNotListed?: number
  /** Pages whose disks could not be read, each with its error (its disks count as failed). */
  pageErrors?: string[]
}

/**
 * Joins the pages' reports and the disks the input named that the region does not have. `pages` may be a caught
 * error (the Map itself failed): then every planned disk is reported failed with it.
 */
export function mergeBackupReports(input: {
  pages: PageReport[] | { Error: string; Cause?: string }
  missing?: string[]
  selection?: SelectionSummary
  detail: boolean
  disks: number
}): { report: MergedBackupReport; failed: boolean; cause: string } {
  const missing = input.missing ?? []
  const summary = { disks: 0, succeeded: 0, failed: 0, snapshots: 0, backups: 0, pruned: 0 }
  const lines: DiskReport[] = []
  let failedNotListed = 0
  let plan: NonNullable<BackupReport['plan']> | undefined
  let mapError: string | undefined
  const pages = Array.isArray(input.pages) ? [...input.pages].sort((a, b) => a.page - b.page) : []
  if (!Array.isArray(input.pages)) {
    mapError = input.pages.Cause ? `${input.pages.Error}: ${input.pages.Cause}` : input.pages.Error
    summary.disks = input.disks
    summary.failed = input.disks
  }
  const pageErrors: string[] = []
  for (const page of pages) {
    if (page.error) pageErrors.push(`page ${page.page} (${page.summary.disks} disks): ${page.error}`)
    for (const key of Object.keys(summary) as Array<keyof typeof summary>) summary[key] += page.summary[key]
    lines.push(...page.disks)
    failedNotListed += page.failedNotListed
    if (page.plan) {
      plan ??= { disks: [], wouldCreate: 0, wouldBackUp: 0, wouldDelete: 0 }
      plan.disks.push(...page.plan.disks)
      plan.wouldCreate += page.plan.wouldCreate
      plan.wouldBackUp += page.plan.wouldBackUp
      plan.wouldDelete += page.plan.wouldDelete
    }
  }
  for (const diskID of missing) {
    lines.push({
      diskID,
      instanceID: null,
      snapshotID: null,
      backup: { taskID: null, result: 'none' },
      pruned: [],
      errors: ['disk not found in the region'],
      ok: false,
    })
    summary.disks++
    summary.failed++
  }
  const report: MergedBackupReport = {
    disks: lines,
    missing,
    summary,
    ...(input.selection ? { selection: input.selection } : {}),
    ...(input.detail ? {} : { pages: pages.map(({ page, runId, summary }) => ({ page, runId, summary })) }),
    ...(failedNotListed ? { failedNotListed } : {}),
    ...(plan ? { plan } : {}),
    ...(pageErrors.length ? { pageErrors } : {}),
  }
  const failedLines = lines.filter((d) => !d.ok)
  const listed = failedLines
    .slice(0, 20)
    .map((d) => `${d.diskID} (${d.errors.join('; ')})`)
    .join(', ')
  const more = summary.failed - Math.min(20, failedLines.length)
  const cause = mapError
    ? `the disk pages failed: ${mapError}`
    : summary.failed
      ? `${summary.failed} of ${summary.disks} disks failed: ${[...pageErrors.slice(0, 5), listed].filter(Boolean).join(', ')}${more > 0 ? `, and ${more} more (see the report's pages)` : ''}.${input.detail ? ` Report: ${JSON.stringify(report)}` : ''}`
      : ''
  return { report, failed: summary.failed > 0, cause }
}
