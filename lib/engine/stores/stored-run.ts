import { isTerminal, type HistoryEvent, type RunRecord, type RunSummary } from '../run'
import { LeaseLostError, type Lease, type LeaseOptions, type NewRun, type RunUpdate } from './run-store'

/**
 * The lease and history rules the memory and file stores share (PostgreSQL states the same rules in SQL).
 * A `StoredRun` is a run record plus its lease bookkeeping; the functions here mutate it in place and are
 * called with the store's lock held.
 *
 * Lease rule: a lease stays valid for `save`/`renew` while its token is the run's current one and it was not
 * released — even past its expiry, as long as nobody took the run over. Taking over (acquire/claimDue after
 * expiry) raises the token, which is what fences the stalled worker out.
 */
export interface StoredRun {
  record: RunRecord
  lease: { owner: string; token: number; expiresAt: Date } | null
  /** The last fencing token granted on this run; the next grant gets lastToken + 1. */
  lastToken: number
  /** The seq of the last history event. */
  lastSeq: number
  /** Grants since the lease was last released (Lease.attempt); absent in files written before it was counted = 0. */
  leaseAttempts?: number
}

export function newStoredRun(run: NewRun): { stored: StoredRun; events: HistoryEvent[] } {
  const record: RunRecord = {
    id: run.id,
    workflow: run.workflow,
    input: run.input,
    status: 'RUNNING',
    machine: run.machine,
    resumeAt: run.resumeAt,
    cancelRequested: false,
    version: 0,
    createdAt: run.now,
    updatedAt: run.now,
  }
  if (run.idempotencyKey !== undefined) record.idempotencyKey = run.idempotencyKey
  if (run.requestHash !== undefined) record.requestHash = run.requestHash
  if (run.parentId !== undefined) record.parentId = run.parentId
  if (run.workflowVersion !== undefined) record.workflowVersion = run.workflowVersion
  const stored: StoredRun = { record, lease: null, lastToken: 0, lastSeq: 0 }
  return { stored, events: numberEvents(stored, run.events) }
}

/** A run can be leased when it is not finished and its current lease (if any) has expired. */
export function isLeasable(stored: StoredRun, now: Date): boolean {
  if (isTerminal(stored.record.status)) return false
  return stored.lease === null || stored.lease.expiresAt.getTime() <= now.getTime()
}

/** RUNNING, resumeAt ≤ now, and leasable. */
export function isDue(stored: StoredRun, now: Date): boolean {
  const { status, resumeAt } = stored.record
  return status === 'RUNNING' && resumeAt !== null && resumeAt.getTime() <= now.getTime() && isLeasable(stored, now)
}

export function grantLease(stored: StoredRun, { owner, leaseMs, now }: LeaseOptions): Lease {
  const token = stored.lastToken + 1
  const expiresAt = new Date(now.getTime() + leaseMs)
  const attempt = (stored.leaseAttempts ?? 0) + 1
  stored.lastToken = token
  stored.lease = { owner, token, expiresAt }
  stored.leaseAttempts = attempt
  return { runId: stored.record.id, owner, token, expiresAt, attempt }
}

/** Throws LeaseLostError unless `lease` is the run's current lease. */
export function assertCurrentLease(stored: StoredRun | undefined, lease: Lease): asserts stored is StoredRun {
  if (!stored || stored.lease === null || stored.lease.token !== lease.token) throw new LeaseLostError(lease.runId)
}

export function renewLease(stored: StoredRun, lease: Lease, { leaseMs, now }: LeaseOptions): Lease {
  const expiresAt = new Date(now.getTime() + leaseMs)
  stored.lease = { owner: lease.owner, token: lease.token, expiresAt }
  return { ...lease, expiresAt }
}

/** Applies one transition; returns the numbered events to append. */
export function applyUpdate(stored: StoredRun, update: RunUpdate): HistoryEvent[] {
  const record = stored.record
  record.status = update.status
  record.machine = update.machine
  record.resumeAt = update.resumeAt
  if (update.output !== undefined) record.output = update.output
  else delete record.output
  if (update.error !== undefined) record.error = update.error
  else delete record.error
  record.version += 1
  record.updatedAt = update.now
  return numberEvents(stored, update.events)
}

/**
 * The parent a save must wake: a child run that this update finishes. The parent's wake-up is `wakeParent`.
 */
export function parentToWake(stored: StoredRun, update: RunUpdate): string | undefined {
  return stored.record.parentId !== undefined && isTerminal(update.status) ? stored.record.parentId : undefined
}

/** Makes a RUNNING run due at `now` at the latest (a finished child's parent); returns whether anything changed. */
export function wakeParent(parent: StoredRun | undefined, now: Date): boolean {
  if (parent?.record.status !== 'RUNNING') return false
  const resumeAt = parent.record.resumeAt
  if (resumeAt !== null && resumeAt.getTime() <= now.getTime()) return false
  parent.record.resumeAt = new Date(now.getTime())
  return true
}

/**
 * Gives up the lease if it is still the current one — the advance ended normally, so the attempt count starts again;
 * a lost lease is ignored.
 */
export function releaseLease(stored: StoredRun | undefined, lease: Lease): void {
  if (stored && stored.lease !== null && stored.lease.token === lease.token) {
    stored.lease = null
    stored.leaseAttempts = 0
  }
}

/** Flags a run for cancellation; a finished run is left as it is. */
export function markCancelRequested(stored: StoredRun, now: Date): void {
  if (isTerminal(stored.record.status) || stored.record.cancelRequested) return
  stored.record.cancelRequested = true
  stored.record.updatedAt = now
}

function numberEvents(stored: StoredRun, events: RunUpdate['events']): HistoryEvent[] {
  return events.map((event) => ({ ...event, seq: ++stored.lastSeq }))
}

/** A list entry: the record without its (possibly large) machine and input. */
export function summarize(record: RunRecord): RunSummary {
  const { machine: _machine, input: _input, ...summary } = record
  return structuredClone(summary)
}
