/**
 * What the engine tells an observer about the runs it drives (a logger, metrics): a run started, a run ended, a retry
 * scheduled, a Task call made. Generic: the engine says which resource was called and how it went, nothing of any
 * service. A hook never changes a run: what it throws is ignored (`callHook`), and a `taskCall` hook that
 * forgets to proceed still has its call made.
 */
import type { RunError, RunStatus } from './run'

/** The run a hook is about. */
export interface HookRun {
  runId: string
  workflow: string
  /** A distributed Map's child run: the run whose Map started it (`ItemProcessor.ProcessorConfig.Mode: DISTRIBUTED`). */
  parentId?: string
}

/** A run that ended: its status, its error (not SUCCEEDED), and how long it took from its creation (ms). */
export interface RunEndedInfo extends HookRun {
  status: RunStatus
  error?: RunError
  durationMs: number
}

/** A retry that a state's `Retry` scheduled: the error retried, the attempt that follows (1 = first retry), the delay. */
export interface RetryScheduledInfo extends HookRun {
  state: string
  error: string
  cause?: string
  attempt: number
  delayMs: number
}

/** One Task call about to be made: `invoke` calls the action (starts a `.sync` one), `probe` polls a `.sync` one. */
export interface TaskCallInfo extends HookRun {
  state: string
  resource: string
  kind: 'invoke' | 'probe'
  /** The state's retries so far (0: the first attempt), as `$$.State.RetryCount`. */
  retries: number
}

/**
 * How a Task call went: `succeeded`/`failed` (with the ASL error name), `started` (a `.sync` operation's handle),
 * `pending` (a poll that found it still running), `cut` (the invocation's budget ran out: re-issued later).
 */
export interface TaskCallResult {
  outcome: 'succeeded' | 'failed' | 'started' | 'pending' | 'cut'
  error?: string
  cause?: string
  durationMs: number
}

/**
 * `createEngine({ …, hooks })`. Each is optional. `taskCall` wraps the call: it must call `proceed()` (once; later
 * calls return the same promise) and may run it inside a context of its own, so that what the action does meanwhile
 * (a client's log lines, its request ids) can be tied to the call.
 * @example
 * const hooks: EngineHooks = { runEnded: (run) => console.log(run.runId, run.status, run.durationMs) }
 */
export interface EngineHooks {
  runStarted?(run: HookRun & { input: unknown }): void
  runEnded?(run: RunEndedInfo): void
  retryScheduled?(retry: RetryScheduledInfo): void
  taskCall?(call: TaskCallInfo, proceed: () => Promise<TaskCallResult>): Promise<unknown> | unknown
}

/** Calls a hook; what it throws (or rejects with) is ignored: an observer must never stop a run. */
export function callHook(hook: () => unknown): void {
  try {
    const result = hook()
    if (result instanceof Promise) result.catch(() => {})
  } catch {
    // Ignored (see EngineHooks).
  }
}
