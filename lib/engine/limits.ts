/**
 * What one run may use, as Step Functions bounds a Standard execution (AWS "Step Functions service quotas"): a run
 * that would pass a limit fails with an error naming it, so that no workflow, input or loop can fill a disk, exhaust a
 * worker's memory or keep a worker busy forever. Each is configurable per engine (`createEngine({ limits })`).
 */
export interface EngineLimits {
  /**
   * History events per run (AWS: 25,000). The event that would pass it fails the run with States.Runtime instead:
   * the store holds at most this many events plus the failure's own.
   */
  maxHistoryEvents: number
  /**
   * UTF-8 bytes of JSON in a run's input or output, a state's input (after Parameters) or output, a Task's result, a
   * Map's collected results (AWS: 256 KiB). Larger is States.DataLimitExceeded, caught only by a Catch or Retry that
   * names it (not by States.ALL); a run input that large is refused at start.
   */
  maxPayloadBytes: number
  /**
   * Worker attempts at one run that ended without the lease being given back — the process died (out of memory,
   * killed) or stalled past its lease. The next worker to take the run after this many fails it with States.Runtime
   * instead of trying again, so that a run that kills its worker cannot do it forever. Reset whenever an advance ends
   * normally (ctflow's own limit; Step Functions runs the executions itself).
   */
  maxWorkerAttempts: number
}

/** Step Functions' quotas, and 5 worker attempts. */
export const DEFAULT_LIMITS: Readonly<EngineLimits> = Object.freeze({
  maxHistoryEvents: 25_000,
  maxPayloadBytes: 256 * 1024,
  maxWorkerAttempts: 5,
})

/**
 * The longest wait, timeout or retry interval, in seconds: a year, as Step Functions ends a Standard execution after
 * one year. A Wait state's Seconds/SecondsPath/Timestamp/TimestampPath may not reach past it (nor be negative or
 * not a number); a later instant could never come, and an astronomical one is not even a date.
 */
export const MAX_WAIT_SECONDS = 365 * 24 * 60 * 60

/** The defaults with the given ones over them; a value that is not a positive integer throws, naming the option. */
export function resolveLimits(given: Partial<EngineLimits> = {}): EngineLimits {
  const limits = { ...DEFAULT_LIMITS }
  for (const [name, value] of Object.entries(given) as Array<[keyof EngineLimits, unknown]>) {
    if (!(name in DEFAULT_LIMITS))
      throw new RangeError(`limits.${name} is not a limit (known: ${Object.keys(DEFAULT_LIMITS).join(', ')})`)
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`limits.${name} must be a positive integer, got ${JSON.stringify(value) ?? String(value)}`)
    }
    limits[name] = value
  }
  return limits
}
