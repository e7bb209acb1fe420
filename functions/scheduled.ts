import type { ScheduledEvent } from 'aws-lambda'
import type { Budget, Engine, RunStatus } from '../lib/engine'

/** What a schedule's input names: the workflow to start and its input. */
export interface ScheduledJob {
  workflow: string
  input?: unknown
}

/**
 * Either the constant input a `schedule` event delivers as the whole Lambda event (`{ workflow, input }`), or an
 * EventBridge "Scheduled Event" envelope whose `detail` is that job.
 */
export type ScheduledTrigger = ScheduledJob | ScheduledEvent<ScheduledJob>

export interface ScheduledResult {
  runId: string
  workflow: string
  created: boolean
  status: RunStatus
}

/** The schedule's input is not `{ workflow, input }`: a deployment mistake, reported with the JSON path at fault. */
export class ScheduledEventError extends Error {
  override name = 'ScheduledEventError'
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message)
  }
}

/**
 * Starts the run a schedule names and advances it as far as the budget allows; the worker finishes what is left.
 * Idempotent per firing: the envelope's event id, or else the invocation's request id (which Lambda keeps across its
 * own retries of an asynchronous invocation), keys the run, so a retried invocation resumes the same run.
 * @example await runScheduled({ engine }, { workflow: 'snapshot-then-backup', input: {} }, budget, { invocationId })
 */
export async function runScheduled(
  deps: { engine: Engine },
  event: unknown,
  budget: Budget,
  { invocationId }: { invocationId?: string } = {},
): Promise<ScheduledResult> {
  const { job, firingId } = readTrigger(event)
  const key = firingId ?? invocationId
  const { run, created } = await deps.engine.start({
    workflow: job.workflow,
    input: job.input ?? {},
    ...(key ? { idempotencyKey: `schedule:${job.workflow}:${key}` } : {}),
  })
  const advanced = run.status === 'RUNNING' ? await deps.engine.advance(run.id, budget) : run
  return { runId: run.id, workflow: job.workflow, created, status: advanced.status }
}

function readTrigger(event: unknown): { job: ScheduledJob; firingId?: string } {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new ScheduledEventError(
      'The scheduled event ($) must be an object: set the schedule input to {"workflow", "input"}.',
      '$',
    )
  }
  const record = event as Record<string, unknown>
  if (record['detail-type'] === 'Scheduled Event') {
    const envelope = event as ScheduledEvent<unknown>
    return {
      job: readJob(envelope.detail, '$.detail'),
      firingId: typeof envelope.id === 'string' ? envelope.id : undefined,
    }
  }
  return { job: readJob(event, '$') }
}

function readJob(value: unknown, path: string): ScheduledJob {
  const job = (typeof value === 'object' && value !== null ? value : {}) as { workflow?: unknown; input?: unknown }
  if (typeof job.workflow !== 'string' || job.workflow === '') {
    throw new ScheduledEventError(
      `${path}.workflow must name the workflow to start: set the schedule input to {"workflow": "…", "input": {…}}.`,
      `${path}.workflow`,
    )
  }
  return { workflow: job.workflow, input: job.input }
}
