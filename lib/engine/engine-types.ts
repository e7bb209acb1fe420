import type { WorkflowDefinition } from './interpreter/definition'
import type { HistoryEvent, RunRecord, RunStatus, RunSummary } from './run'

/**
 * The engine as functions and the CLI use it, built by `createEngine({ store, actions, workflows, clock })`
 * (create-engine.ts) or `assembleEngine` (assemble-engine.ts, without the bundled validators).
 * Every method that advances runs takes a budget, so a FaaS invocation never overruns: what does not fit
 * is left suspended (RUNNING with a resumeAt) for the worker.
 */
export interface Engine {
  /** Starts a run (validating the workflow and input first). Idempotent on `idempotencyKey`. */
  start(request: StartRequest): Promise<{ run: RunRecord; created: boolean }>
  get(id: string): Promise<RunRecord | undefined>
  /** The run's history in seq order; a page of it with `afterSeq` (the last seq seen) and `limit`. */
  history(id: string, page?: { afterSeq?: number; limit?: number }): Promise<HistoryEvent[]>
  /** Top-level runs, or with `parentId` the child runs a distributed Map of that run started. */
  list(query: {
    workflow?: string
    status?: RunStatus
    limit?: number
    cursor?: string
    parentId?: string
  }): Promise<{ runs: RunSummary[]; nextCursor?: string }>
  cancel(id: string): Promise<RunRecord | undefined>
  /** Advances one run until it finishes, suspends, or the budget runs out. */
  advance(id: string, budget: Budget): Promise<RunRecord>
  /**
   * Claims and advances due runs until none is due or the budget runs out. A run that could not be advanced (its store
   * call failed) is listed in `errors` and left for a later try; the others go on.
   */
  resumeDue(budget: Budget & { limit?: number }): Promise<{ advanced: number; errors?: RunAdvanceError[] }>
  workflows(): WorkflowInfo[]
  /**
   * The definition a run follows: the workflow version it started on (a child run's item processor within it), or the
   * workflow as loaded for a run without a version. Undefined when the workflow is unknown to this engine.
   */
  definitionOf(run: Pick<RunSummary, 'workflow' | 'workflowVersion'>): Promise<WorkflowDefinition | undefined>
  /**
   * Resolves when a run may have become due (a new run, a released one, the next resumeAt) or after `timeoutMs` —
   * present when the store can tell (PostgreSQL LISTEN/NOTIFY); worker loops otherwise sleep their interval.
   */
  waitForDue?(options: { since: Date; timeoutMs: number; signal?: AbortSignal }): Promise<void>
  close(): Promise<void>
}

/** A run resumeDue could not advance, and why (`Name: message`, never a secret). */
export interface RunAdvanceError {
  runId: string
  error: string
}

export interface StartRequest {
  workflow: string
  input: unknown
  /**
   * A plan (dry run): every action that declares `writes: false` runs for real; every other Task gets the action's
   * planned result (`planned: true`) and sends nothing, and a `.sync` wait on it ends at once. The record says
   * `plan: true`.
   */
  plan?: boolean
  idempotencyKey?: string
  requestHash?: string
}

/** `deadline` is an epoch-ms instant on the engine's clock (e.g. now + context.getRemainingTimeInMillis() − margin). */
export interface Budget {
  deadline: number
  /** Stops early (SIGINT/SIGTERM): no new call starts, the run stays as last saved, due for the next worker. */
  signal?: AbortSignal
}

export interface WorkflowInfo {
  name: string
  comment?: string
  /** JSON Schema of the input, when the workflow ships one. */
  inputSchema?: unknown
}
