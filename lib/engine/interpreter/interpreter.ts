import {
  applyInputPath,
  applyOutputPath,
  applyParameters,
  applyResultPath,
  applyResultSelector,
  createContextObject,
  emptyContextObject,
  findCatcher,
  findRetrier,
  parseTimestamp,
  readRequiredPath,
  retryDelayMs,
  selectChoice,
  StatesError,
  StatesErrorNames,
  toErrorDetail,
  toErrorOutput,
  toStatesError,
  type ContextObject,
} from '../language'
import { jsonBytesWithin, knownJsonBytes, MAX_JSON_DEPTH, measureJson } from '../language/json-size'
import { DEFAULT_LIMITS, MAX_WAIT_SECONDS } from '../limits'
import type { NewHistoryEvent } from '../run'
import {
  CHILD_RUN_RESOURCE,
  childRunId,
  childWorkflowName,
  isDistributedMap,
  noteDroppedChildRuns,
  type ChildRunRequest,
} from './child-runs'
import { deriveClientToken } from './client-token'
import type { Command, Outcome, StepResult } from './commands'
import type { StateDefinition, SubWorkflow, WorkflowDefinition } from './definition'
import { ROOT_FRAME, type ChildrenPhase, type Frame, type Machine, type ReadyPhase } from './machine'
import { planOf, type StatePlan } from './state-plan'

/** Who the run is, for the context object (`$$.Execution.*`) and the clientTokens. */
export interface Execution {
  runId: string
  workflowName: string
  input: unknown
  /** ISO 8601. */
  startTime: string
}

/** Time and randomness come in from outside, so the interpreter stays deterministic under test. */
export interface StepOptions {
  now: number
  random: () => number
  execution: Execution
  /**
   * How many states a run's only frame may go through in this step (default 1). While it is alone, nothing else could
   * move in between, so running on gives the history of as many one-state steps, without their overhead. It stops
   * earlier at anything that is not another state to execute at once (a Task call, a wait, a Map or Parallel, the end).
   * For callers that save the transitions of consecutive steps together (the runner's `boundary` policy).
   */
  maxTransitions?: number
  /** With maxTransitions: stop running on once the step has this many events (the runner's batch limit). */
  maxEvents?: number
  /** With maxTransitions: stop running on once the payloads in the step's events add up to this many bytes. */
  maxEventBytes?: number
  /**
   * The payload limit (EngineLimits.maxPayloadBytes, default 256 KiB): a state input after Parameters, a state output,
   * a Task result or a Map's or Parallel's collected results that is larger fails the state with
   * States.DataLimitExceeded, before it is copied or saved.
   */
  maxPayloadBytes?: number
}

/**
 * One step of a run: every frame that can move executes one state (Pass, Choice, entering a Task …), sleeping frames
 * whose time has come wake up, overdue operations time out. Returns the history events of the step, the calls to
 * make now, and when something is next due. The machine is updated in place (the runner owns it and saves it).
 *
 * @example
 * const machine = createMachine(definition.StartAt, input, now)
 * const { events, commands, wakeAt } = step(definition, machine, { now, random: Math.random, execution })
 */
export function step(definition: WorkflowDefinition, machine: Machine, options: StepOptions): StepResult {
  const run = new Interpretation(definition, machine, options)
  run.step()
  return run.result()
}

/**
 * Feeds back what a command did (a result, an error, a `.sync` handle, a pending probe). Outcomes for a frame that
 * has since moved on (e.g. a Map iteration dropped because a sibling failed) are ignored.
 */
export function applyOutcome(
  definition: WorkflowDefinition,
  machine: Machine,
  outcome: Outcome,
  options: StepOptions,
): NewHistoryEvent[] {
  const run = new Interpretation(definition, machine, options)
  run.apply(outcome)
  return run.events
}

/** Ends a run as ABORTED by the caller's request (the machine keeps its position for the record). */
export function abortMachine(machine: Machine): void {
  machine.status = 'aborted'
  endFrames(machine)
}

/** Ends a run as FAILED for a reason outside its workflow (a limit, an engine error); its child runs are to be cancelled. */
export function failMachine(machine: Machine, error: { error: string; cause: string }): void {
  machine.status = 'failed'
  machine.error = error
  endFrames(machine)
}

/** Clears every frame of a run that ended; the child runs of distributed-Map items still running are to be cancelled. */
function endFrames(machine: Machine): void {
  noteDroppedChildRuns(machine, Object.values(machine.frames))
  machine.frames = {}
}

type StatesMap = Record<string, StateDefinition>

// Scopes resolve to the States map of a branch or item processor; definitions are immutable, so cache per definition:
// a tree keyed by the scope's (state name, selector) pairs, walked without building a key (every step of every child
// frame looks its scope up).
interface ScopeNode {
  states: StatesMap
  /** By state name, then selector (branch index or 'items'). */
  children: Map<string, Map<string, ScopeNode>>
}
const scopeCache = new WeakMap<WorkflowDefinition, ScopeNode>()

function statesOf(definition: WorkflowDefinition, scope: string[]): StatesMap {
  if (scope.length === 0) return definition.States
  let node: ScopeNode | undefined = scopeCache.get(definition)
  if (!node) scopeCache.set(definition, (node = { states: definition.States, children: new Map() }))
  for (let i = 0; i < scope.length; i += 2) {
    const stateName = scope[i]!
    const selector = scope[i + 1]!
    let bySelector: Map<string, ScopeNode> | undefined = node.children.get(stateName)
    if (!bySelector) node.children.set(stateName, (bySelector = new Map()))
    let next: ScopeNode | undefined = bySelector.get(selector)
    if (!next) {
      const parent: StateDefinition | undefined = node.states[stateName]
      const sub: SubWorkflow | undefined =
        selector === 'items' ? (parent?.ItemProcessor ?? parent?.Iterator) : parent?.Branches?.[Number(selector)]
      if (!sub)
        throw new StatesError(
          StatesErrorNames.Runtime,
          `The run refers to a branch or iterator "${scope.slice(0, i + 2).join('/')}" the workflow does not have (was it changed while the run was suspended?)`,
        )
      bySelector.set(selector, (next = { states: sub.States, children: new Map() }))
    }
    node = next
  }
  return node.states
}

class Interpretation {
  readonly events: NewHistoryEvent[] = []
  private readonly at: string
  private readonly now: number
  // The frame ids step() went through (in the machine's order) and those spawned since (added last, so in that order
  // after them): result() walks these instead of enumerating the frames again — a Map's thousand frames are a
  // dictionary-mode object, where each enumeration collects and sorts every key.
  private stepIds: string[] | undefined
  private readonly spawnedIds: string[] = []
  private readonly maxPayloadBytes: number
  /** Bytes of the payloads (inputs, outputs, results) this step put into its events: the runner batches by them. */
  private eventBytes = 0

  constructor(
    private readonly definition: WorkflowDefinition,
    private readonly machine: Machine,
    private readonly options: StepOptions,
  ) {
    this.now = options.now
    this.at = isoAt(options.now)
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_LIMITS.maxPayloadBytes
  }

  step(): void {
    const machine = this.machine
    if (machine.status !== 'running') return
    if (machine.timeoutAt !== undefined && this.now >= machine.timeoutAt) {
      machine.status = 'timed_out'
      machine.error = {
        error: StatesErrorNames.Timeout,
        cause: `The workflow's TimeoutSeconds (${this.definition.TimeoutSeconds}) elapsed`,
      }
      endFrames(machine)
      this.emit('ExecutionTimedOut', undefined, machine.error)
      return
    }
    const ids = Object.keys(machine.frames)
    this.stepIds = ids
    for (const id of ids) {
      const frame = machine.frames[id]
      if (!frame || machine.status !== 'running') continue
      const phase = frame.phase
      switch (phase.kind) {
        case 'ready':
          this.execute(frame)
          if (ids.length === 1) this.runOn(frame)
          break
        case 'sleeping':
          if (phase.until <= this.now) this.wake(frame)
          break
        case 'invoking':
        case 'polling':
          if (phase.timeoutAt !== undefined && phase.timeoutAt <= this.now) {
            const error = new StatesError(
              StatesErrorNames.Timeout,
              `The task did not finish within its TimeoutSeconds (state "${frame.state}")`,
            )
            this.emit('TaskTimedOut', frame, toErrorDetail(error))
            this.handleError(frame, error)
          }
          break
        case 'children':
          break
      }
    }
  }

  /**
   * The run's only frame goes on through the states that follow at once (see StepOptions.maxTransitions). A lone frame
   * is the root (a branch or an item needs its parent): one that enters a Map or Parallel is no longer ready.
   */
  private runOn(frame: Frame): void {
    const {
      maxTransitions = 1,
      maxEvents = Number.POSITIVE_INFINITY,
      maxEventBytes = Number.POSITIVE_INFINITY,
    } = this.options
    const machine = this.machine
    for (
      let done = 1;
      done < maxTransitions && this.events.length < maxEvents && this.eventBytes < maxEventBytes;
      done++
    ) {
      if (machine.status !== 'running' || frame.phase.kind !== 'ready' || machine.frames[frame.id] !== frame) return
      this.execute(frame)
    }
  }

  result(): StepResult {
    const commands: Command[] = []
    let wakeAt: number | undefined
    let runnable = false
    if (this.machine.status === 'running') {
      const frames = this.machine.frames
      const ids =
        this.stepIds === undefined
          ? Object.keys(frames)
          : this.spawnedIds.length === 0
            ? this.stepIds
            : this.stepIds.concat(this.spawnedIds)
      for (const id of ids) {
        const frame = frames[id]
        if (frame === undefined) continue
        const phase = frame.phase
        switch (phase.kind) {
          case 'ready':
            runnable = true
            break
          case 'sleeping':
            if (phase.until <= this.now) runnable = true
            else wakeAt = earliest(wakeAt, phase.until)
            break
          case 'invoking':
            commands.push({
              type: 'invoke',
              frameId: frame.id,
              state: frame.state,
              resource: phase.resource,
              input: phase.input,
              clientToken: phase.clientToken,
              scheduledAt: phase.startedAt,
              ...deadlineOf(phase.timeoutAt, phase.heartbeatMs, this.now),
            })
            break
          case 'polling':
            if (phase.pollAt <= this.now) {
              commands.push({
                type: 'probe',
                frameId: frame.id,
                state: frame.state,
                resource: phase.resource,
                handle: phase.handle,
                clientToken: phase.clientToken,
                polls: phase.polls,
                ...deadlineOf(phase.timeoutAt, phase.heartbeatMs, this.now),
              })
            } else {
              wakeAt = earliest(earliest(wakeAt, phase.pollAt), phase.timeoutAt)
            }
            break
          case 'children':
            break
        }
      }
      wakeAt = earliest(wakeAt, this.machine.timeoutAt)
    }
    return { events: this.events, commands, wakeAt, runnable, payloadBytes: this.eventBytes }
  }

  apply(outcome: Outcome): void {
    const frame = this.machine.frames[outcome.frameId]
    if (!frame || this.machine.status !== 'running') return
    const phase = frame.phase
    if ((phase.kind !== 'invoking' && phase.kind !== 'polling') || phase.clientToken !== outcome.clientToken) return
    if (phase.resource === CHILD_RUN_RESOURCE) return this.applyChildRunOutcome(frame, outcome)
    switch (outcome.type) {
      case 'succeeded': {
        let resultBytes: number
        try {
          resultBytes = this.checkPayload(outcome.output, 'result', frame)
        } catch (thrown) {
          const error = thrown as StatesError
          this.emit('TaskFailed', frame, toErrorDetail(error))
          this.handleError(frame, error)
          break
        }
        this.eventBytes += resultBytes
        this.emit('TaskSucceeded', frame, { output: outcome.output })
        const state = this.stateOf(frame)
        this.guard(frame, () => {
          const context = this.context(frame)
          const where = { state: frame.state, random: this.options.random }
          const selected = applyResultSelector(outcome.output, state.ResultSelector, context, where)
          const output = applyOutputPath(
            applyResultPath(frame.input, selected, state.ResultPath, where),
            state.OutputPath,
            context,
            where,
          )
          this.leave(frame, state, output)
        })
        break
      }
      case 'failed': {
        const error = new StatesError(outcome.error, outcome.cause)
        this.emit(
          outcome.error === StatesErrorNames.Timeout ? 'TaskTimedOut' : 'TaskFailed',
          frame,
          toErrorDetail(error),
        )
        this.handleError(frame, error)
        break
      }
      case 'started':
        this.emit('TaskStarted', frame, { handle: outcome.handle })
        frame.phase = {
          ...(phase as Omit<typeof phase, 'kind'>),
          kind: 'polling',
          handle: outcome.handle,
          polls: 0,
          pollAt: outcome.pollAt,
        }
        break
      case 'pending':
        if (phase.kind !== 'polling') return
        if (phase.lastStatus !== outcome.status) this.emit('TaskProgressed', frame, { status: outcome.status })
        phase.polls += 1
        phase.pollAt = outcome.pollAt
        phase.lastStatus = outcome.status
        if (outcome.handle !== undefined) phase.handle = outcome.handle
        break
    }
  }

  /** A distributed-Map item's child run was created, is still going, or ended: the item's frame follows it. */
  private applyChildRunOutcome(frame: Frame, outcome: Outcome): void {
    const phase = frame.phase as Extract<Frame['phase'], { kind: 'invoking' | 'polling' }>
    switch (outcome.type) {
      case 'succeeded':
        return this.childFinished(frame, outcome.output)
      case 'failed':
        return this.failFrame(frame, new StatesError(outcome.error, outcome.cause))
      case 'started':
        frame.phase = {
          ...(phase as Omit<typeof phase, 'kind'>),
          kind: 'polling',
          handle: outcome.handle,
          polls: 0,
          pollAt: outcome.pollAt,
        }
        return
      case 'pending':
        if (phase.kind !== 'polling') return
        phase.polls += 1
        phase.pollAt = outcome.pollAt
        phase.lastStatus = outcome.status
    }
  }

  // ——— executing states ———

  private execute(frame: Frame): void {
    const states = this.statesFor(frame)
    if (!states) return
    const state = states[frame.state]
    if (!state) {
      this.failFrame(
        frame,
        new StatesError(
          StatesErrorNames.Runtime,
          `There is no state named "${frame.state}" (was the workflow changed while the run was suspended?)`,
        ),
      )
      return
    }
    const plan = planOf(state)
    const retrying = frame.phase.kind === 'ready' && frame.phase.retry === true
    // A state's input is the previous state's output (already in its Exited event); only a frame's first state
    // (the run's, a branch's, an iteration's) records it, which halves what a long run's history holds.
    // A frame's first input is checked (and counted for save batching) where it was made: the run's at start, a
    // branch's or an item's when spawned.
    if (!retrying) this.emit(plan.entered, frame, frame.step === 1 ? { input: frame.input } : undefined)
    try {
      // Checked here rather than in executeBody: that function is large, so V8 optimizes it only after it has run a
      // lot of its code, which a Pass chain's early return never does (it stayed unoptimized for ~30 runs).
      if (plan.passesInputOn) this.leave(frame, state, frame.input)
      else this.executeBody(frame, state, plan)
    } catch (thrown) {
      this.recover(frame, thrown)
    }
  }

  private executeBody(frame: Frame, state: StateDefinition, plan: StatePlan): void {
    const where = { state: frame.state, random: this.options.random }
    const context = plan.readsContext ? this.context(frame) : emptyContextObject
    switch (state.Type) {
      case 'Pass': {
        const effective = applyParameters(
          applyInputPath(frame.input, state.InputPath, context, where),
          state.Parameters,
          context,
          where,
        )
        const result = 'Result' in state ? state.Result : effective
        const output = applyOutputPath(
          applyResultPath(frame.input, result, state.ResultPath, where),
          state.OutputPath,
          context,
          where,
        )
        // The output is checked on leaving; the input after Parameters only when it is not the output itself.
        if (state.Parameters !== undefined && effective !== output)
          this.checkPayload(effective, 'input (after InputPath and Parameters)', frame)
        this.leave(frame, state, output)
        return
      }
      case 'Succeed': {
        this.leave(
          frame,
          state,
          applyOutputPath(
            applyInputPath(frame.input, state.InputPath, context, where),
            state.OutputPath,
            context,
            where,
          ),
        )
        return
      }
      case 'Fail': {
        const error =
          state.ErrorPath !== undefined
            ? this.readString(frame, state.ErrorPath, context, 'ErrorPath')
            : (state.Error ?? '')
        const cause =
          state.CausePath !== undefined
            ? this.readString(frame, state.CausePath, context, 'CausePath')
            : (state.Cause ?? '')
        this.failFrame(frame, new StatesError(error, cause))
        return
      }
      case 'Choice': {
        const effective = applyInputPath(frame.input, state.InputPath, context, where)
        const next = selectChoice(state as { Choices: unknown[]; Default?: string }, effective, context, where)
        this.moveTo(frame, state, next, applyOutputPath(effective, state.OutputPath, context, where))
        return
      }
      case 'Wait': {
        const effective = applyInputPath(frame.input, state.InputPath, context, where)
        const until = this.waitUntil(frame, state, effective, context)
        const output = applyOutputPath(effective, state.OutputPath, context, where)
        if (until <= this.now) this.leave(frame, state, output)
        // biome-ignore lint/suspicious/noThenProperty: a sleeping phase's `then` names what follows it; never awaited
        else frame.phase = { kind: 'sleeping', until, then: 'next', output }
        return
      }
      case 'Task':
        return this.startTask(frame, state, context)
      case 'Parallel': {
        const effective = applyParameters(
          applyInputPath(frame.input, state.InputPath, context, where),
          state.Parameters,
          context,
          where,
        )
        if (effective !== frame.input) this.checkPayload(effective, 'input (after InputPath and Parameters)', frame)
        const total = state.Branches?.length ?? 0
        frame.phase = {
          kind: 'children',
          effectiveInput: effective,
          total,
          nextIndex: 0,
          running: 0,
          finished: 0,
          maxConcurrency: 0,
          results: new Array(total).fill(null),
        }
        this.emit('ParallelStateStarted', frame, { branches: total })
        return this.spawnChildren(frame, state)
      }
      case 'Map': {
        const effective = applyInputPath(frame.input, state.InputPath, context, where)
        if (effective !== frame.input) this.checkPayload(effective, 'input (after InputPath)', frame)
        const items =
          state.ItemsPath !== undefined
            ? readRequiredPath(effective, state.ItemsPath, context, where, 'ItemsPath')
            : effective
        if (!Array.isArray(items)) {
          throw new StatesError(
            StatesErrorNames.Runtime,
            `The Map items (ItemsPath ${state.ItemsPath ?? '$'}) are ${describe(items)}, not an array (state "${frame.state}")`,
          )
        }
        const maxConcurrency = this.maxConcurrency(frame, state, effective, context)
        frame.phase = {
          kind: 'children',
          effectiveInput: effective,
          items: items.slice(),
          total: items.length,
          nextIndex: 0,
          running: 0,
          finished: 0,
          maxConcurrency,
          results: new Array(items.length).fill(null),
        }
        this.emit('MapStateStarted', frame, { length: items.length })
        return this.spawnChildren(frame, state)
      }
      default:
        throw new StatesError(
          StatesErrorNames.Runtime,
          `Unknown state type ${JSON.stringify((state as { Type: unknown }).Type)} (state "${frame.state}")`,
        )
    }
  }

  private startTask(frame: Frame, state: StateDefinition, context: ContextObject): void {
    const where = { state: frame.state, random: this.options.random }
    const effective = applyParameters(
      applyInputPath(frame.input, state.InputPath, context, where),
      state.Parameters,
      context,
      where,
    )
    const inputBytes =
      effective === frame.input
        ? Math.max(0, jsonBytesWithin(effective, this.maxPayloadBytes))
        : this.checkPayload(effective, 'input (after InputPath and Parameters)', frame)
    const timeoutSeconds =
      state.TimeoutSecondsPath !== undefined
        ? this.readInteger(
            frame,
            state.TimeoutSecondsPath,
            context,
            'TimeoutSecondsPath',
            1,
            frame.input,
            MAX_TIMEOUT_SECONDS,
          )
        : state.TimeoutSeconds
    const heartbeatSeconds =
      state.HeartbeatSecondsPath !== undefined
        ? this.readInteger(
            frame,
            state.HeartbeatSecondsPath,
            context,
            'HeartbeatSecondsPath',
            1,
            frame.input,
            MAX_TIMEOUT_SECONDS,
          )
        : state.HeartbeatSeconds
    const clientToken = deriveClientToken(this.options.execution.runId, frame.id, frame.step, frame.attempt)
    frame.phase = {
      kind: 'invoking',
      resource: state.Resource ?? '',
      input: effective,
      clientToken,
      startedAt: this.now,
      ...(timeoutSeconds !== undefined ? { timeoutAt: this.now + timeoutSeconds * 1000 } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatMs: heartbeatSeconds * 1000 } : {}),
    }
    this.eventBytes += inputBytes
    this.emit('TaskScheduled', frame, {
      resource: state.Resource,
      input: effective,
      attempt: frame.attempt,
      clientToken,
    })
  }

  private waitUntil(frame: Frame, state: StateDefinition, effective: unknown, context: ContextObject): number {
    // A wait may not reach past a year (Step Functions ends a run after one): a later instant never comes, and an
    // astronomical one (SecondsPath 1e300) is not even a date.
    if (state.Seconds !== undefined) {
      if (!isWaitSeconds(state.Seconds))
        throw new StatesError(
          StatesErrorNames.Runtime,
          `Seconds is ${describe(state.Seconds)}, not ${waitSecondsRange()} (state "${frame.state}")`,
        )
      return this.now + state.Seconds * 1000
    }
    if (state.SecondsPath !== undefined) {
      const where = { state: frame.state, random: this.options.random }
      const seconds = readRequiredPath(effective, state.SecondsPath, context, where, 'SecondsPath')
      if (!isWaitSeconds(seconds))
        throw new StatesError(
          StatesErrorNames.Runtime,
          `SecondsPath ${state.SecondsPath} is ${describe(seconds)}, not ${waitSecondsRange()} (state "${frame.state}")`,
        )
      return this.now + seconds * 1000
    }
    const field = state.TimestampPath !== undefined ? `TimestampPath ${state.TimestampPath}` : 'Timestamp'
    const text =
      state.TimestampPath !== undefined
        ? readRequiredPath(
            effective,
            state.TimestampPath,
            context,
            { state: frame.state, random: this.options.random },
            'TimestampPath',
          )
        : state.Timestamp
    const at = parseTimestamp(text)
    if (at === undefined)
      throw new StatesError(
        StatesErrorNames.Runtime,
        `${field} is ${describe(text)}, not an RFC 3339 timestamp (state "${frame.state}")`,
      )
    if (at > this.now + MAX_WAIT_SECONDS * 1000) {
      throw new StatesError(
        StatesErrorNames.Runtime,
        `${field} is ${describe(text)}, more than a year ahead: a wait may last at most ${MAX_WAIT_SECONDS.toLocaleString('en-US')} seconds (state "${frame.state}")`,
      )
    }
    return at
  }

  private maxConcurrency(frame: Frame, state: StateDefinition, effective: unknown, context: ContextObject): number {
    if (state.MaxConcurrencyPath !== undefined)
      return this.readInteger(frame, state.MaxConcurrencyPath, context, 'MaxConcurrencyPath', 0, effective)
    return state.MaxConcurrency ?? 0
  }

  /**
   * An integer from `minimum` to `maximum` read from a path (TimeoutSecondsPath, HeartbeatSecondsPath,
   * MaxConcurrencyPath); anything else is States.Runtime naming the field.
   */
  private readInteger(
    frame: Frame,
    path: string,
    context: ContextObject,
    field: string,
    minimum: number,
    document: unknown = frame.input,
    maximum = Number.MAX_SAFE_INTEGER,
  ): number {
    const value = readRequiredPath(document, path, context, { state: frame.state, random: this.options.random }, field)
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
      const range =
        maximum === Number.MAX_SAFE_INTEGER
          ? `an integer ≥ ${minimum}`
          : `an integer from ${minimum} to ${maximum.toLocaleString('en-US')}`
      throw new StatesError(
        StatesErrorNames.Runtime,
        `${field} ${path} is ${describe(value)}, not ${range} (state "${frame.state}")`,
      )
    }
    return value
  }

  /**
   * The size of a payload (a state's input or output, a Task's result, an item's input) within the payload limit; a
   * larger one, or one nested too deeply, throws States.DataLimitExceeded naming the state and what it was.
   */
  private checkPayload(value: unknown, what: string, frame: Frame): number {
    const bytes = jsonBytesWithin(value, this.maxPayloadBytes)
    if (bytes >= 0) return bytes
    const measure = measureJson(value, this.maxPayloadBytes)
    const reason =
      measure.over === 'bytes'
        ? `is larger than the payload limit of ${this.maxPayloadBytes.toLocaleString('en-US')} bytes of JSON`
        : `is nested deeper than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels`
    throw new StatesError(StatesErrorNames.DataLimitExceeded, `The ${what} of state "${frame.state}" ${reason}`)
  }

  private readString(frame: Frame, path: string, context: ContextObject, field: string): string {
    const value = readRequiredPath(
      frame.input,
      path,
      context,
      { state: frame.state, random: this.options.random },
      field,
    )
    if (typeof value !== 'string')
      throw new StatesError(
        StatesErrorNames.Runtime,
        `${field} ${path} is ${describe(value)}, not a string (state "${frame.state}")`,
      )
    return value
  }

  // ——— Parallel and Map children ———

  private spawnChildren(parent: Frame, state: StateDefinition): void {
    const phase = parent.phase as ChildrenPhase
    const limit = phase.maxConcurrency > 0 ? phase.maxConcurrency : Number.POSITIVE_INFINITY
    const isMap = state.Type === 'Map'
    const distributed = isMap && isDistributedMap(state)
    // Scopes are only read, never changed: the items started here share one.
    const itemScope = isMap ? [...parent.scope, parent.state, 'items'] : undefined
    while (phase.nextIndex < phase.total && phase.running < limit) {
      const index = phase.nextIndex
      let input: unknown
      let sub: SubWorkflow | undefined
      if (isMap) {
        const item = phase.items![index]
        const selector = state.ItemSelector ?? state.Parameters
        if (selector !== undefined) {
          const context = this.context(parent, { index, value: item })
          input = applyParameters(phase.effectiveInput, selector, context, {
            state: parent.state,
            field: state.ItemSelector !== undefined ? 'ItemSelector' : 'Parameters',
            random: this.options.random,
          })
          // Counted now for the item's first event (a raw item is part of the Map's input, counted with it).
          this.eventBytes += this.checkPayload(
            input,
            `input of item ${index} (after ${state.ItemSelector !== undefined ? 'ItemSelector' : 'Parameters'})`,
            parent,
          )
        } else {
          input = item
        }
        // Started items are not needed again (a retry re-reads the input), so keep the saved machine small.
        phase.items![index] = null
        sub = state.ItemProcessor ?? state.Iterator
      } else {
        input = phase.effectiveInput
        sub = state.Branches?.[index]
        this.eventBytes += Math.max(0, jsonBytesWithin(input, this.maxPayloadBytes)) // each branch's first event holds it
      }
      if (!sub)
        throw new StatesError(
          StatesErrorNames.Runtime,
          `State "${parent.state}" has no ${isMap ? 'ItemProcessor' : `branch ${index}`}`,
        )
      phase.nextIndex += 1
      phase.running += 1
      const child: Frame = {
        id: `${parent.id}/${parent.step}.${parent.attempt}:${index}`,
        parent: parent.id,
        index,
        scope: itemScope ?? [...parent.scope, parent.state, String(index)],
        state: sub.StartAt,
        input,
        enteredAt: this.now,
        step: 1,
        attempt: 0,
        phase: READY,
      }
      this.machine.frames[child.id] = child
      this.spawnedIds.push(child.id)
      if (distributed) {
        // The item runs as a child run any worker may advance (child-runs.ts); this frame only follows it.
        const clientToken = deriveClientToken(this.options.execution.runId, child.id, child.step, child.attempt)
        const request: ChildRunRequest = {
          workflow: childWorkflowName(this.options.execution.workflowName, parent.scope, parent.state),
          input,
          index,
        }
        child.phase = {
          kind: 'invoking',
          resource: CHILD_RUN_RESOURCE,
          input: request,
          clientToken,
          startedAt: this.now,
        }
        this.emit('MapIterationStarted', parent, { index, run: childRunId(clientToken) })
      } else if (isMap) {
        this.emit('MapIterationStarted', parent, { index })
      }
    }
    if (phase.finished === phase.total) this.completeChildren(parent, state)
  }

  /** `bytes`: the output's size as JSON when the caller measured it (leave), else measured here. */
  private childFinished(child: Frame, output: unknown, bytes = jsonBytesWithin(output, this.maxPayloadBytes)): void {
    const parent = this.machine.frames[child.parent!]
    delete this.machine.frames[child.id]
    if (parent?.phase.kind !== 'children') return
    const state = this.stateOf(parent)
    const phase = parent.phase
    phase.results[child.index!] = output
    phase.running -= 1
    phase.finished += 1
    if (state.Type === 'Map') this.emit('MapIterationSucceeded', parent, { index: child.index })
    try {
      // The results are counted as they come (each output is within the limit, a thousand of them need not be), so
      // the Map fails as soon as they cannot fit, not after holding and saving them all.
      phase.resultBytes = (phase.resultBytes ?? 2) + (bytes < 0 ? this.maxPayloadBytes + 1 : bytes) + 1
      if (phase.resultBytes > this.maxPayloadBytes + 1) {
        throw new StatesError(
          StatesErrorNames.DataLimitExceeded,
          `The results of state "${parent.state}" are larger than the payload limit of ${this.maxPayloadBytes.toLocaleString('en-US')} bytes of JSON (after ${phase.finished} of ${phase.total} ${state.Type === 'Map' ? 'items' : 'branches'})`,
        )
      }
      this.spawnChildren(parent, state)
    } catch (thrown) {
      this.recover(parent, thrown)
    }
  }

  private completeChildren(parent: Frame, state: StateDefinition): void {
    const phase = parent.phase as ChildrenPhase
    const where = { state: parent.state, random: this.options.random }
    const context = this.context(parent)
    this.emit(planOf(state).succeeded, parent, undefined)
    const selected = applyResultSelector(phase.results, state.ResultSelector, context, where)
    this.leave(
      parent,
      state,
      applyOutputPath(
        applyResultPath(parent.input, selected, state.ResultPath, where),
        state.OutputPath,
        context,
        where,
      ),
    )
  }

  private dropChildren(parent: Frame): void {
    const prefix = `${parent.id}/`
    const frames = this.machine.frames
    for (const id of Object.keys(frames)) {
      if (!id.startsWith(prefix)) continue
      noteDroppedChildRuns(this.machine, [frames[id]!])
      delete frames[id]
    }
  }

  // ——— transitions ———

  /** Leaves a state with its output: to `Next`, or the end of the frame (End, Succeed). */
  private leave(frame: Frame, state: StateDefinition, output: unknown): void {
    if (state.Type === 'Succeed' || state.End === true || state.Next === undefined) {
      const bytes = this.checkPayload(output, 'output', frame)
      this.eventBytes += bytes
      this.emit(planOf(state).exited, frame, { output })
      this.finishFrame(frame, output, bytes)
    } else {
      this.moveTo(frame, state, state.Next, output)
    }
  }

  private moveTo(frame: Frame, state: StateDefinition, next: string, output: unknown): void {
    // A state that hands its input on unchanged needs no check: a frame's input was checked where it was made (the
    // run's at start, a branch's or item's when spawned, an output on leaving). For save batching its size is what
    // is known of it (a large one is remembered); a small one unknown is left out (a batch may hold 8 KiB more each).
    this.eventBytes +=
      output === frame.input ? (knownJsonBytes(output) ?? 0) : this.checkPayload(output, 'output', frame)
    this.emit(planOf(state).exited, frame, { output })
    frame.state = next
    frame.input = output
    frame.enteredAt = this.now
    frame.step += 1
    frame.attempt = 0
    if (frame.retries !== undefined) delete frame.retries
    frame.phase = READY
  }

  private wake(frame: Frame): void {
    const phase = frame.phase
    if (phase.kind !== 'sleeping') return
    if (phase.then === 'retry') {
      frame.phase = { kind: 'ready', retry: true }
      this.execute(frame)
    } else {
      this.guard(frame, () => this.leave(frame, this.stateOf(frame), phase.output))
    }
  }

  private finishFrame(frame: Frame, output: unknown, bytes: number): void {
    if (frame.id === ROOT_FRAME) {
      this.machine.status = 'succeeded'
      this.machine.output = output
      this.machine.frames = {}
      this.emit('ExecutionSucceeded', undefined, { output })
    } else {
      this.childFinished(frame, output, bytes)
    }
  }

  private failFrame(frame: Frame, error: StatesError): void {
    if (frame.id === ROOT_FRAME) {
      this.machine.status = 'failed'
      this.machine.error = { error: error.error, cause: error.cause }
      endFrames(this.machine)
      this.emit('ExecutionFailed', undefined, toErrorDetail(error))
      return
    }
    const parent = this.machine.frames[frame.parent!]
    delete this.machine.frames[frame.id]
    if (parent?.phase.kind !== 'children') return
    const state = this.stateOf(parent)
    if (state.Type === 'Map') this.emit('MapIterationFailed', parent, { index: frame.index, ...toErrorDetail(error) })
    this.emit(planOf(state).failed, parent, toErrorDetail(error))
    this.handleError(parent, error, true)
  }

  /** Retry, else Catch, else the frame fails (Step Functions: a retrier whose attempts are used up falls to Catch). */
  private handleError(frame: Frame, error: StatesError, fromBranch = false): void {
    const state = this.stateOf(frame)
    if (frame.phase.kind === 'children') this.dropChildren(frame)
    // ctflow: a branch's own error name is matched first; `States.BranchFailed` also matches any failed branch/iteration.
    const names = fromBranch ? [error.error, StatesErrorNames.BranchFailed] : [error.error]
    for (const name of names) {
      const found = findRetrier(state.Retry, name)
      if (!found) continue
      const retries = frame.retries ?? []
      const used = retries[found.index] ?? 0
      const delay = retryDelayMs(found.retrier, used, this.options.random)
      if (delay === undefined) break
      retries[found.index] = used + 1
      frame.retries = retries
      frame.attempt += 1
      // biome-ignore lint/suspicious/noThenProperty: a sleeping phase's `then` names what follows it; never awaited
      frame.phase = { kind: 'sleeping', until: this.now + delay, then: 'retry' }
      this.emit(planOf(state).retryScheduled, frame, {
        ...toErrorDetail(error),
        attempt: frame.attempt,
        delayMs: delay,
      })
      return
    }
    for (const name of names) {
      const catcher = findCatcher(state.Catch, name)
      if (!catcher) continue
      try {
        const output = applyResultPath(frame.input, toErrorOutput(error), catcher.ResultPath, {
          state: frame.state,
          field: 'Catch.ResultPath',
        })
        this.emit('CatchTaken', frame, { ...toErrorDetail(error), next: catcher.Next })
        this.moveTo(frame, state, catcher.Next, output)
      } catch (thrown) {
        this.failFrame(frame, toStatesError(thrown))
      }
      return
    }
    this.failFrame(frame, error)
  }

  /** Runs a piece of state logic; a StatesError it throws goes through the state's Retry/Catch. */
  private guard(frame: Frame, body: () => void): void {
    try {
      body()
    } catch (thrown) {
      this.recover(frame, thrown)
    }
  }

  private recover(frame: Frame, thrown: unknown): void {
    if (!(thrown instanceof StatesError) && !(thrown instanceof Error)) throw thrown
    this.handleError(frame, toStatesError(thrown))
  }

  // ——— helpers ———

  private statesFor(frame: Frame): StatesMap | undefined {
    try {
      return statesOf(this.definition, frame.scope)
    } catch (thrown) {
      this.failFrame(frame, toStatesError(thrown))
      return undefined
    }
  }

  private stateOf(frame: Frame): StateDefinition {
    return statesOf(this.definition, frame.scope)[frame.state]
  }

  private context(frame: Frame, mapItem?: { index: number; value: unknown }): ContextObject {
    const execution = this.options.execution
    return createContextObject({
      executionId: execution.runId,
      input: execution.input,
      startTime: execution.startTime,
      stateMachineName: execution.workflowName,
      stateName: frame.state,
      enteredTime: frame.enteredAt === this.now ? this.at : new Date(frame.enteredAt).toISOString(),
      retryCount: frame.attempt,
      mapItem,
    })
  }

  /** `detail` is always a fresh object literal (or undefined): a child frame's id is added to it in place. */
  private emit(type: string, frame: Frame | undefined, detail: object | undefined): void {
    const event: NewHistoryEvent = { at: this.at, type }
    if (frame) {
      event.state = frame.state
      if (frame.id !== ROOT_FRAME) {
        if (detail === undefined) detail = { frame: frame.id }
        else (detail as { frame?: string }).frame = frame.id
      }
    }
    if (detail !== undefined) event.detail = detail
    this.events.push(event)
  }
}

// Consecutive steps mostly fall in the same millisecond: format each instant once.
let lastInstant = Number.NaN
let lastIso = ''
function isoAt(now: number): string {
  if (now !== lastInstant) {
    lastInstant = now
    lastIso = new Date(now).toISOString()
  }
  return lastIso
}

// Every frame that enters a state is ready in the same way: one shared phase (phases are replaced, never changed in
// place, and this one is frozen), not a new object per transition.
const READY: ReadyPhase = Object.freeze({ kind: 'ready' })

// A plain function, not a closure over result()'s locals: a closure is allocated on every step (and named on every
// step where the build keeps function names, as tsx does), which measured ~20% of a Pass chain's time.
function earliest(wakeAt: number | undefined, at: number | undefined): number | undefined {
  return at !== undefined && (wakeAt === undefined || at < wakeAt) ? at : wakeAt
}

function deadlineOf(
  timeoutAt: number | undefined,
  heartbeatMs: number | undefined,
  now: number,
): { deadline?: number; deadlineError?: string } {
  // ctflow's actions send no heartbeats, so each call (a plain call, a .sync start, one probe) must finish within
  // HeartbeatSeconds; the whole task within TimeoutSeconds.
  const heartbeatAt = heartbeatMs !== undefined ? now + heartbeatMs : undefined
  if (heartbeatAt !== undefined && (timeoutAt === undefined || heartbeatAt < timeoutAt))
    return { deadline: heartbeatAt, deadlineError: StatesErrorNames.HeartbeatTimeout }
  if (timeoutAt !== undefined) return { deadline: timeoutAt, deadlineError: StatesErrorNames.Timeout }
  return {}
}

/** Task TimeoutSeconds/HeartbeatSeconds: at most AWS's documented maximum (99,999,999 s, a little over 3 years). */
const MAX_TIMEOUT_SECONDS = 99_999_999
/** Built when a Wait is refused, not at module load: toLocaleString costs tens of ms the first time (ICU). */
function waitSecondsRange(): string {
  return `a whole number of seconds from 0 to ${MAX_WAIT_SECONDS.toLocaleString('en-US')} (a year)`
}

function isWaitSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_WAIT_SECONDS
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  return `${typeof value === 'object' ? 'an object' : `the ${typeof value} ${String(value)}`}`
}
