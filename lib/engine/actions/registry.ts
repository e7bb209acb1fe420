/**
 * The action registry: what a Task's `Resource` names. Users extend it with their own TypeScript functions; modules
 * of actions register theirs the same way (lib/ctyun-actions registers `ctyun:<service>:<operation>`).
 *
 * An action is either a plain call, or a long-running operation split into `start` (returns a handle) and `probe`
 * (one poll, no sleeping). A Task naming `<name>.sync` starts and then waits through the probe — between polls the
 * engine may suspend the run, so a wait of hours holds no process. A Task naming `<name>` (no `.sync`) calls `call`,
 * or for a start/probe action returns what `start` returned, as Step Functions' request-response integrations do.
 */

/** What every call gets: the deterministic clientToken to pass to the service it calls, and when to give up. */
export interface ActionContext {
  /** Same run + state visit + attempt ⇒ same token: pass it to idempotent writes so a re-issued call returns the same resource. */
  clientToken: string
  runId: string
  state: string
  /** Aborted when the Task's TimeoutSeconds/HeartbeatSeconds or the invocation's budget runs out. */
  signal: AbortSignal
  /** Epoch ms on the engine's clock; the call should be over by then. */
  deadline: number
  /**
   * The run is a plan (dry run): the engine calls only actions that declare `writes: false`, and gives every other
   * Task the action's planned result instead. A read action may look at it, e.g. to report what would happen.
   */
  plan?: boolean
  /**
   * When this attempt was first scheduled (epoch ms, engine clock): the same when a run resumed after a crash
   * re-issues the call, so an action whose API takes no clientToken can recognise what its first try started.
   */
  scheduledAt?: number
}

export interface ProbeOutcome<T = unknown> {
  state: 'pending' | 'done' | 'failed'
  status: string
  value?: T
  reason?: string
  /**
   * `failed` only: the ASL error the Task fails with (what `Retry`/`Catch` `ErrorEquals` match), e.g. `Build.Failed`;
   * default `States.TaskFailed`. A probe may also throw: the error is then named as a thrown one (`mapErrors`).
   */
  error?: string
  /** A new handle for the next polls (a two-phase wait: order → resource id → resource available). */
  handle?: unknown
  /**
   * When to poll next, ms from now, if the probe knows better than the action's fixed schedule (e.g. a CBR task's
   * percent gives its remaining time). The engine uses it instead of `pollDelayMs`; capped at one day.
   */
  pollAfterMs?: number
}

/**
 * What an action says about plan runs (dry runs, `StartRequest.plan`). An action that does not say `writes: false` is
 * a write: in a plan run it is not called, and its Task gets `plan()`'s result, or `{ planned: true, resource }`.
 */
export interface PlanAware {
  /** False for an action that changes nothing (reads, pure computation): a plan run calls it for real. Default true. */
  writes?: boolean
  /**
   * The result a write would have had, in the shape its Task documents, marked `planned: true`; built from the input
   * alone (no call is made). `form` is which Task form asked: `sync` (`<name>.sync`, the finished resource) or `call`.
   */
  plan?(input: unknown, context: ActionContext, form: 'call' | 'sync'): Promise<unknown> | unknown
  /**
   * For an action that stands in for another (lazy-actions.ts): the whole decision, asked of the other. When present,
   * `writes` and `plan` are not looked at.
   */
  decidePlan?(input: unknown, context: ActionContext, form: 'call' | 'sync'): Promise<PlanDecision>
}

export interface CallAction extends PlanAware {
  call(input: unknown, context: ActionContext): Promise<unknown> | unknown
}

export interface SyncAction<Handle = unknown> extends PlanAware {
  start(input: unknown, context: ActionContext): Promise<Handle> | Handle
  probe(handle: Handle, context: ActionContext): Promise<ProbeOutcome> | ProbeOutcome
  /** Delay before poll `polls + 1` (polls counts from 1); default 1 s ×3, then ×1.5 up to 30 s (defaultPollDelayMs). */
  pollDelayMs?(polls: number): number
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds actions of every handle type; each is checked where it is written
export type Action = CallAction | SyncAction<any> | (CallAction & SyncAction<any>)

/** What a plan run does with a Task: call the action (a read), or take a planned result in its place. */
export type PlanDecision = { run: true } | { planned: unknown }

/** A resource resolved for execution. */
export type ResolvedAction = (
  | { kind: 'call'; name: string; call: (input: unknown, context: ActionContext) => Promise<unknown> }
  | {
      kind: 'sync'
      name: string
      start: SyncAction['start']
      probe: SyncAction['probe']
      pollDelayMs: (polls: number) => number
    }
) & {
  /** In a plan run: whether to call the action, or the planned result of this write (PlanAware). */
  plan: (input: unknown, context: ActionContext) => Promise<PlanDecision>
}

/** An ASL error: the name `Retry`/`Catch` `ErrorEquals` match, and its cause (a message for people). */
export interface TaskError {
  error: string
  cause: string
}

/**
 * Names what an action threw as an ASL error, or returns undefined for an error it does not know (the next mapper,
 * then the engine's default, is asked: task-errors.ts).
 */
export type TaskErrorMapper = (thrown: unknown) => TaskError | undefined

export interface ActionRegistry {
  /** Adds an action; registering a name twice is an error (two modules claiming one name is a bug). */
  register(name: string, action: Action): ActionRegistry
  /** Resolves a Task `Resource` (`name` or `name.sync`); undefined when nothing can run it. */
  resolve(resource: string): ResolvedAction | undefined
  /** Whether a Task `Resource` can run (validation's `isKnownResource`). */
  has(resource: string): boolean
  /** Every runnable resource name, `.sync` forms included. */
  names(): string[]
  /**
   * Adds a mapper from what an action throws to the ASL error its Task fails with; a module of actions installs one
   * for its own error classes (lib/ctyun-actions: `CtyunApiError` → `Ctyun.NotFound`, …). Mappers are asked in the
   * order they were added, whichever action threw; one that returns undefined passes the error on.
   */
  mapErrors(mapper: TaskErrorMapper): ActionRegistry
  /** What the mappers make of a thrown error: the first answer, or undefined when none knows it. */
  mapError(thrown: unknown): TaskError | undefined
}

const SYNC_SUFFIX = '.sync'

/**
 * @example
 * const actions = createActionRegistry()
 *   .register('my:greet', { call: (input: any) => ({ greeting: `hello ${input.name}` }) })
 *   .register('my:build', { start: (input) => startBuild(input), probe: (id) => buildStatus(id) })
 * // Tasks: "Resource": "my:greet", "Resource": "my:build.sync"
 */
export function createActionRegistry(): ActionRegistry {
  const actions = new Map<string, Action>()
  const mappers: TaskErrorMapper[] = []
  const registry: ActionRegistry = {
    register(name, action) {
      if (!name || name.endsWith(SYNC_SUFFIX))
        throw new TypeError(
          `Action name ${JSON.stringify(name)} must be non-empty and must not end in "${SYNC_SUFFIX}" (the .sync form is derived)`,
        )
      if (actions.has(name)) throw new TypeError(`Action "${name}" is already registered`)
      const hasCall = typeof (action as CallAction).call === 'function'
      const hasStart = typeof (action as SyncAction).start === 'function'
      const hasProbe = typeof (action as SyncAction).probe === 'function'
      if (hasStart !== hasProbe) throw new TypeError(`Action "${name}" needs both start and probe (or neither)`)
      if (!hasCall && !hasStart) throw new TypeError(`Action "${name}" needs call, or start and probe`)
      actions.set(name, action)
      return registry
    },
    resolve(resource) {
      const sync = resource.endsWith(SYNC_SUFFIX)
      const name = sync ? resource.slice(0, -SYNC_SUFFIX.length) : resource
      const action = actions.get(name)
      if (!action) return undefined
      const { call } = action as Partial<CallAction>
      const { start, probe, pollDelayMs } = action as Partial<SyncAction>
      const plan = planOf(name, action, sync ? 'sync' : 'call')
      if (sync) {
        if (!start || !probe) return undefined
        return {
          kind: 'sync',
          name,
          start: start.bind(action),
          probe: probe.bind(action),
          pollDelayMs: pollDelayMs ? pollDelayMs.bind(action) : defaultPollDelayMs,
          plan,
        }
      }
      const run = call ?? start!
      return { kind: 'call', name, call: async (input, context) => run.call(action, input, context), plan }
    },
    has(resource) {
      return registry.resolve(resource) !== undefined
    },
    names() {
      const names: string[] = []
      for (const [name, action] of actions) {
        names.push(name)
        if (typeof (action as SyncAction).start === 'function') names.push(name + SYNC_SUFFIX)
      }
      return names.sort()
    },
    mapErrors(mapper) {
      if (typeof mapper !== 'function')
        throw new TypeError('mapErrors takes a function (thrown) => { error, cause } | undefined')
      mappers.push(mapper)
      return registry
    },
    mapError(thrown) {
      for (const mapper of mappers) {
        const mapped = mapper(thrown)
        if (mapped !== undefined) return mapped
      }
      return undefined
    },
  }
  return registry
}

/** A write unless it says `writes: false`; its planned result from `plan`, or a generic one naming the resource. */
function planOf(name: string, action: Action, form: 'call' | 'sync'): ResolvedAction['plan'] {
  return async (input, context) => {
    if (typeof action.decidePlan === 'function') return action.decidePlan(input, context, form)
    if (action.writes === false) return { run: true }
    if (typeof action.plan !== 'function') return { planned: { planned: true, resource: name } }
    return { planned: await action.plan(input, context, form) }
  }
}

/** 1 s for the first three polls, then ×1.5 up to 30 s. */
export function defaultPollDelayMs(polls: number): number {
  const slowSteps = Math.max(0, polls - 3)
  return Math.min(30_000, Math.round(1_000 * 1.5 ** slowSteps))
}
