import type { EndedRun } from '../engine'
import type { RunEndStatus } from '../config'

/**
 * What a notification says, as plain data: kept in the outbox (no secret in it: the sender looks the channel up when
 * it delivers), rendered by each channel in its own format, and sent as is by the `webhook` channel.
 */
export type Notification = RunEndedNotification | MessageNotification

export interface RunEndedNotification {
  kind: 'run-ended'
  runId: string
  workflow: string
  status: RunEndStatus
  /** The ASL error name and its cause (a report the cause carried is in `report`, not here). */
  error?: string
  cause?: string
  /** The state the run ended in. */
  state?: string
  startedAt: string
  endedAt: string
  durationMs: number
  /** `CTFLOW_PUBLIC_URL/runs/<id>`, when that is set. */
  link?: string
  /** The nightly job's report, one row per disk. */
  report?: ReportTable
}

/** A message a workflow sends itself (`ctflow:notify`), or `ctflow notify test`'s. */
export interface MessageNotification {
  kind: 'message'
  title: string
  text: string
  runId?: string
  workflow?: string
  state?: string
  link?: string
}

/** A table every channel can show: columns, rows of text, and a one-line summary. */
export interface ReportTable {
  columns: string[]
  rows: string[][]
  summary?: string
  /** Rows left out of `rows` to keep the notification small (the run has them all). */
  omitted?: number
}

// Kept in the outbox with every notification: bounded whatever the run holds.
const MAX_CAUSE_CHARS = 4_000
const MAX_REPORT_ROWS = 200
const MAX_CELL_CHARS = 300

/**
 * The notification for a run's end (what lib/notify's outboxOnEnd writes, once per channel).
 * @example runEndedNotification(run, { publicUrl: 'https://ctflow.example.com' })
 */
export function runEndedNotification(run: EndedRun, { publicUrl }: { publicUrl?: string } = {}): RunEndedNotification {
  const notification: RunEndedNotification = {
    kind: 'run-ended',
    runId: run.id,
    workflow: run.workflow,
    status: run.status,
    startedAt: run.createdAt.toISOString(),
    endedAt: run.endedAt.toISOString(),
    durationMs: Math.max(0, run.endedAt.getTime() - run.createdAt.getTime()),
  }
  if (run.state !== undefined) notification.state = run.state
  let report = reportOf(run.output)
  if (run.error) {
    notification.error = run.error.error
    if (run.error.cause) {
      // The nightly job fails with its report in the cause ("… failed: …. Report: {json}"): shown as the table.
      const split = splitReport(run.error.cause)
      report ??= split.report
      notification.cause = clip(split.cause, MAX_CAUSE_CHARS)
    }
  }
  if (report) notification.report = report
  const link = runLink(publicUrl, run.id)
  if (link) notification.link = link
  return notification
}

/** `<public url>/runs/<id>` (the runs API), or undefined without a public URL. */
export function runLink(publicUrl: string | undefined, runId: string): string | undefined {
  if (!publicUrl) return undefined
  return `${publicUrl.replace(/\/+$/, '')}/runs/${encodeURIComponent(runId)}`
}

/** A per-disk report (the nightly job's `{ disks: [...], summary }`) as a table; undefined for anything else. */
export function reportOf(value: unknown): ReportTable | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const disks = (value as { disks?: unknown }).disks
  if (!Array.isArray(disks) || !disks.every((disk) => typeof disk === 'object' && disk !== null && 'diskID' in disk))
    return undefined
  const rows = (disks as DiskLine[])
    .slice(0, MAX_REPORT_ROWS)
    .map((disk) => [
      cell(disk.diskName ? `${disk.diskID} (${disk.diskName})` : disk.diskID),
      cell(disk.snapshotID ?? '—'),
      cell(backupCell(disk.backup)),
      String(Array.isArray(disk.pruned) ? disk.pruned.length : 0),
      cell(
        Array.isArray(disk.errors) && disk.errors.length > 0
          ? disk.errors.join('; ')
          : disk.ok === false
            ? 'failed'
            : '—',
      ),
    ])
  const table: ReportTable = { columns: ['Disk', 'Snapshot', 'Backup', 'Pruned', 'Error'], rows }
  if (disks.length > rows.length) table.omitted = disks.length - rows.length
  const summary = (value as { summary?: Record<string, unknown> }).summary
  if (summary && typeof summary === 'object') {
    const n = (key: string) => (typeof summary[key] === 'number' ? summary[key] : 0)
    table.summary = `${n('disks')} disks: ${n('succeeded')} ok, ${n('failed')} failed; ${n('snapshots')} snapshots, ${n('backups')} backups, ${n('pruned')} pruned`
  }
  return table
}

interface DiskLine {
  diskID: string
  diskName?: string
  snapshotID?: string | null
  backup?: { taskID?: string | null; result?: string; note?: string }
  pruned?: unknown[]
  errors?: string[]
  ok?: boolean
}

function backupCell(backup: DiskLine['backup']): string {
  if (!backup?.result) return '—'
  if (backup.result === 'completed') return backup.taskID ? `completed ${backup.taskID}` : 'completed'
  return backup.note ? `${backup.result}: ${backup.note}` : backup.result
}

function splitReport(cause: string): { cause: string; report?: ReportTable } {
  const at = cause.lastIndexOf('Report: {')
  if (at < 0) return { cause }
  try {
    const report = reportOf(JSON.parse(cause.slice(at + 'Report: '.length)))
    if (report) return { cause: cause.slice(0, at).trimEnd(), report }
  } catch {
    // not a report after all: the cause stays whole
  }
  return { cause }
}

function cell(text: string): string {
  return clip(String(text).replace(/\s+/g, ' '), MAX_CELL_CHARS)
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** `1h 2m 3s`, `4.5s`, `120ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}s`
  const s = Math.round(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return [h ? `${h}h` : '', m ? `${m}m` : '', s % 60 ? `${s % 60}s` : ''].filter(Boolean).join(' ')
}
