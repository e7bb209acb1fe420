/**
 * How long each simulated lifecycle takes. `fast` (default) keeps tests quick; `realistic` is in the range TF's
 * waiters are built for (shared/ctyun-api.md §5: orders/jobs polled every 5 s, snapshots every 30 s).
 */
export interface SimDurations {
  /** Order (EBS first snapshot, EIP create): 开通中 (14) → 完成 (3). */
  orderMs: number
  /** `/v4/job/info` job: 执行中 → 成功. */
  jobMs: number
  /** EBS snapshot: creating → available. */
  snapshotMs: number
  /** Image: queued → saving → active. */
  imageQueuedMs: number
  imageSavingMs: number
  /** CBR task: Preparing → Executing (percent rising) → Completed. */
  backupPreparingMs: number
  backupExecutingMs: number
  /** EIP associate/disassociate: BANDING_OR_UNBANGDING → ACTIVE/DOWN. */
  eipBindingMs: number
}

export const FAST_DURATIONS: SimDurations = {
  orderMs: 100,
  jobMs: 100,
  snapshotMs: 200,
  imageQueuedMs: 100,
  imageSavingMs: 200,
  backupPreparingMs: 100,
  backupExecutingMs: 400,
  eipBindingMs: 100,
}

export const REALISTIC_DURATIONS: SimDurations = {
  orderMs: 8_000,
  jobMs: 10_000,
  snapshotMs: 45_000,
  imageQueuedMs: 20_000,
  imageSavingMs: 150_000,
  backupPreparingMs: 15_000,
  backupExecutingMs: 180_000,
  eipBindingMs: 3_000,
}

/**
 * @example resolveDurations('realistic') · resolveDurations({ snapshotMs: 0 }) // fast, but snapshots are instant
 */
export function resolveDurations(given: 'fast' | 'realistic' | Partial<SimDurations> | undefined): SimDurations {
  if (given === undefined || given === 'fast') return { ...FAST_DURATIONS }
  if (given === 'realistic') return { ...REALISTIC_DURATIONS }
  const merged = { ...FAST_DURATIONS, ...given }
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`durations.${key} must be a number of ms ≥ 0, got ${JSON.stringify(value)}`)
    }
  }
  return merged
}
