/**
 * A run: one execution of a workflow. This is the record the stores persist and the functions return; the
 * interpreter's own position (`machine`) is opaque JSON to everyone but lib/engine/interpreter.
 */

/** Step Functions' execution statuses; a suspended run is RUNNING with a `resumeAt` in the future. */
export type RunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED'

export const TERMINAL_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status)
}

/** An ASL error as it ends a run or reaches a Catch: `error` is the name Retry/Catch match, `cause` the detail. */
export interface RunError {
  error: string
  cause?: string
}

/** One line of a run's history, appended atomically with the transition that produced it. */
export interface HistoryEvent {
  /** 1, 2, 3 … per run, assigned by the store. */
  seq: number
  /** ISO-8601 timestamp from the engine's clock. */
  at: string
  /** e.g. RunStarted, StateEntered, TaskScheduled, TaskSucceeded, TaskFailed, TaskRetryScheduled, RunSuspended, StateExited, RunSucceeded … */
  type: string
  state?: string
  detail?: unknown
}

export type NewHistoryEvent = Omit<HistoryEvent, 'seq'>

export interface RunRecord {
  id: string
  workflow: string
  input: unknown
  status: RunStatus
  /** The interpreter's position: serialisable JSON, never containing a secret. */
  machine: unknown
  /** When a worker should next advance this run; null when finished or cancelled. Due runs: RUNNING and resumeAt ≤ now. */
  resumeAt: Date | null
  output?: unknown
  error?: RunError
  /** Unique across the store (webhook ids, Idempotency-Key headers), scoped by the caller, e.g. `hook:backup:<id>`. */
  idempotencyKey?: string
  /** A hash of the request that created the run, so a reused idempotency key with another body can be refused (422). */
  requestHash?: string
  /**
   * The run whose distributed Map started this one (one child run per item, `ProcessorConfig.Mode: DISTRIBUTED`).
   * When a child run finishes, the store makes its parent due at once, so whichever worker is free collects the result.
   */
  parentId?: string
  /**
   * The workflow definition the run started on: a hash of its content (lib/engine/workflow-versions.ts), under which
   * the store keeps that definition (RunStore.putWorkflowVersion). A run follows it to the end even when a deploy
   * changes the workflow meanwhile, as a Step Functions execution keeps the state machine version it started on. A
   * child run carries its root workflow's version. Absent on runs created before versions were kept: they follow the
   * workflow as loaded.
   */
  workflowVersion?: string
  /**
   * A plan (dry run, StartRequest.plan): writes were planned, not sent. Read from the machine, where it is kept, by
   * the engine's get/start/advance (absent from list summaries, which carry no machine).
   */
  plan?: boolean
  /** Set by cancel(); the worker holding the lease stops at its next save. */
  cancelRequested: boolean
  /** Number of saved transitions; grows by one per save. */
  version: number
  /**
   * How many history events the run has (the seq of its last): set by the stores, kept to limits.maxHistoryEvents by
   * the runner. Absent from a store that does not count.
   */
  historyLength?: number
  createdAt: Date
  updatedAt: Date
}

/** What list() returns: everything but the machine and the input (which may be large). */
export type RunSummary = Omit<RunRecord, 'machine' | 'input'>

/**
 * A run as its final save ends it: what an engine's `outboxOnEnd` (CreateEngineOptions) is told, to write the messages
 * to deliver about it (notifications) in that same save.
 */
export interface EndedRun {
  id: string
  workflow: string
  /** Set for a distributed Map's child run. */
  parentId?: string
  input: unknown
  status: Exclude<RunStatus, 'RUNNING'>
  output?: unknown
  error?: RunError
  createdAt: Date
  endedAt: Date
  /** The state the run was in when it ended (the last state its history names), when the engine knows it. */
  state?: string
}
