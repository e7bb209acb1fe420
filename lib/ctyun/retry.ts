/**
 * The retry policy, as data, and the loop that applies it (p-retry drives the attempts; the delay is ours so that
 * `Retry-After` is honoured and tests capture delays instead of sleeping).
 *
 * Retried: network errors, timeouts, HTTP 429 and 5xx, and throttling (see `isThrottled`).
 * Never retried: validation errors, auth failures, business failures (statusCode 900 with any other code).
 * Writes are retried only when idempotent (they carry a clientToken, which is the same on every attempt), or when
 * they look first: a write CTyun does not make idempotent (§8.2: the clientToken holds on the order flow only) passes
 * `lookBeforeRetry`, which reads the resource after an attempt whose outcome is unknown and says whether to send again.
 * Official clients do not retry at all (shared/ctyun-api.md §2.4); this is our addition, sized for FaaS.
 */
import pRetry from 'p-retry'
import { isOutcomeUnknown } from './call-outcome'
import { CtyunApiError, CtyunHttpError, CtyunNetworkError, CtyunTimeoutError } from './errors'
import { DEFAULT_THROTTLE_CODES } from './throttle-defaults'

// In throttle-defaults.ts (settings read them without loading p-retry); exported here too for this file's importers.
export { DEFAULT_THROTTLE_CODES, DEFAULT_THROTTLE_RETRIES } from './throttle-defaults'

/**
 * What a throttling reply's message says, whatever its code: English "throttled"/"throttling", "rate limit",
 * "too many requests", "request(s) limit exceeded"; Chinese 请求过于频繁 / 请求太频繁 (requests too frequent), 限流 and
 * 流控 (flow control). Matched against CTyun's `message` and `description` (and a non-envelope body's text). A quota
 * ("quota exceeded") is not throttling: waiting does not lift it.
 */
export const THROTTLE_MESSAGE =
  /throttl|rate[\s_-]?limit|too many requests|requests? limit exceeded|请求过于频繁|请求太频繁|限流|流控/i

/**
 * Whether a reply says "slow down": HTTP 429, an errorCode in `throttleCodes`, or a message that says so
 * (THROTTLE_MESSAGE). Decides retries (`isRetryable`) and the ASL name `Ctyun.Throttled` (the client marks its errors
 * with `throttled`, so the configured codes need not travel further).
 * @example isThrottled({ errorCode: 'X.Y.Z', text: '请求过于频繁' }) // true
 */
export function isThrottled(
  reply: { status?: number; errorCode?: string; text?: string },
  throttleCodes: readonly string[] = DEFAULT_THROTTLE_CODES,
): boolean {
  if (reply.status === 429) return true
  if (reply.errorCode && throttleCodes.includes(reply.errorCode)) return true
  return !!reply.text && THROTTLE_MESSAGE.test(reply.text)
}

/** `isThrottled` for an error the client threw (its `throttled` mark, else its status, code and text). */
export function isThrottledError(error: unknown, throttleCodes: readonly string[] = DEFAULT_THROTTLE_CODES): boolean {
  if (error instanceof CtyunHttpError)
    return (
      error.throttled ||
      isThrottled({ status: error.status, errorCode: error.errorCode, text: error.excerpt }, throttleCodes)
    )
  if (error instanceof CtyunApiError)
    return error.throttled || isThrottled({ errorCode: error.errorCode, text: error.detail }, throttleCodes)
  return false
}

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
  /**
   * Error codes (business statusCode 900 or non-2xx envelopes) that mean "throttled, retry": the throttle codes
   * (default DEFAULT_THROTTLE_CODES, or CTYUN_THROTTLE_CODES). A throttling message is retried whatever its code.
   */
  retryableErrorCodes: readonly string[]
}

export const defaultRetryPolicy: CtyunRetryPolicy = {
  retries: 3,
  minDelayMs: 200,
  factor: 2,
  maxDelayMs: 5_000,
  budgetMs: 60_000,
  retryableErrorCodes: DEFAULT_THROTTLE_CODES,
}

/** Whether an error is transient under the policy (ignores idempotency; see `withRetry`). */
export function isRetryable(
  error: unknown,
  policy: Pick<CtyunRetryPolicy, 'retryableErrorCodes'> = defaultRetryPolicy,
): boolean {
  if (error instanceof CtyunNetworkError || error instanceof CtyunTimeoutError) return true
  if (error instanceof CtyunHttpError && error.status >= 500) return true
  return isThrottledError(error, policy.retryableErrorCodes)
}

/**
 * Exponential backoff with "equal jitter": half the step fixed, half random, so retries spread out but never collapse
 * to zero. `retryNumber` starts at 1.
 * @example backoffDelay(2, defaultRetryPolicy, () => 0.5) // 300  (step 400: 200 + 0.5·200)
 */
export function backoffDelay(
  retryNumber: number,
  policy: Pick<CtyunRetryPolicy, 'minDelayMs' | 'factor' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
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
    stop,
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
    /** Errors not to retry whatever they are (the client's throttle answers once their own retries are spent). */
    stop?: (error: unknown) => boolean
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
      if (stop?.(error) || !isRetryable(error, policy)) return false
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
