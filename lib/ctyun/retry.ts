/**
 * The retry policy, as data, and the loop that applies it (p-retry drives the attempts; the delay is ours so that
 * `Retry-After` is honoured and tests capture delays instead of sleeping).
 *
 * Retried: network errors, timeouts, HTTP 429 and 5xx, and the throttling/busy error codes listed below.
 * Never retried: validation errors, auth failures, business failures (statusCode 900 with any other code).
 * Writes are retried only when idempotent (they carry a clientToken, which is the same on every attempt), or when
 * they look first: a write CTyun does not make idempotent (§8.2: the clientToken holds on the order flow only) passes
 * `lookBeforeRetry`, which reads the resource after an attempt whose outcome is unknown and says whether to send again.
 * Official clients do not retry at all (shared/ctyun-api.md §2.4); this is our addition, sized for FaaS.
 */
import pRetry from 'p-retry'
import { isOutcomeUnknown } from './call-outcome'
import { CtyunApiError, CtyunHttpError, CtyunNetworkError, CtyunTimeoutError } from './errors'

/**
 * Error codes treated as "throttled / busy, try again". No CTyun source names a throttling code (§2.3, §7);
 * `Openapi.RequestLimitExceeded` is the project's shared assumption (the simulator sends it). Configurable.
 */
export const DEFAULT_RETRYABLE_ERROR_CODES: readonly string[] = ['Openapi.RequestLimitExceeded']

export interface CtyunRetryPolicy {
  /** Retries after the first attempt. */
  retries: number
  /** First backoff delay. */
  minDelayMs: number
  factor: number
  /** Cap on one backoff delay (a longer Retry-After is still honoured if it fits in the budget). */
  maxDelayMs: number
  /** Total time for one operation, attempts and delays included; nothing starts that would end past it. */
  budgetMs: number
  /** Extra error codes (business statusCode 900 or non-2xx envelopes) that mean "busy, retry". */
  retryableErrorCodes: readonly string[]
}

export const defaultRetryPolicy: CtyunRetryPolicy = {
  retries: 3,
  minDelayMs: 200,
  factor: 2,
  maxDelayMs: 5_000,
  budgetMs: 60_000,
  retryableErrorCodes: DEFAULT_RETRYABLE_ERROR_CODES,
}

/** Whether an error is transient under the policy (ignores idempotency; see `withRetry`). */
export function isRetryable(error: unknown, policy: Pick<CtyunRetryPolicy, 'retryableErrorCodes'> = defaultRetryPolicy): boolean {
  if (error instanceof CtyunNetworkError || error instanceof CtyunTimeoutError) return true
  if (error instanceof CtyunHttpError) {
    if (error.status === 429 || error.status >= 500) return true
    return !!error.errorCode && policy.retryableErrorCodes.includes(error.errorCode)
  }
  if (error instanceof CtyunApiError) return policy.retryableErrorCodes.includes(error.errorCode)
  return false
}

/**
 * Exponential backoff with "equal jitter": half the step fixed, half random, so retries spread out but never collapse
 * to zero. `retryNumber` starts at 1.
 * @example backoffDelay(2, defaultRetryPolicy, () => 0.5) // 300  (step 400: 200 + 0.5·200)
 */
export function backoffDelay(retryNumber: number, policy: Pick<CtyunRetryPolicy, 'minDelayMs' | 'factor' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** (retryNumber - 1))
  return Math.round(step / 2 + random() * (step / 2))
}

export interface RetryHooks {
  /** Sleeps between attempts; tests inject one that records the delay and returns at once. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  random?: () => number
  /** Monotonic milliseconds; tests advance it from their fake sleep. */
  now?: () => number
  onRetry?: (info: { error: unknown; attempt: number; delayMs: number }) => void
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs `attempt` until it succeeds, fails for good, runs out of retries, or would overrun the budget.
 * `attempt` receives its number (1-based) and the milliseconds left in the budget (use it to cap its timeout).
 * @example await withRetry((n, remainingMs) => send(min(timeout, remainingMs)), { policy, idempotent: true })
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number, remainingMs: number) => Promise<T>,
  {
    policy = defaultRetryPolicy,
    idempotent,
    lookBeforeRetry,
    signal,
    hooks = {},
  }: {
    policy?: CtyunRetryPolicy
    idempotent: boolean
    /**
     * Called after the backoff, right before a retry that follows an attempt whose outcome is unknown
     * (`isOutcomeUnknown`): `true` sends again, `false` stops with that attempt's error (the caller found what it
     * made). Refusals (429, throttle codes) are retried without looking. Its own failure ends the retries with it.
     */
    lookBeforeRetry?: (error: unknown) => Promise<boolean>
    signal?: AbortSignal
    hooks?: RetryHooks
  },
): Promise<T> {
  const { sleep = abortableSleep, random = Math.random, now = () => performance.now(), onRetry } = hooks
  const started = now()
  const remaining = () => policy.budgetMs - (now() - started)
  return pRetry((attemptNumber) => attempt(attemptNumber, Math.max(1, remaining())), {
    retries: idempotent ? policy.retries : 0,
    // Delays are applied in shouldRetry below (Retry-After, injectable sleep), so p-retry's own timer stays at 0.
    minTimeout: 0,
    maxTimeout: 0,
    randomize: false,
    signal,
    shouldRetry: async ({ error, retriesConsumed }) => {
      if (!isRetryable(error, policy)) return false
      const retryAfter = error instanceof CtyunHttpError ? error.retryAfterMs : undefined
      const delay = Math.max(backoffDelay(retriesConsumed + 1, policy, random), retryAfter ?? 0)
      // Leave room for at least a short attempt after the delay; otherwise stop now with the real error.
      if (delay >= remaining() - 1) return false
      onRetry?.({ error, attempt: retriesConsumed + 2, delayMs: delay })
      await sleep(delay, signal)
      // Looked at last, after the delay: a write the server is still carrying out has had the most time to show.
      if (lookBeforeRetry && isOutcomeUnknown(error)) return lookBeforeRetry(error)
      return true
    },
  })
}
