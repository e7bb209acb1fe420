/**
 * What the `.sync` probes of the CTyun actions return: when to poll next (lib/ctyun/poll-schedule.ts), and failures
 * as errors whose names say what failed.
 */
import { CtyunResourceFailedError, elapsedPollDelay, type ElapsedSchedule, type ProbeResult } from '../ctyun'
import type { ProbeOutcome } from '../engine'

/**
 * The first probe comes right after the create returned: nothing can have finished yet, so it asks for a poll after
 * the schedule's shortest delay without calling CTyun. The handle counts the time waited from here on.
 */
export function firstWait<H extends object>(handle: H, schedule: ElapsedSchedule): ProbeOutcome {
  const delay = elapsedPollDelay(0, schedule)
  return { state: 'pending', status: 'started', handle: { ...handle, waitedMs: delay }, pollAfterMs: delay }
}

/**
 * Still pending: the next poll after a fraction of the time waited so far (lib/ctyun/poll-schedule.ts). The time
 * waited is the sum of the delays asked for, not the clock's: the clock would count time the engine spent elsewhere
 * (another wait's call, a suspension) as this wait's, and back off on it.
 */
export function waitMore<H extends { waitedMs?: number }>(
  outcome: ProbeOutcome,
  handle: H,
  schedule: ElapsedSchedule,
): ProbeOutcome {
  const waited = handle.waitedMs ?? 0
  return nextPoll(outcome, handle, elapsedPollDelay(waited, schedule))
}

/** Still pending, polled again after `delayMs`. */
export function nextPoll<H extends { waitedMs?: number }>(
  outcome: ProbeOutcome,
  handle: H,
  delayMs: number,
): ProbeOutcome {
  return { ...outcome, handle: { ...handle, waitedMs: (handle.waitedMs ?? 0) + delayMs }, pollAfterMs: delayMs }
}

export function failed(resource: string, result: ProbeResult<unknown>): CtyunResourceFailedError {
  return new CtyunResourceFailedError({
    resource,
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
  })
}

/** A failed probe throws, so the error name says what failed (Ctyun.OrderFailed vs Ctyun.ResourceFailed). */
export function orFail<T>(result: ProbeResult<T>, resource: string): ProbeOutcome {
  if (result.state === 'failed') throw failed(resource, result)
  return result.state === 'done'
    ? { state: 'done', status: result.status, value: result.value ?? null }
    : { state: 'pending', status: result.status }
}
