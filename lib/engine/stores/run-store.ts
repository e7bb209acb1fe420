import type { HistoryEvent, NewHistoryEvent, RunError, RunRecord, RunStatus, RunSummary } from '../run'

/**
 * The one interface every run store implements (memory, file, PostgreSQL). The contract suite in
 * `store.contract.ts` pins it down and runs against each of them.
 *
 * Concurrency model: a worker must hold a **lease** to advance a run. A lease has an expiry and a fencing
 * token that grows with every grant, so a worker that stalled past its lease cannot overwrite the progress
 * of the worker that took the run over: its `save` fails with `LeaseLostError`.
 *
 * Time is passed in (`now`) so tests can drive it; stores never read the wall clock themselves.
 */
export interface RunStore {
  /** Creates a run, or returns the existing one (created: false) when `idempotencyKey` is already taken. */
  create(run: NewRun): Promise<{ run: RunRecord; created: boolean }>
  get(id: string): Promise<RunRecord | undefined>
  /**
   * Newest first (createdAt, then id, descending: creation order for the engine's UUIDv7 ids); `cursor` is opaque and
   * comes from the previous page. A page costs about what it returns, whatever the store holds, for every filter.
   */
  list(query: RunQuery): Promise<{ runs: RunSummary[]; nextCursor?: string }>
  history(id: string, options?: { afterSeq?: number; limit?: number }): Promise<HistoryEvent[]>

  /** Leases one run if it is not finished and nobody holds a live lease on it; otherwise undefined. */
  acquire(id: string, options: LeaseOptions): Promise<Lease | undefined>
  /** Leases up to `limit` RUNNING runs with resumeAt ≤ now and no live lease, earliest resumeAt first. */
  claimDue(options: LeaseOptions & { limit: number }): Promise<Lease[]>
  /** Extends a live lease (same token). Throws LeaseLostError if it was lost. */
  renew(lease: Lease, options: LeaseOptions): Promise<Lease>
  /**
   * Saves one transition and appends its events atomically, if the lease is still the current one.
   * Returns the saved record (whose `cancelRequested` the worker checks). Throws LeaseLostError otherwise.
   * A child run's save that finishes it also makes its RUNNING parent due now (resumeAt = min(resumeAt, now)), so the
   * parent collects the result without waiting for its next poll (PostgreSQL: in the same statement).
   */
  save(lease: Lease, update: RunUpdate): Promise<RunRecord>
  /**
   * Keeps a workflow definition under its version (a hash of its content, computed by the engine) so that runs
   * started on it can finish on it after a deploy changed the workflow. A version already kept is left as it is.
   */
  putWorkflowVersion(version: string, definition: unknown, now: Date): Promise<void>
  /** The definition kept under `version` (a fresh copy), or undefined. */
  getWorkflowVersion(version: string): Promise<unknown | undefined>
  /** Gives the lease up early so another worker may take the run at once. Never throws for a lost lease. */
  release(lease: Lease): Promise<void>
  /** Marks the run for cancellation; returns the record, or undefined if there is no such run. */
  requestCancel(id: string, now: Date): Promise<RunRecord | undefined>
  /**
   * The outbox: messages a save wrote (`RunUpdate.outbox`, committed with it or not at all) for a sender to deliver
   * after. Leases up to `limit` pending items of `topic` whose `notBefore` has come and that nobody holds (no claim, or
   * an expired one), oldest `notBefore` first; each claim raises the item's `attempts`, which fences a sender whose
   * claim was taken over. Two senders never hold the same item at once.
   */
  claimOutbox(options: OutboxClaimOptions): Promise<OutboxClaim[]>
  /**
   * Records what became of a claimed item: `sent`, `retry` (pending again from `notBefore`) or `given-up`. False, and
   * nothing changed, when the claim is no longer the item's latest (another sender took it over) or it is settled.
   */
  settleOutbox(claim: OutboxClaim, outcome: OutboxOutcome): Promise<boolean>
  /** A run's outbox items, in the order they were written (sent and given-up ones included). */
  outbox(runId: string): Promise<OutboxEntry[]>
  /**
   * Housekeeping: deletes up to `limit` items of `topic` that were sent or given up before `settledBefore`, and says
   * how many. A pending item is never deleted, whatever its age.
   */
  pruneOutbox(options: OutboxPruneOptions): Promise<number>
  /**
   * Optional, for idle workers instead of sleeping a fixed interval: resolves when a run may have become claimable —
   * one was created or released, a known wake-up (resumeAt or a lease expiry) arrives, or a notice came after
   * `since` (so one that arrived while the caller was claiming is not missed) — and at the latest after `timeoutMs`
   * or on abort. Spurious wake-ups are allowed; the caller just tries claimDue again.
   */
  waitForDue?(options: WaitForDueOptions): Promise<void>
  close(): Promise<void>
}

export interface WaitForDueOptions {
  /** When the caller's last claimDue began: notices received after it count. */
  since: Date
  timeoutMs: number
  signal?: AbortSignal
}

export interface NewRun {
  id: string
  workflow: string
  input: unknown
  machine: unknown
  resumeAt: Date | null
  idempotencyKey?: string
  requestHash?: string
  /** A distributed Map's child run: its parent (see RunRecord.parentId). */
  parentId?: string
  /** The workflow definition it starts on (RunRecord.workflowVersion), kept before with putWorkflowVersion. */
  workflowVersion?: string
  now: Date
  events: NewHistoryEvent[]
}

export interface RunUpdate {
  status: RunStatus
  machine: unknown
  resumeAt: Date | null
  output?: unknown
  error?: RunError
  events: NewHistoryEvent[]
  now: Date
  /** Messages to deliver once this save is committed, written together with it (an item whose id is taken is skipped). */
  outbox?: OutboxItem[]
}

/** A message for the outbox (RunStore.claimOutbox): what the engine's caller wants delivered after a save. */
export interface OutboxItem {
  /** Stable and unique within its run: a receiver drops a repeat by it; a second item with the same id is not written. */
  id: string
  /** Who delivers it (`notify`): a sender claims its own topic's items. */
  topic: string
  /** JSON. Never a secret: the sender looks those up when it delivers. */
  payload: unknown
}

export type OutboxState = 'pending' | 'sent' | 'given-up'

/** An outbox item as the store keeps it. */
export interface OutboxEntry extends OutboxItem {
  runId: string
  state: OutboxState
  createdAt: Date
  /** Not claimed before this (a retry's back-off). */
  notBefore: Date
  /** Claims so far; the latest claim's fencing token. */
  attempts: number
  /** Why the last try failed (set by `retry` and `given-up`). */
  lastError?: string
  /** When it was sent or given up. */
  settledAt?: Date
}

/** An item a sender holds until `claimExpiresAt`; settle it with RunStore.settleOutbox. */
export interface OutboxClaim extends OutboxEntry {
  owner: string
  claimExpiresAt: Date
}

export interface OutboxClaimOptions extends LeaseOptions {
  topic: string
  limit: number
}

export interface OutboxPruneOptions {
  topic: string
  settledBefore: Date
  limit: number
}

export type OutboxOutcome =
  | { result: 'sent'; now: Date }
  | { result: 'retry'; now: Date; notBefore: Date; error: string }
  | { result: 'given-up'; now: Date; error: string }

export interface RunQuery {
  /** Absent: top-level runs only. Given: the child runs a distributed Map of that run started. */
  parentId?: string
  workflow?: string
  status?: RunStatus
  limit?: number
  cursor?: string
}

export interface LeaseOptions {
  owner: string
  leaseMs: number
  now: Date
}

export interface Lease {
  runId: string
  owner: string
  /** Fencing token: strictly greater for every new grant on the same run. */
  token: number
  expiresAt: Date
  /**
   * Which grant this is since the run's lease was last given back (release): 1 normally; n when the n − 1 workers
   * before took the run and never gave it back — they died (out of memory, killed) or stalled past the lease. The store
   * counts it with the run, so the count survives the crash; the runner fails a run past limits.maxWorkerAttempts.
   */
  attempt?: number
}

// Kept here too for the files that import it with the interface.
export { LeaseLostError } from './store-errors'
