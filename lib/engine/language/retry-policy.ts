import { MAX_WAIT_SECONDS } from '../limits'
import { errorMatches } from './states-error'

/** A `Retry` entry with the ASL defaults (IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0, JitterStrategy NONE). */
export interface Retrier {
  ErrorEquals: string[]
  IntervalSeconds?: number
  MaxAttempts?: number
  BackoffRate?: number
  MaxDelaySeconds?: number
  JitterStrategy?: 'FULL' | 'NONE'
  Comment?: string
}

/** A `Catch` entry: where to go and where to put the `{ Error, Cause }` output. */
export interface Catcher {
  ErrorEquals: string[]
  Next: string
  ResultPath?: string | null
  Comment?: string
}

export const retryDefaults = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 } as const

/**
 * The first retrier whose `ErrorEquals` matches (AWS evaluates retriers in order). The index lets the runner keep a
 * separate attempt count per retrier, as Step Functions does.
 *
 * @example
 * findRetrier([{ ErrorEquals: ['Ctyun.Throttled'] }, { ErrorEquals: ['States.ALL'] }], 'Ctyun.NotFound')?.index // 1
 */
export function findRetrier(
  retry: unknown[] | undefined,
  error: string,
): { index: number; retrier: Retrier } | undefined {
  if (!retry) return undefined
  for (const [index, entry] of retry.entries()) {
    const retrier = entry as Retrier
    if (Array.isArray(retrier?.ErrorEquals) && errorMatches(retrier.ErrorEquals, error)) return { index, retrier }
  }
  return undefined
}

/**
 * Milliseconds to wait before the next attempt, or undefined when the retrier's attempts are used up.
 * Delay = IntervalSeconds × BackoffRate^retriesSoFar, capped by MaxDelaySeconds; with `JitterStrategy: FULL`
 * a uniformly random delay between 0 and that value ("full jitter", AWS "Handling errors in Step Functions").
 *
 * @example
 * retryDelayMs({ ErrorEquals: ['States.ALL'] }, 0, Math.random) // 1000
 * retryDelayMs({ ErrorEquals: ['States.ALL'] }, 2, Math.random) // 4000
 * retryDelayMs({ ErrorEquals: ['States.ALL'] }, 3, Math.random) // undefined
 */
export function retryDelayMs(retrier: Retrier, retriesSoFar: number, random: () => number): number | undefined {
  const maxAttempts = retrier.MaxAttempts ?? retryDefaults.MaxAttempts
  if (retriesSoFar >= maxAttempts) return undefined
  const interval = retrier.IntervalSeconds ?? retryDefaults.IntervalSeconds
  const backoff = retrier.BackoffRate ?? retryDefaults.BackoffRate
  let seconds = interval * backoff ** retriesSoFar
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds)
  // BackoffRate^n overflows to Infinity after enough attempts (2^1024): no interval is longer than a year, the longest a
  // Step Functions run lasts, so that the next attempt is always a real instant.
  seconds = Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), MAX_WAIT_SECONDS) : MAX_WAIT_SECONDS
  if (retrier.JitterStrategy === 'FULL') seconds *= random()
  return Math.round(seconds * 1000)
}

/** The first catcher whose `ErrorEquals` matches, or undefined. */
export function findCatcher(catchers: unknown[] | undefined, error: string): Catcher | undefined {
  if (!catchers) return undefined
  for (const entry of catchers) {
    const catcher = entry as Catcher
    if (Array.isArray(catcher?.ErrorEquals) && errorMatches(catcher.ErrorEquals, error)) return catcher
  }
  return undefined
}
