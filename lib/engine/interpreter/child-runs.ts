import type { StateDefinition, SubWorkflow, WorkflowDefinition } from './definition'
import type { Frame, Machine } from './machine'

/** The error a distributed-Map item fails with when its child run was cancelled (by a user, or with a sibling). */
export const CHILD_RUN_ABORTED = 'Ctflow.ChildRunAborted'

/**
 * A distributed Map (`ItemProcessor.ProcessorConfig.Mode: "DISTRIBUTED"`, as in Step Functions) runs each item as a
 * **child run** of its own instead of a frame inside the parent's machine: any worker can claim and advance it, so
 * the items of one Map spread over many workers. In the parent the item is a frame whose phase is a call
 * of this internal resource: `invoking` creates the child run, `polling` watches it (and, in the runner, advances it
 * in-process when no other worker holds it), and the child's output or error comes back as the call's outcome.
 */
export const CHILD_RUN_RESOURCE = 'ctflow:childRun'

/** What the runner needs to create a child run (the `invoking` phase's input). */
export interface ChildRunRequest {
  /** `<workflow>#<JSON pointer to the ItemProcessor>`, resolved by `childDefinition`. */
  workflow: string
  input: unknown
  /** The item's index in the Map (for the child's history). */
  index: number
}

export function isDistributedMap(state: StateDefinition): boolean {
  const config = (state.ItemProcessor ?? state.Iterator)?.ProcessorConfig as { Mode?: unknown } | undefined
  return config?.Mode === 'DISTRIBUTED'
}

export function isChildRunFrame(frame: Frame): boolean {
  const phase = frame.phase
  return (phase.kind === 'invoking' || phase.kind === 'polling') && phase.resource === CHILD_RUN_RESOURCE
}

/**
 * A child run's id: the item attempt's clientToken (unique per run, Map entry, attempt and item) written as a UUID.
 * Deterministic, so creating it again after a crash finds the run already there instead of starting a second one.
 */
export function childRunId(clientToken: string): string {
  const hex = clientToken.padEnd(32, '0').slice(0, 32)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * The workflow name a child run carries: the parent's workflow (itself possibly a child's `name#pointer`) and the
 * JSON pointer to the Map's ItemProcessor, through the branches and item processors of `scope`.
 * @example childWorkflowName('nightly', ['Fan', '0'], 'Disks') // 'nightly#/States/Fan/Branches/0/States/Disks/ItemProcessor'
 */
export function childWorkflowName(workflowName: string, scope: string[], mapState: string): string {
  let pointer = ''
  for (let i = 0; i < scope.length; i += 2) {
    const selector = scope[i + 1]!
    pointer += `/States/${escapePointerSegment(scope[i]!)}/${selector === 'items' ? 'ItemProcessor' : `Branches/${selector}`}`
  }
  pointer += `/States/${escapePointerSegment(mapState)}/ItemProcessor`
  const hash = workflowName.indexOf('#')
  return hash < 0 ? `${workflowName}#${pointer}` : `${workflowName}${pointer}`
}

/** Splits `name#pointer` (a child run's workflow); a top-level workflow has no pointer. */
export function splitWorkflowName(name: string): { workflow: string; pointer?: string } {
  const hash = name.indexOf('#')
  return hash < 0 ? { workflow: name } : { workflow: name.slice(0, hash), pointer: name.slice(hash + 1) }
}

/**
 * The item processor a child run's pointer names inside its top-level workflow, as a workflow of its own; undefined
 * when the workflow no longer has it. `ItemProcessor` also finds the legacy `Iterator`.
 */
export function childDefinition(root: WorkflowDefinition, pointer: string): WorkflowDefinition | undefined {
  const segments = pointer.split('/').slice(1).map(unescapePointerSegment)
  let node: unknown = root
  for (let i = 0; i < segments.length; i++) {
    if (typeof node !== 'object' || node === null) return undefined
    const segment = segments[i]!
    const record = node as Record<string, unknown>
    node = segment === 'ItemProcessor' && !('ItemProcessor' in record) ? record.Iterator : record[segment]
  }
  const sub = node as SubWorkflow | undefined
  if (!sub || typeof sub !== 'object' || typeof sub.StartAt !== 'string' || typeof sub.States !== 'object')
    return undefined
  return { StartAt: sub.StartAt, States: sub.States }
}

/**
 * Moves the child runs of frames that are being dropped (a sibling failed, the Map is retried or caught, the run
 * ended) into `machine.cancelRuns`, for the runner to cancel before it saves the machine without them.
 */
export function noteDroppedChildRuns(machine: Machine, frames: Iterable<Frame>): void {
  for (const frame of frames) {
    if (!isChildRunFrame(frame)) continue
    const phase = frame.phase as { clientToken: string }
    ;(machine.cancelRuns ??= []).push(childRunId(phase.clientToken))
  }
}

/** Child runs are polled at once when a run is picked up: a finished child made it due, so collect the result now. */
export function pollChildRunsNow(machine: Machine, now: number): void {
  for (const id in machine.frames) {
    const frame = machine.frames[id]!
    if (frame.phase.kind === 'polling' && frame.phase.resource === CHILD_RUN_RESOURCE && frame.phase.pollAt > now)
      frame.phase.pollAt = now
  }
}

function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}

function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~')
}
