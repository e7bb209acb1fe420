/**
 * The interpreter's position in a run: plain JSON, saved by the runner after every transition and handed back
 * on resume. Nothing in here is a secret or a live object; times are epoch milliseconds on the engine's clock.
 *
 * A run is a set of **frames**: the root frame runs the workflow's top-level states; each Parallel branch and
 * each Map iteration runs in a child frame. Frames are kept flat (`frames[id]`), children point at their parent.
 */
export interface Machine {
  /** Bumped when the shape changes, so an old run is refused instead of misread. */
  format: 1
  status: 'running' | 'succeeded' | 'failed' | 'timed_out' | 'aborted'
  frames: Record<string, Frame>
  /** The workflow's own TimeoutSeconds, as an instant. */
  timeoutAt?: number
  output?: unknown
  error?: { error: string; cause: string }
  /** Child runs of dropped distributed-Map items, for the runner to cancel before its next save (child-runs.ts). */
  cancelRuns?: string[]
  /**
   * A plan (dry run, StartRequest.plan): the runner calls only actions that do not write and takes planned results for
   * the others. Kept here, with the position, so every store keeps it without a column; child runs inherit it.
   */
  plan?: true
}

export interface Frame {
  id: string
  /** The parent frame (absent for the root) and this frame's position there (branch or item index). */
  parent?: string
  index?: number
  /** Where this frame's states live: [] for the root, then pairs of (state name, branch index | 'items'). */
  scope: string[]
  state: string
  /** The state's raw input. */
  input: unknown
  enteredAt: number
  /** How many states this frame has entered: with the attempt it makes every invocation's identity unique. */
  step: number
  /** The attempt of the current state (0 first; +1 per retry). */
  attempt: number
  /** Retries used so far per Retry entry of the current state (Step Functions counts each retrier separately). */
  retries?: number[]
  phase: Phase
}

export type Phase = ReadyPhase | InvokingPhase | PollingPhase | SleepingPhase | ChildrenPhase

/** About to execute `state` (entering it, or again after a retry interval). */
export interface ReadyPhase {
  kind: 'ready'
  retry?: boolean
}

/** A Task's action was (or is about to be) called. Saved before the call, so a resumed run re-issues it with the same token. */
export interface InvokingPhase {
  kind: 'invoking'
  resource: string
  input: unknown
  clientToken: string
  startedAt: number
  timeoutAt?: number
  heartbeatMs?: number
}

/** A `.sync` Task started its operation (`handle`) and polls its probe until done. */
export interface PollingPhase extends Omit<InvokingPhase, 'kind'> {
  kind: 'polling'
  handle: unknown
  polls: number
  pollAt: number
  lastStatus?: string
}

/** A Wait state (then go on with `output`) or a Retry interval (then execute the state again). */
export interface SleepingPhase {
  kind: 'sleeping'
  until: number
  then: 'next' | 'retry'
  output?: unknown
}

/** A Parallel or Map state waiting for its child frames. */
export interface ChildrenPhase {
  kind: 'children'
  /** The effective input (after InputPath/Parameters) branches receive, or the Map's effective input. */
  effectiveInput: unknown
  /** Map only: the items still to start (by index) — kept so iterations can start as others finish. */
  items?: unknown[]
  total: number
  nextIndex: number
  running: number
  finished: number
  maxConcurrency: number
  results: unknown[]
  /** Bytes of JSON of the results collected so far (absent in runs saved before it was counted: counted from then on). */
  resultBytes?: number
}

export const ROOT_FRAME = 'root'

/** The machine of a new run: the root frame ready at `StartAt`. */
export function createMachine(
  startAt: string,
  input: unknown,
  now: number,
  timeoutSeconds?: number,
  options: { plan?: boolean } = {},
): Machine {
  const machine: Machine = {
    format: 1,
    status: 'running',
    frames: {
      [ROOT_FRAME]: {
        id: ROOT_FRAME,
        scope: [],
        state: startAt,
        input,
        enteredAt: now,
        step: 1,
        attempt: 0,
        phase: { kind: 'ready' },
      },
    },
  }
  if (timeoutSeconds !== undefined) machine.timeoutAt = now + timeoutSeconds * 1000
  if (options.plan) machine.plan = true
  return machine
}

/** Whether a run's machine is a plan's (createMachine's `plan` option). */
export function isPlanMachine(machine: unknown): boolean {
  return typeof machine === 'object' && machine !== null && (machine as Machine).plan === true
}
