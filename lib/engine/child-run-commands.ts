import { callHook } from './engine-hooks'
import { CHILD_RUN_ABORTED, childRunId, type ChildRunRequest } from './interpreter/child-runs'
import type { InvokeCommand, Outcome, ProbeCommand } from './interpreter/commands'
import { createMachine, isPlanMachine } from './interpreter/machine'
import { StatesErrorNames } from './language/states-error'
import type { RunRecord } from './run'
import type { RunBudget, RunnerDeps } from './runner'
import { RunExistsError } from './stores/store-errors'

/** Advances one run in this process if nobody else holds it (runner.ts advanceRun, passed in to keep imports one-way). */
export type AdvanceRun = (deps: RunnerDeps, runId: string, budget: RunBudget) => Promise<RunRecord | undefined>

// Defined with the child runs' names (interpreter/child-runs.ts), which the engine's start path loads without this file.
export { CHILD_RUN_ABORTED } from './interpreter/child-runs'

// While another worker holds a child, the parent looks again after 0.5, 1, 2, 4, then every 5 s. A child that finishes
// also makes its parent due at once (RunStore.save), so these polls only matter to a parent held in-process.
const CHILD_POLL_BASE_MS = 500
const CHILD_POLL_MAX_MS = 5_000

/**
 * The runner's side of a distributed-Map item (interpreter/child-runs.ts): `invoke` creates the child run — under an
 * id derived from the clientToken, so a re-issued create after a crash finds it instead of starting another — and
 * `probe` reports how it ended, advancing it right here first when it is due and no other worker holds it (so a
 * single process runs a distributed Map just like an inline one, and several workers share its items).
 */
export async function executeChildRunCommand(
  command: InvokeCommand | ProbeCommand,
  parent: RunRecord,
  deps: RunnerDeps,
  budget: RunBudget,
  advance: AdvanceRun,
): Promise<Outcome> {
  const base = { frameId: command.frameId, clientToken: command.clientToken }
  if (command.type === 'invoke') {
    const runId = await createChildRun(command, parent, deps)
    return runId === undefined
      ? {
          ...base,
          type: 'failed',
          error: StatesErrorNames.Runtime,
          cause: `The item processor "${(command.input as ChildRunRequest).workflow}" is not loaded in this engine (state "${command.state}")`,
        }
      : { ...base, type: 'started', handle: { runId }, pollAt: deps.clock.now() + (deps.childRunGraceMs ?? 0) }
  }
  const { runId } = command.handle as { runId: string }
  let child = await deps.store.get(runId)
  if (!child)
    return {
      ...base,
      type: 'failed',
      error: StatesErrorNames.Runtime,
      cause: `The child run ${runId} is missing from the store (state "${command.state}")`,
    }
  const now = deps.clock.now()
  if (
    child.status === 'RUNNING' &&
    (child.resumeAt === null || child.resumeAt.getTime() <= now || child.cancelRequested)
  ) {
    child = (await advance(deps, runId, budget)) ?? child
  }
  switch (child.status) {
    case 'SUCCEEDED':
      return { ...base, type: 'succeeded', output: child.output ?? null }
    case 'FAILED':
    case 'TIMED_OUT':
      return {
        ...base,
        type: 'failed',
        error: child.error?.error ?? StatesErrorNames.Runtime,
        cause: child.error?.cause ?? `child run ${runId} ended ${child.status}`,
      }
    case 'ABORTED':
      return {
        ...base,
        type: 'failed',
        error: CHILD_RUN_ABORTED,
        cause: `The child run ${runId} was cancelled (state "${command.state}")`,
      }
    case 'RUNNING': {
      const later = deps.clock.now()
      const backoff = Math.min(CHILD_POLL_BASE_MS * 2 ** Math.min(command.polls, 8), CHILD_POLL_MAX_MS)
      // Suspended until a known instant: nothing can change before it (a cancel or a finish wakes the parent anyway).
      const pollAt =
        child.resumeAt !== null && child.resumeAt.getTime() > later && !child.cancelRequested
          ? child.resumeAt.getTime()
          : later + backoff
      return { ...base, type: 'pending', status: child.status, pollAt }
    }
  }
}

/** Creates the child run (or finds the one an earlier attempt of this same call created); undefined: no definition. */
async function createChildRun(
  command: InvokeCommand,
  parent: RunRecord,
  deps: RunnerDeps,
): Promise<string | undefined> {
  const request = command.input as ChildRunRequest
  // The child follows its parent's workflow version: the item processor the parent was started with.
  const definition = await deps.definitionFor({ workflow: request.workflow, workflowVersion: parent.workflowVersion })
  if (!definition) return undefined
  const id = childRunId(command.clientToken)
  const now = deps.clock.now()
  const at = new Date(now)
  const events = [
    {
      at: at.toISOString(),
      type: 'ExecutionStarted',
      detail: {
        input: request.input,
        workflow: request.workflow,
        parent: parent.id,
        index: request.index,
        ...(isPlanMachine(parent.machine) ? { plan: true } : {}),
      },
    },
  ]
  try {
    const { run, created } = await deps.store.create({
      id,
      workflow: request.workflow,
      input: request.input,
      // A plan's child runs are plans too.
      machine: createMachine(definition.StartAt, request.input, now, undefined, {
        plan: isPlanMachine(parent.machine),
      }),
      resumeAt: at,
      parentId: parent.id,
      ...(parent.workflowVersion !== undefined ? { workflowVersion: parent.workflowVersion } : {}),
      now: at,
      events,
    })
    if (created) {
      deps.onEvents?.(run, events)
      const runStarted = deps.hooks?.runStarted
      if (runStarted)
        callHook(() => runStarted({ runId: run.id, workflow: run.workflow, parentId: parent.id, input: request.input }))
    }
  } catch (error) {
    if (!(error instanceof RunExistsError)) throw error
  }
  return id
}

/**
 * Cancels a run and, when nobody is advancing it, ends it now instead of at its next wake-up (engine.cancel and the
 * child runs of dropped distributed-Map items). A worker that holds it stops at its next save.
 */
export async function cancelRun(deps: RunnerDeps, id: string, advance: AdvanceRun): Promise<RunRecord | undefined> {
  const marked = await deps.store.requestCancel(id, new Date(deps.clock.now()))
  if (marked?.status !== 'RUNNING') return marked
  return (await advance(deps, id, { deadline: deps.clock.now() })) ?? marked
}
