/**
 * The cloud's request limit, as the simulator plays it (`ctflow sim --rate-limit R`): a token bucket per access key
 * per service, refilled at R tokens a second up to a burst of R. A request that finds the bucket empty is throttled.
 * Time is the simulator's lifecycle clock, so a test or bench that advances the clock refills the buckets with it.
 * The real limits are not documented (shared/ctyun-api.md §8.3): this is the shape every cloud we know of uses.
 */
export type ThrottleAnswer = 'http429' | 'errorCode'

export interface RateLimitConfig {
  /** Requests per second per access key per service (> 0). */
  rps: number
  /** Bucket size (default `rps`): how many requests may arrive at once after a quiet spell. */
  burst?: number
  /** How a throttled request is answered (default `http429`). */
  answer?: ThrottleAnswer
}

export interface RateLimiter {
  readonly config: Required<RateLimitConfig>
  /** Takes a token for `key` at `now` (epoch ms); `false` means throttled. */
  take(key: string, now: number): boolean
  /** Seconds until `key` has a token again (for Retry-After). */
  retryAfterSeconds(key: string, now: number): number
  clear(): void
}

export class SimRateLimitError extends Error {
  override name = 'SimRateLimitError'
}

/** Checks a rate limit config, naming the bad field. */
export function validateRateLimit(config: RateLimitConfig): Required<RateLimitConfig> {
  const { rps, burst = rps, answer = 'http429' } = config
  if (typeof rps !== 'number' || !Number.isFinite(rps) || rps <= 0)
    throw new SimRateLimitError(`rateLimit.rps must be a number > 0, got ${String(rps)}`)
  if (typeof burst !== 'number' || !Number.isFinite(burst) || burst < 1)
    throw new SimRateLimitError(`rateLimit.burst must be a number ≥ 1, got ${String(burst)}`)
  if (answer !== 'http429' && answer !== 'errorCode')
    throw new SimRateLimitError(`rateLimit.answer must be http429 or errorCode, got ${String(answer)}`)
  return { rps, burst, answer }
}

/** @example const limiter = createRateLimiter({ rps: 20 }); limiter.take(`${ak}/ebs`, clock.now()) */
export function createRateLimiter(config: RateLimitConfig): RateLimiter {
  const resolved = validateRateLimit(config)
  const buckets = new Map<string, { tokens: number; at: number }>()
  const refill = (key: string, now: number) => {
    const bucket = buckets.get(key) ?? { tokens: resolved.burst, at: now }
    bucket.tokens = Math.min(resolved.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * resolved.rps)
    bucket.at = Math.max(bucket.at, now)
    buckets.set(key, bucket)
    return bucket
  }
  return {
    config: resolved,
    take(key, now) {
      const bucket = refill(key, now)
      if (bucket.tokens < 1) return false
      bucket.tokens -= 1
      return true
    },
    retryAfterSeconds(key, now) {
      const bucket = refill(key, now)
      return Math.max(1, Math.ceil((1 - bucket.tokens) / resolved.rps))
    },
    clear: () => buckets.clear(),
  }
}
