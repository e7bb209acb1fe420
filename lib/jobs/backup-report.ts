import type { SelectionSummary } from './prepare-backup'
import type { KeepReason } from './retention-plan'

/**
 * The nightly job's report: one line per disk joining the three phases (snapshot, CBR backup of the disk's
 * instance, pruning). Pure; the workflow passes in the Map results as they are, including caught errors
 * (`{ Error, Cause }`, as ASL Catch produces them).
 */
export interface CaughtError {
  Error: string
  Cause?: string
}

export interface SnapshotOutcome {
  diskID: string
  diskName?: string
  instanceID?: string | null
  snapshotID?: string
  error?: CaughtError
}

export interface BackupOutcome {
  instanceID: string
  policyID?: string
  backupTaskID?: string
  status?: string
  /** Why no backup ran, e.g. no CBR policy covers the instance. Not a failure. */
  skipped?: string
  error?: CaughtError
}

export interface PruneOutcome {
  diskID: string
  /** What the retention plan chose to delete. */
  pruned?: string[]
  /** The job's snapshots the plan keeps, with the rules that keep each (retention-plan.ts). */
  kept?: Record<string, KeepReason[]>
  /** The delete-ebs-snap reply: ids CTyun refused (e.g. a snapshot in use) are not counted as pruned. */
  deleted?: { notAllowedList?: string[]; notFoundList?: string[] } | null
  error?: CaughtError
}

export interface DiskReport {
  diskID: string
  diskName?: string
  instanceID: string | null
  snapshotID: string | null
  /** `planned` in a plan run: the policy would be run. */
  backup: { taskID: string | null; result: 'completed' | 'planned' | 'skipped' | 'failed' | 'none'; note?: string }
  pruned: string[]
  /** The job's snapshots kept on the disk and the retention rules that keep each, when pruning was planned. */
  kept?: Record<string, KeepReason[]>
  errors: string[]
  ok: boolean
}

export interface BackupReport {
  disks: DiskReport[]
  /** Disk IDs the input named that the region does not have. */
  missing: string[]
  summary: { disks: number; succeeded: number; failed: number; snapshots: number; backups: number; pruned: number }
  /** How the disks were chosen and what it cost (disks listed, candidates, info-ebs calls for labels, selected). */
  selection?: SelectionSummary
  /**
   * Present in a plan run (a dry run): nothing was created, run or deleted; `disks[].snapshotID` and backup task ids
   * are planned ones (`planned-…`), and this says what the run would do: per disk, and in all.
   */
  plan?: {
    disks: Array<{ diskID: string; createSnapshot: boolean; runBackupPolicy: string | null; deleteSnapshots: string[] }>
    wouldCreate: number
    wouldBackUp: number
    wouldDelete: number
  }
}

/**
 * `backups` and `prunes` are the Maps' results, or the error caught when the step before a Map failed for all of
 * them (the policy lookup, the prune plan): then every instance's backup, or every pruned disk's prune, has it.
 */
export function buildBackupReport(
  input: {
    snapshots: SnapshotOutcome[]
    backups?: BackupOutcome[] | CaughtError
    prunes?: PruneOutcome[] | CaughtError
    missing?: string[]
    /** The prepare step's `selection`, passed through. */
    selection?: SelectionSummary
  },
  options: { plan?: boolean } = {},
): { report: BackupReport; failed: boolean; cause: string } {
  const backups = new Map(listOf(input.backups).map((b) => [b.instanceID, b]))
  const prunes = new Map(listOf(input.prunes).map((p) => [p.diskID, p]))
  const backupsFailed = caught(input.backups)
  const prunesFailed = caught(input.prunes)
  const disks = input.snapshots.map((snapshot): DiskReport => {
    const errors: string[] = []
    if (snapshot.error) errors.push(`snapshot: ${describe(snapshot.error)}`)
    const instanceID = snapshot.instanceID ?? null
    const backup = instanceID
      ? backupsFailed
        ? { instanceID, error: backupsFailed }
        : backups.get(instanceID)
      : undefined
    if (backup?.error) errors.push(`backup of ${instanceID}: ${describe(backup.error)}`)
    const prune =
      prunesFailed && snapshot.snapshotID
        ? { diskID: snapshot.diskID, error: prunesFailed }
        : prunes.get(snapshot.diskID)
    if (prune?.error) errors.push(`prune: ${describe(prune.error)}`)
    const refused = prune?.deleted?.notAllowedList ?? []
    if (refused.length) errors.push(`prune: CTyun refused to delete ${refused.join(', ')}`)
    return {
      diskID: snapshot.diskID,
      ...(snapshot.diskName ? { diskName: snapshot.diskName } : {}),
      instanceID,
      snapshotID: snapshot.snapshotID ?? null,
      backup: backupLine(instanceID, backup, options.plan === true),
      pruned: (prune?.pruned ?? []).filter((id) => !refused.includes(id)),
      ...(prune?.kept ? { kept: prune.kept } : {}),
      errors,
      ok: errors.length === 0,
    }
  })
  const missing = input.missing ?? []
  for (const diskID of missing) {
    disks.push({
      diskID,
      instanceID: null,
      snapshotID: null,
      backup: { taskID: null, result: 'none' },
      pruned: [],
      errors: ['disk not found in the region'],
      ok: false,
    })
  }
  const failed = disks.filter((d) => !d.ok).length
  const report: BackupReport = {
    disks,
    missing,
    summary: {
      disks: disks.length,
      succeeded: disks.length - failed,
      failed,
      snapshots: disks.filter((d) => d.snapshotID).length,
      backups: new Set(disks.filter((d) => d.backup.result === 'completed').map((d) => d.instanceID)).size,
      pruned: disks.reduce((n, d) => n + d.pruned.length, 0),
    },
    ...(input.selection ? { selection: input.selection } : {}),
    ...(options.plan ? { plan: planOf(disks, backups) } : {}),
  }
  const cause = failed
    ? `${failed} of ${disks.length} disks failed: ${disks
        .filter((d) => !d.ok)
        .map((d) => `${d.diskID} (${d.errors.join('; ')})`)
        .join(', ')}. Report: ${JSON.stringify(report)}`
    : ''
  return { report, failed: failed > 0, cause }
}

/** What a plan run would do, per disk: a snapshot made, the instance's CBR policy run (once per instance), deletions. */
function planOf(disks: DiskReport[], backups: Map<string, BackupOutcome>): NonNullable<BackupReport['plan']> {
  const lines = disks
    .filter((d) => !d.errors.includes('disk not found in the region'))
    .map((d) => ({
      diskID: d.diskID,
      createSnapshot: d.snapshotID !== null,
      runBackupPolicy: d.backup.result === 'planned' ? (backups.get(d.instanceID!)?.policyID ?? null) : null,
      deleteSnapshots: d.pruned,
    }))
  return {
    disks: lines,
    wouldCreate: lines.filter((l) => l.createSnapshot).length,
    wouldBackUp: new Set(disks.filter((d) => d.backup.result === 'planned').map((d) => d.instanceID)).size,
    wouldDelete: lines.reduce((n, l) => n + l.deleteSnapshots.length, 0),
  }
}

function backupLine(instanceID: string | null, backup: BackupOutcome | undefined, plan: boolean): DiskReport['backup'] {
  if (!instanceID) return { taskID: null, result: 'none', note: 'disk is not attached to an instance' }
  if (!backup) return { taskID: null, result: 'none', note: 'no backup ran (snapshot failed?)' }
  if (backup.error) return { taskID: backup.backupTaskID ?? null, result: 'failed', note: describe(backup.error) }
  if (backup.skipped) return { taskID: null, result: 'skipped', note: backup.skipped }
  if (plan)
    return { taskID: backup.backupTaskID ?? null, result: 'planned', note: `would run CBR policy ${backup.policyID}` }
  return { taskID: backup.backupTaskID ?? null, result: 'completed', ...(backup.status ? { note: backup.status } : {}) }
}

function listOf<T>(results: T[] | CaughtError | undefined): T[] {
  return Array.isArray(results) ? results : []
}

function caught(results: unknown[] | CaughtError | undefined): CaughtError | undefined {
  return results && !Array.isArray(results) && typeof results.Error === 'string' ? results : undefined
}

function describe(error: CaughtError): string {
  return error.Cause ? `${error.Error}: ${error.Cause}` : error.Error
}
