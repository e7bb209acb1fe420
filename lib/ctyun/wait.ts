/**
 * Probes and waiters. A probe is one poll, no sleeping: `{ state, status, value? }`. The engine calls probes itself so
 * a long wait can suspend a run; `waitFor` is for callers that hold a process (CLI, tests, short functions): it polls
 * fast first, then backs off to a cap, gives up at a deadline, and fails at once on a terminal failure status.
 */
import { CtyunResourceFailedError, CtyunWaitTimeoutError } from './errors'
import { abortableSleep } from './retry'

export type ProbeState = 'pending' | 'done' | 'failed'

export interface ProbeResult<T> {
  state: ProbeState
  /** The status CTyun reported, as text (e.g. `creating`, `14`, `executing`, `not-found`). */
  status: string
  /** Set when done (the resource, or its ids); may be set while pending (the latest view). */
  value?: T
  /** Why it failed, when CTyun said (e.g. a CBR task's error message). */
  reason?: string
}

export type Probe<T> = () => Promise<ProbeResult<T>>

export interface WaitOptions {
  /** Give up after this long (default 10 minutes; the waiters of lib/ctyun never default below TF's, poll-schedule.ts TF_WAITS). */
  timeoutMs?: number
  /** Delay before the second poll (the first is immediate). Default 1 s. */
  initialDelayMs?: number
  /** Polls at the initial delay before backing off. Default 3. */
  fastPolls?: number
  /** Backoff factor after the fast polls. Default 1.5. */
  factor?: number
  /** Cap on one delay. Default 30 s (TF polls snapshots every 30 s, orders and jobs every 5 s; §5). */
  maxDelayMs?: number
  signal?: AbortSignal
  /** Injected in tests: records delays instead of sleeping. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  now?: () => number
  onPoll?: (result: ProbeResult<unknown>, poll: number) => void
}

/** The default deadline of `waitFor`: 10 minutes, longer than TF's order, job and image waits (TF_WAITS). */
export const DEFAULT_WAIT_MS = 600_000

/** The delay before poll number `poll + 1` (poll counts from 1). */
export function pollDelay(
  poll: number,
  { initialDelayMs = 1_000, fastPolls = 3, factor = 1.5, maxDelayMs = 30_000 }: WaitOptions = {},
): number {
  const slowSteps = Math.max(0, poll - fastPolls)
  return Math.min(maxDelayMs, Math.round(initialDelayMs * factor ** slowSteps))
}

/**
 * Polls `probe` until done (resolves to its value), failed (throws CtyunResourceFailedError at once) or the deadline
 * (throws CtyunWaitTimeoutError naming the resource and the last status).
 * @example const snapshot = await waitFor(() => ebs.probeSnapshot({ regionID, snapshotID }), 'snapshot s-1 → available')
 */
export async function waitFor<T>(probe: Probe<T>, resource: string, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = DEFAULT_WAIT_MS, signal, sleep = abortableSleep, now = () => Date.now(), onPoll } = options
  const started = now()
  let last: ProbeResult<T> | undefined
  for (let poll = 1; ; poll++) {
    signal?.throwIfAborted()
    last = await probe()
    onPoll?.(last, poll)
    if (last.state === 'done') return last.value as T
    if (last.state === 'failed')
      throw new CtyunResourceFailedError({ resource, status: last.status, reason: last.reason })
    const elapsed = now() - started
    const remaining = timeoutMs - elapsed
    if (remaining <= 0)
      throw new CtyunWaitTimeoutError({ resource, lastStatus: last.status, waitedMs: elapsed, polls: poll })
    // The last sleep is shortened so the final poll lands on the deadline, not after it.
    await sleep(Math.min(pollDelay(poll, options), remaining), signal)
  }
}
