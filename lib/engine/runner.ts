import { setMaxListeners } from 'node:events'
import { toTaskError } from './actions/task-errors'
import type { ActionContext, ActionRegistry } from './actions/registry'
import type { Budget } from './engine-types'
import { callHook, type EngineHooks, type TaskCallInfo, type TaskCallResult } from './engine-hooks'
import { cancelRun, executeChildRunCommand } from './child-run-commands'
import { CHILD_RUN_RESOURCE, pollChildRunsNow } from './interpreter/child-runs'
import {
  abortMachine,
  applyOutcome,
  failMachine,
  step,
  type Execution,
  type StepOptions,
} from './interpreter/interpreter'
import type { Command, Outcome } from './interpreter/commands'
import type { WorkflowDefinition } from './interpreter/definition'
import { isPlanMachine, type Machine } from './interpreter/machine'
import { StatesError, StatesErrorNames } from './language'
import { MAX_JSON_DEPTH, measureJson } from './language/json-size'
import { DEFAULT_LIMITS, type EngineLimits } from './limits'
import type { EndedRun, NewHistoryEvent, RunError, RunRecord, RunStatus } from './run'
import type { Clock } from './clock'
import { LeaseLostError, type Lease, type OutboxItem, type RunStore, type RunUpdate } from './stores/run-store'

// Defined in clock.ts (the engine's start path needs it without the runner); exported here too for its importers.
export { systemClock, type Clock } from './clock'

export interface RunnerDeps {
  store: RunStore
  actions: ActionRegistry
  /** The definition a run follows (its workflow version's, see workflow-versions.ts); undefined: unknown workflow. */
  definitionFor(run: Pick<RunRecord, 'workflow' | 'workflowVersion'>): Promise<WorkflowDefinition | undefined>
  clock: Clock
  random: () => number
  owner: string
  leaseMs: number
  /**
   * Called after each save with the events it appended (the CLI prints progress lines from these). What it throws is
   * ignored: progress output must never stop a run.
   */
  onEvents?: (run: RunRecord, events: NewHistoryEvent[]) => void
  /** Told about run ends, retries and Task calls (engine-hooks.ts); what they throw is ignored. */
  hooks?: EngineHooks
  /** History events, payload bytes and worker attempts per run (lib/engine/limits.ts); default Step Functions'. */
  limits?: EngineLimits
  /**
   * `boundary` (default): consecutive transitions that touch nothing outside the run (Pass, Choice, Succeed, entering
   * a Map/Parallel, …) are saved together — before any Task is called, before any wait, at the end, and at least every
   * `BATCH_EVENTS` (10,000) events, `BATCH_MS` (100 ms) or `BATCH_BYTES` (4 MiB of payload in the events). Replaying
   * such transitions after a crash gives the same result, so nothing is lost and nothing is repeated. `transition`: one
   * save per interpreter step, as a strict reading of "saved after every transition" asks (slower; every state's output
   * is on disk before the next state starts).
   */
  saveEvery?: 'boundary' | 'transition'
  /**
   * How long a parent leaves a new distributed-Map child run to other workers before advancing it itself (ms; default
   * 0). Where idle workers hear about new runs at once (PostgreSQL), a short grace spreads a Map's items over them;
   * whatever nobody took is run by the parent, so a single process still finishes the Map.
   */
  childRunGraceMs?: number
  /**
   * The outbox items (notifications) to write with a run's final save, in the same transaction: they are delivered
   * after it by whoever claims them (RunStore.claimOutbox), never on the run's path. What it throws is ignored: a
   * run's end is saved whatever its notifications do.
   */
  outboxOnEnd?: (run: EndedRun) => OutboxItem[]
}

const BATCH_EVENTS = 10_000
const BATCH_MS = 100
// …and at least every this many bytes of payload in the events: 10,000 events of 250 KiB outputs would be 2.5 GB in one
// save, more than a string can hold (the file store writes a save's events as one).
const BATCH_BYTES = 4 * 1024 * 1024
// How many payloads a run's saved machine may hold (Parallel branches and Map items in progress: one input each).
const MACHINE_PAYLOADS = 256
// With `boundary` saves, one interpreter step may take a lone frame through this many pure states (StepOptions.maxTransitions):
// the same history as that many steps, without each step's own cost (most of a Pass chain's time once events are cheap).
// Small enough that budget, cancel and BATCH_MS are still looked at every few hundred microseconds.
const TRANSITIONS_PER_STEP = 100

export interface RunBudget extends Budget {
  /** Stops sleeping and calling early (SIGINT); the run stays where its last save put it. */
  signal?: AbortSignal
}

const STATUS: Record<Machine['status'], RunStatus> = {
  running: 'RUNNING',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  timed_out: 'TIMED_OUT',
  aborted: 'ABORTED',
}

/**
 * Advances one run under a lease until it finishes, suspends (its next wake-up lies beyond the budget) or the budget
 * runs out. Returns the run as last saved; a run leased by someone else is returned untouched.
 */
export async function advanceRun(deps: RunnerDeps, runId: string, budget: RunBudget): Promise<RunRecord | undefined> {
  const lease = await deps.store.acquire(runId, leaseOptions(deps))
  if (!lease) return deps.store.get(runId)
  return driveLeased(deps, lease, budget)
}

/**
 * Advances a run whose lease the caller already holds (claimDue), then releases the lease.
 *
 * Whatever goes wrong stays with this run, never its worker. A run taken more than `limits.maxWorkerAttempts` times
 * without the lease coming back (its workers died: out of memory, killed) is failed before it is even read. A throw
 * outside the interpreter that no retry can cure (a TypeError, a RangeError: an engine bug, a value JSON cannot
 * hold) fails the run with States.Runtime naming it. Anything else (the store unreachable) is thrown to the caller
 * with the lease kept: the run comes back when it expires, one attempt further.
 */
export async function driveLeased(deps: RunnerDeps, lease: Lease, budget: RunBudget): Promise<RunRecord | undefined> {
  let driver: RunDriver | undefined
  const scope = scopeSignal(budget.signal)
  let giveBack = true
  try {
    const limits = deps.limits ?? DEFAULT_LIMITS
    if (lease.attempt !== undefined && lease.attempt > limits.maxWorkerAttempts)
      return await abandonRun(deps, lease, lease.attempt - 1)
    const run = await deps.store.get(lease.runId)
    if (!run) return undefined
    driver = new RunDriver(
      deps,
      lease,
      run,
      await deps.definitionFor(run),
      scope ? { ...budget, signal: scope.signal } : budget,
    )
    return await driver.drive()
  } catch (error) {
    if (error instanceof LeaseLostError) return deps.store.get(lease.runId)
    if (isEngineFault(error)) {
      try {
        return await failOnEngineFault(deps, driver?.lease ?? lease, driver, error)
      } catch (again) {
        if (again instanceof LeaseLostError) return deps.store.get(lease.runId)
      }
    }
    giveBack = false
    throw error
  } finally {
    scope?.release()
    // Not given back after a failure: the run stays with this worker until the lease expires (a pause before the next
    // try), and that take counts as an attempt that did not finish.
    if (giveBack) await deps.store.release(driver?.lease ?? lease)
  }
}

/** Errors that say the engine, not the moment, is at fault: retrying the same run would throw them again. */
function isEngineFault(error: unknown): boolean {
  return (
    error instanceof StatesError ||
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError ||
    error instanceof EvalError ||
    error instanceof URIError
  )
}

/** Ends a run with States.Runtime after an engine fault (see driveLeased), cancelling its distributed-Map children. */
async function failOnEngineFault(
  deps: RunnerDeps,
  lease: Lease,
  driver: RunDriver | undefined,
  thrown: unknown,
): Promise<RunRecord> {
  const error: Required<RunError> =
    thrown instanceof StatesError
      ? { error: thrown.error, cause: thrown.cause }
      : {
          error: StatesErrorNames.Runtime,
          cause: `ctflow could not advance the run and stopped it (an engine error, not the workflow's): ${describeError(thrown)}`,
        }
  let machine: Machine = { format: 1, status: 'failed', frames: {}, error }
  const current = driver?.currentMachine()
  if (current) {
    try {
      failMachine(current, error)
      machine = current
      for (const id of current.cancelRuns ?? []) await cancelRun(deps, id, advanceRun).catch(() => undefined)
      delete current.cancelRuns
    } catch {
      // The machine is what broke: saved as a fresh failed one (its child runs, if any, are left to finish on their own).
    }
  }
  const now = new Date(deps.clock.now())
  const events = [{ at: now.toISOString(), type: 'ExecutionFailed', detail: error }]
  const ended = driver?.record() ?? (deps.outboxOnEnd ? await deps.store.get(lease.runId) : undefined)
  const update = withOutbox(
    deps,
    ended,
    { status: 'FAILED', machine, resumeAt: null, error, events, now },
    driver?.lastState(),
  )
  const run = await deps.store.save(lease, update)
  notify(deps, run, events)
  return run
}

/**
 * Fails a run its workers kept dying on (EngineLimits.maxWorkerAttempts), without reading it: loading it may be what
 * killed them. Its distributed-Map children, if any, are not cancelled (that needs the machine); they finish alone.
 */
async function abandonRun(deps: RunnerDeps, lease: Lease, attempts: number): Promise<RunRecord> {
  const error = {
    error: StatesErrorNames.Runtime,
    cause: `The run was abandoned after ${attempts} worker attempts that did not finish (each time the worker stopped before giving the run back: out of memory, killed, or stalled past its lease; limits.maxWorkerAttempts)`,
  }
  const now = new Date(deps.clock.now())
  const events = [{ at: now.toISOString(), type: 'ExecutionFailed', detail: error }]
  const machine: Machine = { format: 1, status: 'failed', frames: {}, error }
  // Read only for its notifications (outboxOnEnd): the record is what those need, and they matter most here.
  const ended = deps.outboxOnEnd ? await deps.store.get(lease.runId).catch(() => undefined) : undefined
  const update = withOutbox(deps, ended, { status: 'FAILED', machine, resumeAt: null, error, events, now })
  const run = await deps.store.save(lease, update)
  notify(deps, run, events)
  return run
}

/**
 * The update with the outbox items RunnerDeps.outboxOnEnd gives for a run it ends (a terminal status); unchanged for
 * any other save, without the hook, or without the run's record.
 */
function withOutbox(
  deps: RunnerDeps,
  run: RunRecord | undefined,
  update: RunUpdate,
  state: string | undefined = lastStateOf(update.events),
): RunUpdate {
  if (!deps.outboxOnEnd || !run || update.status === 'RUNNING') return update
  try {
    const outbox = deps.outboxOnEnd({
      id: run.id,
      workflow: run.workflow,
      ...(run.parentId !== undefined ? { parentId: run.parentId } : {}),
      input: run.input,
      status: update.status,
      ...(update.output !== undefined ? { output: update.output } : {}),
      ...(update.error !== undefined ? { error: update.error } : {}),
      createdAt: run.createdAt,
      endedAt: update.now,
      ...(state !== undefined ? { state } : {}),
    })
    return outbox.length > 0 ? { ...update, outbox } : update
  } catch {
    // See RunnerDeps.outboxOnEnd: the run's end is saved without them.
    return update
  }
}

/** The last state named by these events, if any. */
function lastStateOf(events: NewHistoryEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const state = events[i]!.state
    if (state !== undefined) return state
  }
  return undefined
}

function notify(deps: RunnerDeps, run: RunRecord, events: NewHistoryEvent[]): void {
  try {
    deps.onEvents?.(run, events)
  } catch {
    // Progress output only (see RunnerDeps.onEvents).
  }
  if (deps.hooks) tellHooks(deps.hooks, run, events, deps.clock.now())
}

/** The hooks' view of a save: the retries it scheduled, and the run's end if it ended the run. */
function tellHooks(hooks: EngineHooks, run: RunRecord, events: NewHistoryEvent[], now: number): void {
  const base = { runId: run.id, workflow: run.workflow, ...(run.parentId ? { parentId: run.parentId } : {}) }
  for (const event of events) {
    if (hooks.retryScheduled && event.type.endsWith('RetryScheduled')) {
      const detail = (event.detail ?? {}) as { error?: string; cause?: string; attempt?: number; delayMs?: number }
      callHook(() =>
        hooks.retryScheduled!({
          ...base,
          state: event.state ?? '',
          error: detail.error ?? 'States.TaskFailed',
          ...(detail.cause !== undefined ? { cause: detail.cause } : {}),
          attempt: detail.attempt ?? 0,
          delayMs: detail.delayMs ?? 0,
        }),
      )
    } else if (hooks.runEnded && run.status !== 'RUNNING' && ENDING_EVENTS.has(event.type)) {
      callHook(() =>
        hooks.runEnded!({
          ...base,
          status: run.status,
          ...(run.error ? { error: run.error } : {}),
          durationMs: Math.max(0, now - run.createdAt.getTime()),
        }),
      )
    }
  }
}

const ENDING_EVENTS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted'])

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return text.length > 500 ? `${text.slice(0, 500)}…` : text
}

/**
 * The caller's signal (for runToEnd, the process's SIGINT signal) seen through one listener for the whole drive: a
 * Map's calls in flight each listen for the stop, dozens at once, and on the caller's signal that many listeners
 * read as a leak (MaxListenersExceededWarning). Ours may have any number; removed when the drive ends.
 */
function scopeSignal(outer: AbortSignal | undefined): { signal: AbortSignal; release(): void } | undefined {
  if (!outer) return undefined
  const inner = new AbortController()
  setMaxListeners(0, inner.signal)
  const forward = () => inner.abort(outer.reason)
  if (outer.aborted) forward()
  else outer.addEventListener('abort', forward, { once: true })
  return { signal: inner.signal, release: () => outer.removeEventListener('abort', forward) }
}

function leaseOptions(deps: RunnerDeps) {
  return { owner: deps.owner, leaseMs: deps.leaseMs, now: new Date(deps.clock.now()) }
}

const MAX_TIMER_MS = 2 ** 31 - 1

// Abort reasons, told apart when a call is cut short.
class BudgetExhausted extends Error {}
class TaskDeadline extends Error {
  constructor(readonly errorName: string) {
    super(errorName)
  }
}

class RunDriver {
  private readonly machine: Machine
  private readonly execution: Execution
  private readonly definition: WorkflowDefinition | undefined
  private readonly limits: EngineLimits
  /** Events in the store for this run: the store's count, then what this driver saved since. */
  private historyLength: number
  /** `boundary` saves (RunnerDeps.saveEvery): pure transitions wait in `pending` for the next boundary. */
  private readonly batching: boolean
  private readonly pending: PendingEvents
  private readonly calls = new CallsInFlight()
  private lastNamedState: string | undefined

  constructor(
    private readonly deps: RunnerDeps,
    public lease: Lease,
    private run: RunRecord,
    definition: WorkflowDefinition | undefined,
    private readonly budget: RunBudget,
  ) {
    this.machine = run.machine as Machine
    this.execution = {
      runId: run.id,
      workflowName: run.workflow,
      input: run.input,
      startTime: run.createdAt.toISOString(),
    }
    this.definition = definition
    this.limits = deps.limits ?? DEFAULT_LIMITS
    this.historyLength = run.historyLength ?? 0
    this.batching = deps.saveEvery !== 'transition'
    this.pending = new PendingEvents(deps.clock.now())
  }

  /** The run as last read or saved (for the notifications of a run failed after an engine fault). */
  record(): RunRecord {
    return this.run
  }

  /** The last state the events this driver saved named (for notifications: the state a run ended in). */
  lastState(): string | undefined {
    return this.lastNamedState
  }

  /** The machine as this driver holds it, if it is one (for failing the run after an engine fault). */
  currentMachine(): Machine | undefined {
    const machine = this.machine as Machine | null
    return machine && typeof machine === 'object' && typeof machine.frames === 'object' && machine.frames !== null
      ? machine
      : undefined
  }

  /**
   * Advances the run until it ends, suspends or the budget is spent. The durability rules (ARCHITECTURE.md
   * "Durability") are the steps below, each a method named after its rule and pinned by a test in
   * runner.durability.test.ts that fails when the step moves:
   *
   * - abortCancelledFirst: a run cancelled before the drive is aborted before anything else is read;
   * - abortAtSeenCancel: a cancel is seen at the next save (the store hands it back) and ends the run there;
   * - saveResultsFirst: a result is saved before anything else happens (no step, call or wait in between);
   * - saveDueOnceBudgetSpent: a budget spent between transitions saves what is pending, due at once;
   * - saveEnd: a finished run is saved with nothing left due;
   * - saveCallsThenMake: a call is saved (TaskScheduled; the invoking phase with its clientToken) before it is made,
   *   and not made after a save that shows a cancel; CallsInFlight.notInFlight: it is made once while in flight;
   * - saveBatchWhenDue: pure transitions are saved together, at the next boundary or batch limit (`boundary`), or
   *   after every step (`transition`);
   * - saveThenAwaitCalls: what is pending is saved before waiting on calls in flight;
   * - suspendBeyondBudget: a wait beyond the budget suspends: saved with resumeAt and ExecutionSuspended;
   * - saveThenSleep: a wait within the budget is saved with its wake-up time before sleeping (a long one without the lease);
   * - and in every save (save): the history and payload limits are checked, and dropped child runs cancelled, first.
   */
  async drive(): Promise<RunRecord> {
    if (this.run.status !== 'RUNNING') return this.run
    if (this.run.cancelRequested) return this.abortCancelledFirst()
    const definition = this.definition
    if (!definition) {
      return this.finishWith('FAILED', {
        error: StatesErrorNames.Runtime,
        cause: `The workflow "${this.run.workflow}" is not loaded in this engine`,
      })
    }
    if ((this.machine as { format?: unknown } | null)?.format !== 1) {
      return this.finishWith('FAILED', {
        error: StatesErrorNames.Runtime,
        cause: 'The run was saved in a format this engine does not read',
      })
    }
    pollChildRunsNow(this.machine, this.deps.clock.now())
    for (;;) {
      if (this.run.cancelRequested) return this.abortAtSeenCancel()
      if (this.calls.hasArrived()) {
        const ended = await this.saveResultsFirst(definition)
        if (ended) return ended
        continue
      }
      const now = this.deps.clock.now()
      if (now >= this.budget.deadline || this.budget.signal?.aborted) return this.saveDueOnceBudgetSpent(now)
      const result = this.stepMachine(definition, now)
      if (this.machine.status !== 'running') return this.saveEnd()
      const ended = await this.actOn(result, now)
      if (ended) return ended
    }
  }

  /** What a step left to do, first match first: new calls, more steps, calls in flight, a timer. Undefined: go on. */
  private actOn(result: ReturnType<typeof step>, now: number): Promise<RunRecord | undefined> {
    const commands = this.calls.notInFlight(result.commands)
    if (commands.length > 0) return this.saveCallsThenMake(commands, now)
    if (result.runnable) return this.saveBatchWhenDue(now)
    if (this.calls.size > 0) return this.saveThenAwaitCalls(result.wakeAt, now)
    // Nothing to run and nothing to wait for: a bug, not the workflow's fault. Fail loudly rather than spin.
    if (result.wakeAt === undefined)
      return this.finishWith(
        'FAILED',
        { error: StatesErrorNames.Runtime, cause: 'The run has nothing left to do but did not finish (engine bug)' },
        this.pending.take(now),
      )
    if (result.wakeAt > this.budget.deadline) return this.suspendBeyondBudget(result.wakeAt)
    return this.saveThenSleep(result.wakeAt)
  }

  /** A cancel requested before the drive ends the run before anything else: even when its workflow is no longer loaded (`ctflow runs cancel`). */
  private abortCancelledFirst(): Promise<RunRecord> {
    if (this.machine && typeof this.machine === 'object') abortMachine(this.machine)
    return this.save([{ at: this.iso(), type: 'ExecutionAborted', detail: { cause: 'cancelled' } }], null)
  }

  /** A cancel is seen at the next save (the store hands back `cancelRequested`), and the run ends there, with what is pending. */
  private abortAtSeenCancel(): Promise<RunRecord> {
    abortMachine(this.machine)
    this.pending.add([{ at: this.iso(), type: 'ExecutionAborted', detail: { cause: 'cancelled' } }], 0)
    return this.flush(null)
  }

  /**
   * A result is saved before anything else happens — before the next step, call or wait: it must never be asked for
   * twice. Every outcome that arrived is applied, and the events saved with the run due now.
   */
  private async saveResultsFirst(definition: WorkflowDefinition): Promise<RunRecord | undefined> {
    const after = this.options(this.deps.clock.now())
    for (const outcome of this.calls.takeArrived())
      this.pending.add(applyOutcome(definition, this.machine, outcome, after), 0)
    if (this.pending.events.length > 0) await this.flush(new Date(after.now))
    return this.machine.status !== 'running' ? this.run : undefined
  }

  /** The budget spent between transitions: what is pending is saved due at once (resumeAt = now), for the next worker. */
  private async saveDueOnceBudgetSpent(now: number): Promise<RunRecord> {
    return this.pending.events.length > 0 ? this.flush(new Date(now)) : this.run
  }

  /** One interpreter step: with `boundary` saves, no further than the history limit allows (the save that passes it fails the run) nor a batch's size. */
  private stepMachine(definition: WorkflowDefinition, now: number): ReturnType<typeof step> {
    const { pending } = this
    const room = this.limits.maxHistoryEvents - this.historyLength + 1
    const result = step(
      definition,
      this.machine,
      this.batching
        ? {
            ...this.options(now),
            maxTransitions: TRANSITIONS_PER_STEP,
            maxEvents: Math.min(BATCH_EVENTS, room) - pending.events.length,
            maxEventBytes: BATCH_BYTES - pending.bytes,
          }
        : this.options(now),
    )
    pending.add(result.events, result.payloadBytes)
    return result
  }

  /** A finished run (succeeded, failed, timed out, aborted) is saved with nothing left due. */
  private saveEnd(): Promise<RunRecord> {
    return this.flush(null)
  }

  /**
   * A call is saved before it is made: the history says what was started with which clientToken (the frame's invoking
   * phase holds it), and a crash from here on re-issues the same calls with the same tokens (or polls what they
   * started). A save that shows a cancel makes no call: the next turn ends the run.
   */
  private async saveCallsThenMake(commands: Command[], now: number): Promise<RunRecord | undefined> {
    await this.flush(new Date(now))
    if (this.machine.status !== 'running') return this.run // the save failed it (history limit)
    if (this.run.cancelRequested) return undefined
    for (const command of commands) this.launch(command)
    return undefined
  }

  /**
   * Pure transitions (Pass, Choice, Succeed, entering a Map…) are saved together: replaying them after a crash yields
   * the same machine, and nothing outside saw them. Saved after BATCH_EVENTS events, BATCH_BYTES of payload or BATCH_MS
   * at the latest, or as soon as the history limit is passed (that save fails the run); after every step with
   * `saveEvery: 'transition'`. A boundary (a call, a wait, the end) saves them with its own step.
   */
  private async saveBatchWhenDue(now: number): Promise<RunRecord | undefined> {
    const { pending } = this
    const due =
      !this.batching ||
      pending.events.length >= BATCH_EVENTS ||
      pending.bytes >= BATCH_BYTES ||
      now - pending.lastSave >= BATCH_MS ||
      this.historyLength + pending.events.length > this.limits.maxHistoryEvents
    if (!due) return undefined
    await this.flush(new Date(now))
    return this.machine.status !== 'running' ? this.run : undefined
  }

  /** What is pending is saved before waiting on calls in flight (for one to return or a timer to fall due). */
  private async saveThenAwaitCalls(wakeAt: number | undefined, now: number): Promise<RunRecord | undefined> {
    if (this.pending.events.length > 0) await this.flush(new Date(now))
    if (this.machine.status !== 'running') return this.run
    await this.waitForArrival(wakeAt)
    return undefined
  }

  /** A wait beyond the budget suspends the run: saved RUNNING with `resumeAt` and ExecutionSuspended (driveLeased gives the lease back). */
  private suspendBeyondBudget(wakeAt: number): Promise<RunRecord> {
    this.pending.add(
      [{ at: this.iso(), type: 'ExecutionSuspended', detail: { resumeAt: new Date(wakeAt).toISOString() } }],
      0,
    )
    return this.flush(new Date(wakeAt))
  }

  /** A wait within the budget is saved with its wake-up time before sleeping, so that no worker claims the run early. */
  private async saveThenSleep(wakeAt: number): Promise<RunRecord | undefined> {
    await this.flush(new Date(wakeAt))
    if (this.machine.status !== 'running') return this.run
    await this.sleepUntil(wakeAt)
    return undefined
  }

  /** Starts a call; it runs on its own (other frames keep moving) and its outcome arrives in `calls`. */
  private launch(command: Command): void {
    this.calls.track(
      command,
      this.observed(command).catch(
        (error: unknown): Outcome => ({
          type: 'failed',
          frameId: command.frameId,
          clientToken: command.clientToken,
          ...toTaskError(error, this.deps.actions),
        }),
      ),
    )
  }

  /**
   * Executes a command, through the `taskCall` hook when there is one: timed, and told how it went. The call is made
   * once whatever the hook does (forgets to proceed, proceeds twice, throws).
   */
  private async observed(command: Command): Promise<Outcome | undefined> {
    const hook = this.deps.hooks?.taskCall
    if (!hook || command.resource === CHILD_RUN_RESOURCE) return this.execute(command)
    let made: Promise<Outcome | undefined> | undefined
    let result: Promise<TaskCallResult> | undefined
    const proceed = () => {
      result ??= (async () => {
        const started = performance.now()
        made = this.execute(command).catch(
          (error: unknown): Outcome => ({
            type: 'failed',
            frameId: command.frameId,
            clientToken: command.clientToken,
            ...toTaskError(error, this.deps.actions),
          }),
        )
        return toCallResult(await made, performance.now() - started)
      })()
      return result
    }
    const frame = this.machine.frames[command.frameId]
    const call: TaskCallInfo = {
      runId: this.run.id,
      workflow: this.run.workflow,
      state: command.state,
      resource: command.resource,
      kind: command.type,
      retries: frame?.attempt ?? 0,
    }
    try {
      await hook(call, proceed)
    } catch {
      // Ignored (see EngineHooks); the call below is made (or awaited) all the same.
    }
    if (!made) await proceed()
    return made
  }

  /** Saves what is pending (see save). */
  private flush(resumeAt: Date | null): Promise<RunRecord> {
    return this.save(this.pending.take(this.deps.clock.now()), resumeAt)
  }

  /**
   * Waits for a call in flight to return, or for `wakeAt` (on the engine's clock) if it comes first and fits the
   * budget. Renews the lease every third of its length of real time meanwhile (a call may take long).
   */
  private async waitForArrival(wakeAt: number | undefined): Promise<void> {
    if (this.calls.hasArrived()) return
    const { clock, leaseMs } = this.deps
    const stopSleeping = new AbortController()
    let renewTimer: ReturnType<typeof setTimeout> | undefined
    let onAbort: (() => void) | undefined
    try {
      await new Promise<void>((resolve) => {
        this.calls.onArrival = resolve
        onAbort = () => resolve()
        this.budget.signal?.addEventListener('abort', onAbort, { once: true })
        if (wakeAt !== undefined && wakeAt <= this.budget.deadline) {
          const signals = this.budget.signal ? [stopSleeping.signal, this.budget.signal] : [stopSleeping.signal]
          void clock.sleep(Math.max(0, wakeAt - clock.now()), AbortSignal.any(signals)).then(resolve)
        }
        renewTimer = setTimeout(resolve, Math.max(1, Math.floor(leaseMs / 3)))
      })
    } finally {
      this.calls.onArrival = undefined
      stopSleeping.abort()
      clearTimeout(renewTimer)
      // Removed, not left for the abort that may never come: a long run waits here once per call.
      if (onAbort) this.budget.signal?.removeEventListener('abort', onAbort)
    }
    await this.keepLease(clock.now() + leaseMs)
  }

  /**
   * A short wait keeps the lease. A longer one lets go of it (the run is saved with `resumeAt = wakeAt`, so no worker
   * claims it early), sleeps, and takes it back: a `cancel` meanwhile finds the run free and ends it at once, and a
   * lease never has to outlive its length.
   */
  private async sleepUntil(wakeAt: number): Promise<void> {
    const { clock, leaseMs, store } = this.deps
    // What is left is measured again after each await: the store round trip takes time (and in virtual time, other
    // runs sleeping meanwhile move the clock), so a length taken before it would oversleep.
    if (wakeAt - clock.now() <= leaseMs / 2) {
      await this.keepLease(wakeAt)
      await clock.sleep(Math.max(0, wakeAt - clock.now()), this.budget.signal)
      return
    }
    await store.release(this.lease)
    await clock.sleep(Math.max(0, wakeAt - clock.now()), this.budget.signal)
    const lease = await store.acquire(this.run.id, leaseOptions(this.deps))
    if (!lease) throw new LeaseLostError(this.run.id) // finished, cancelled or taken meanwhile: the caller re-reads it
    this.lease = lease
    const fresh = await store.get(this.run.id)
    if (fresh?.status !== 'RUNNING') throw new LeaseLostError(this.run.id)
    this.run = fresh
  }

  private options(now: number): StepOptions {
    return { now, random: this.deps.random, execution: this.execution, maxPayloadBytes: this.limits.maxPayloadBytes }
  }

  private iso(): string {
    return new Date(this.deps.clock.now()).toISOString()
  }

  /**
   * Saves one transition. Before it reaches the store: a save that would pass the history limit or hold too large a
   * state fails the run instead (stopAtHistoryLimit, stopAtStateSizeLimit), the child runs of dropped distributed-Map
   * items are cancelled, and the lease is renewed when half of it is used.
   */
  private async save(events: NewHistoryEvent[], resumeAt: Date | null): Promise<RunRecord> {
    const stopped = this.stopAtHistoryLimit(events) ?? this.stopAtStateSizeLimit(events)
    if (stopped) {
      events = stopped
      resumeAt = null
    }
    const machine = this.machine
    await this.cancelDroppedChildRuns()
    const status = STATUS[machine.status]
    const now = new Date(this.deps.clock.now())
    await this.keepLease(now.getTime())
    this.lastNamedState = lastStateOf(events) ?? this.lastNamedState
    const update: RunUpdate = {
      status,
      machine,
      resumeAt: status === 'RUNNING' ? resumeAt : null,
      ...(machine.status === 'succeeded' ? { output: machine.output } : {}),
      ...(machine.error && status !== 'SUCCEEDED' ? { error: machine.error } : {}),
      events,
      now,
    }
    this.run = await this.deps.store.save(this.lease, withOutbox(this.deps, this.run, update, this.lastNamedState))
    this.historyLength = this.run.historyLength ?? this.historyLength + events.length
    if (events.length > 0) notify(this.deps, this.run, events)
    return this.run
  }

  /**
   * Events that would take the history past limits.maxHistoryEvents are not written: the run fails instead, its
   * history ending with the events that fit and ExecutionFailed. Undefined: within the limit.
   */
  private stopAtHistoryLimit(events: NewHistoryEvent[]): NewHistoryEvent[] | undefined {
    const max = this.limits.maxHistoryEvents
    if (this.historyLength + events.length <= max) return undefined
    const error = {
      error: StatesErrorNames.Runtime,
      cause: `The run reached the limit of ${max.toLocaleString('en-US')} history events (limits.maxHistoryEvents; Step Functions stops an execution at 25,000) and was stopped. Loop fewer times in one run, or run the items as child runs (a DISTRIBUTED Map)`,
    }
    failMachine(this.machine, error)
    return [
      ...events.slice(0, Math.max(0, max - this.historyLength)),
      { at: this.iso(), type: 'ExecutionFailed', detail: error },
    ]
  }

  /**
   * One frame holds a few payloads at most, each within the limit; a Map's items in progress are a payload each:
   * 20,000 items handed the run's 250 KB input are 5 GB to save. A state past MACHINE_PAYLOADS payloads' worth fails
   * the run (States.DataLimitExceeded) instead of being saved. Undefined: it fits.
   */
  private stopAtStateSizeLimit(events: NewHistoryEvent[]): NewHistoryEvent[] | undefined {
    if (this.machine.status !== 'running' || !hasSeveralFrames(this.machine)) return undefined
    const cap = this.limits.maxPayloadBytes * MACHINE_PAYLOADS
    // Changed in place between saves: not remembered.
    if (measureJson(this.machine, cap, { remembered: false }).over === undefined) return undefined
    const error = {
      error: StatesErrorNames.DataLimitExceeded,
      cause: `The run's state (its Parallel branches and Map items in progress) is larger than ${cap.toLocaleString('en-US')} bytes of JSON (${MACHINE_PAYLOADS} × limits.maxPayloadBytes) and was stopped. Give the Map a MaxConcurrency, or run its items as child runs (a DISTRIBUTED Map)`,
    }
    failMachine(this.machine, error)
    return [...events, { at: this.iso(), type: 'ExecutionFailed', detail: error }]
  }

  /**
   * Cancels the child runs of distributed-Map items the interpreter dropped, before the save that drops them: after a
   * crash in between, the resumed run drops them again and the cancel is repeated (it is idempotent).
   */
  private async cancelDroppedChildRuns(): Promise<void> {
    const machine = this.machine as Machine | null
    const ids = machine?.cancelRuns
    if (!ids || ids.length === 0) return
    for (const id of ids) await cancelRun(this.deps, id, advanceRun)
    delete machine!.cancelRuns
  }

  /** Ends the run with an engine-level failure (workflow gone, unreadable machine). */
  private async finishWith(
    status: RunStatus,
    error: { error: string; cause: string },
    events: NewHistoryEvent[] = [],
  ): Promise<RunRecord> {
    const machine = (this.machine ?? {}) as Machine
    Object.assign(machine, { status: 'failed', error, frames: {} })
    const all = [...events, { at: this.iso(), type: 'ExecutionFailed', detail: error }]
    this.lastNamedState = lastStateOf(all) ?? this.lastNamedState
    const update: RunUpdate = {
      status,
      machine,
      resumeAt: null,
      error,
      events: all,
      now: new Date(this.deps.clock.now()),
    }
    this.run = await this.deps.store.save(this.lease, withOutbox(this.deps, this.run, update, this.lastNamedState))
    this.historyLength = this.run.historyLength ?? this.historyLength + all.length
    notify(this.deps, this.run, all)
    return this.run
  }

  /** Renews the lease if it would expire before `until` (bounded by one lease length). */
  private async keepLease(until: number): Promise<void> {
    const { leaseMs, clock } = this.deps
    const now = clock.now()
    if (this.lease.expiresAt.getTime() - now > Math.min(leaseMs / 2, until - now + leaseMs / 4)) return
    this.lease = await this.deps.store.renew(this.lease, leaseOptions(this.deps))
  }

  /**
   * States.DataLimitExceeded for an action's result (or a `.sync` handle) over the payload limit, measured before it is
   * copied (toJson) or saved; undefined when it fits. The interpreter checks results again with the state's name.
   */
  private tooLarge(value: unknown, what: 'result' | 'handle', command: Command): Outcome | undefined {
    // Not from what was remembered: an action may hand back the same object, changed, from one call to the next.
    const measure = measureJson(value, this.limits.maxPayloadBytes, { remembered: false })
    if (measure.over === undefined) return undefined
    const reason =
      measure.over === 'bytes'
        ? `is larger than the payload limit of ${this.limits.maxPayloadBytes.toLocaleString('en-US')} bytes of JSON`
        : `is nested deeper than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels`
    return {
      type: 'failed',
      frameId: command.frameId,
      clientToken: command.clientToken,
      error: StatesErrorNames.DataLimitExceeded,
      cause: `The ${what} of state "${command.state}" ${reason}`,
    }
  }

  /** Runs one command through the registry; undefined when the budget cut it short (re-issued next time). */
  private async execute(command: Command): Promise<Outcome | undefined> {
    const { clock, actions } = this.deps
    const base = { frameId: command.frameId, clientToken: command.clientToken }
    if (command.resource === CHILD_RUN_RESOURCE)
      return executeChildRunCommand(command, this.run, this.deps, this.budget, advanceRun)
    const resolved = actions.resolve(command.resource)
    if (!resolved || (command.type === 'probe' && resolved.kind !== 'sync')) {
      return {
        ...base,
        type: 'failed',
        error: StatesErrorNames.Runtime,
        cause: `No action can run the resource "${command.resource}" (state "${command.state}")`,
      }
    }
    const limit = Math.min(command.deadline ?? Number.POSITIVE_INFINITY, this.budget.deadline)
    const planning = isPlanMachine(this.machine)
    const controller = new AbortController()
    const byTask = command.deadline !== undefined && command.deadline <= this.budget.deadline
    const reason = byTask ? new TaskDeadline(command.deadlineError ?? StatesErrorNames.Timeout) : new BudgetExhausted()
    let timer: ReturnType<typeof setTimeout> | undefined
    let onStop: (() => void) | undefined
    // Actions should honour `signal`; the race makes sure one that does not still cannot hold the run.
    const cut = new Promise<never>((_, reject) => {
      const ms = Math.max(0, limit - clock.now())
      // setTimeout cannot count past ~24.8 days (it would fire at once); no task or budget is that long in practice.
      if (ms <= MAX_TIMER_MS) {
        timer = setTimeout(() => {
          controller.abort(reason)
          reject(reason)
        }, ms)
      }
      onStop = () => {
        controller.abort(new BudgetExhausted())
        reject(new BudgetExhausted())
      }
      this.budget.signal?.addEventListener('abort', onStop, { once: true })
    })
    cut.catch(() => {})
    const context: ActionContext = {
      clientToken: command.clientToken,
      runId: this.run.id,
      state: command.state,
      signal: controller.signal,
      deadline: limit,
      ...(command.type === 'invoke' && command.scheduledAt !== undefined ? { scheduledAt: command.scheduledAt } : {}),
      ...(planning ? { plan: true } : {}),
    }
    try {
      if (command.type === 'invoke' && planning) {
        // A plan sends no write: the action's planned result stands in for the call, and for a `.sync` wait too.
        const decision = await Promise.race([resolved.plan(command.input, context), cut])
        if ('planned' in decision)
          return (
            this.tooLarge(decision.planned, 'result', command) ?? {
              ...base,
              type: 'succeeded',
              output: toJson(decision.planned),
            }
          )
      }
      if (command.type === 'invoke') {
        if (resolved.kind === 'call') {
          const output = await Promise.race([resolved.call(command.input, context), cut])
          return this.tooLarge(output, 'result', command) ?? { ...base, type: 'succeeded', output: toJson(output) }
        }
        const handle = await Promise.race([Promise.resolve(resolved.start(command.input, context)), cut])
        return (
          this.tooLarge(handle, 'handle', command) ?? {
            ...base,
            type: 'started',
            handle: toJson(handle),
            pollAt: clock.now(),
          }
        )
      }
      if (resolved.kind !== 'sync') throw new Error('unreachable')
      const probe = await Promise.race([Promise.resolve(resolved.probe(command.handle, context)), cut])
      if (probe.state === 'done')
        return (
          this.tooLarge(probe.value, 'result', command) ?? { ...base, type: 'succeeded', output: toJson(probe.value) }
        )
      if (probe.handle !== undefined) {
        const problem = this.tooLarge(probe.handle, 'handle', command)
        if (problem) return problem
      }
      if (probe.state === 'failed') {
        // The probe names its error (ProbeOutcome.error); the engine knows none of any service's own.
        const error = typeof probe.error === 'string' && probe.error !== '' ? probe.error : StatesErrorNames.TaskFailed
        return {
          ...base,
          type: 'failed',
          error,
          cause: `${command.resource} ended with status "${probe.status}"${probe.reason ? `: ${probe.reason}` : ''}`,
        }
      }
      return {
        ...base,
        type: 'pending',
        status: probe.status,
        pollAt: clock.now() + nextPollDelayMs(probe.pollAfterMs, () => resolved.pollDelayMs(command.polls + 1)),
        ...(probe.handle !== undefined ? { handle: toJson(probe.handle) } : {}),
      }
    } catch (thrown) {
      if (thrown instanceof BudgetExhausted) return undefined
      if (thrown instanceof TaskDeadline) {
        return {
          ...base,
          type: 'failed',
          error: thrown.errorName,
          cause: `The task did not finish in time (state "${command.state}", ${thrown.errorName === StatesErrorNames.HeartbeatTimeout ? 'HeartbeatSeconds' : 'TimeoutSeconds'})`,
        }
      }
      return { ...base, type: 'failed', ...toTaskError(thrown, actions) }
    } finally {
      clearTimeout(timer)
      if (onStop) this.budget.signal?.removeEventListener('abort', onStop)
    }
  }
}

/**
 * Events stepped but not saved yet: with `boundary` saves, pure transitions wait here for the next boundary or batch
 * limit (RunDriver.saveBatchWhenDue); every save takes them all.
 */
class PendingEvents {
  events: NewHistoryEvent[] = []
  /** Bytes of payload in `events` (what the interpreter counted). */
  bytes = 0

  constructor(
    /** When the last save started, on the engine's clock. */
    public lastSave: number,
  ) {}

  add(events: NewHistoryEvent[], payloadBytes: number): void {
    this.events = addPending(this.events, events)
    this.bytes += payloadBytes
  }

  /** Hands every pending event to a save starting `now`. */
  take(now: number): NewHistoryEvent[] {
    const events = this.events
    this.events = []
    this.bytes = 0
    this.lastSave = now
    return events
  }
}

/**
 * The calls in flight, by command: each runs on its own, so a slow call in one Map iteration holds back no other, and
 * its outcome waits in `arrived` until the drive loop applies and saves it.
 */
class CallsInFlight {
  private readonly keys = new Set<string>()
  private arrived: Outcome[] = []
  /** Set while the drive waits for an arrival (RunDriver.waitForArrival). */
  onArrival: (() => void) | undefined

  get size(): number {
    return this.keys.size
  }

  hasArrived(): boolean {
    return this.arrived.length > 0
  }

  takeArrived(): Outcome[] {
    const outcomes = this.arrived
    this.arrived = []
    return outcomes
  }

  /** The commands not in flight yet: a call is made once while in flight (a probe once per poll). */
  notInFlight(commands: Command[]): Command[] {
    return commands.length === 0 ? commands : commands.filter((command) => !this.keys.has(commandKey(command)))
  }

  /** Tracks a call until its outcome arrives (none when the budget cut it short: re-issued next time). */
  track(command: Command, outcome: Promise<Outcome | undefined>): void {
    const key = commandKey(command)
    this.keys.add(key)
    void outcome.then((arrived) => {
      this.keys.delete(key)
      if (arrived) this.arrived.push(arrived)
      this.onArrival?.()
    })
  }
}

/**
 * The events of a step added to those waiting for the next save: the step's own array when nothing waits (the usual
 * case right after a save). A small function of its own: drive() runs a few times per run and stays unoptimized for
 * dozens of runs, which made this per-event loop its slowest part.
 */
function addPending(pending: NewHistoryEvent[], events: NewHistoryEvent[]): NewHistoryEvent[] {
  if (pending.length === 0) return events
  for (let i = 0; i < events.length; i++) pending.push(events[i]!)
  return pending
}

function hasSeveralFrames(machine: Machine): boolean {
  let frames = 0
  for (const _id in machine.frames) if (++frames > 1) return true
  return false
}

/** How a call went, for the taskCall hook. */
function toCallResult(outcome: Outcome | undefined, durationMs: number): TaskCallResult {
  const ms = Math.round(durationMs)
  if (!outcome) return { outcome: 'cut', durationMs: ms }
  if (outcome.type === 'failed')
    return { outcome: 'failed', error: outcome.error, cause: outcome.cause, durationMs: ms }
  return { outcome: outcome.type, durationMs: ms }
}

/** One call's identity: a command is launched once while in flight (a probe once per poll). */
function commandKey(command: Command): string {
  return command.type === 'probe'
    ? `${command.frameId}|${command.clientToken}|probe|${command.polls}`
    : `${command.frameId}|${command.clientToken}|invoke`
}

/** Action results are saved as JSON: drop what JSON cannot hold (undefined → null, Dates → strings) right away. */
function toJson(value: unknown): unknown {
  if (value === undefined) return null
  if (value === null || typeof value !== 'object') return value
  return JSON.parse(JSON.stringify(value))
}

const MAX_POLL_AFTER_MS = 86_400_000

/** The probe's own hint when it gives a usable one (a finite number ≥ 0, at most a day), else the action's schedule. */
function nextPollDelayMs(hint: number | undefined, schedule: () => number): number {
  return typeof hint === 'number' && Number.isFinite(hint) && hint >= 0 ? Math.min(hint, MAX_POLL_AFTER_MS) : schedule()
}
