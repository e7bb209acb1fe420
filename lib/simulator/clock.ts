/**
 * The simulator's clock for lifecycles. Resource states are computed from timestamps when read (no timers), so a
 * test can jump ahead with `advance(ms)` instead of sleeping. Authentication keeps checking `eop-date` against the
 * wall clock (`wallNow`), so advancing the lifecycle clock by hours does not make every signed request stale.
 */
export interface SimClock {
  /** Lifecycle time, epoch ms: the wall clock plus everything advanced so far. */
  now(): number
  /** The wall clock used for `eop-date` checks, epoch ms. */
  wallNow(): number
  /** Moves lifecycle time forward by `ms` (≥ 0). */
  advance(ms: number): void
  /** Total ms advanced. */
  readonly offset: number
}

/**
 * @example const clock = createSimClock(); clock.advance(60_000) // every lifecycle is one minute further on
 */
export function createSimClock(wallNow: () => number = Date.now): SimClock {
  let offset = 0
  return {
    now: () => wallNow() + offset,
    wallNow,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`clock advance must be a finite number of ms ≥ 0, got ${ms}`)
      offset += ms
    },
    get offset() {
      return offset
    },
  }
}
