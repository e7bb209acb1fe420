/**
 * Client-side pacing: one token bucket per service whose rate adapts to throttle answers, the way the AWS SDKs'
 * "adaptive" retry mode does. A throttle answer multiplies the rate by BETA (0.7); successes grow it back along a cubic
 * curve (CUBIC congestion control: fast far below the last rate that was throttled, slow near it, probing above it
 * after a while). A service starts at `initialRps` (slow start: an unknown limit is found from below, so the first
 * burst of a large job is not mostly refused) or at its ceiling (`CTYUN_MAX_RPS`), never goes above the ceiling,
 * and only grows while callers are actually waiting for it (a client that idles does not build a rate it never used).
 *
 * Waiters are served first come, first served by one pump per service, so a rate change applies to everyone still
 * queued. Time and sleep are injected (tests and the virtual-time benches pass their clocks).
 *
 * Written here rather than taken from a library: the rate limiters on npm (bottleneck, p-throttle, limiter) are fixed
 * rate, none adapts to throttling, and the client must stay small for FaaS cold starts.
 */
import { maxRpsFor, type MaxRps } from './max-rps'

/** Rate kept after a throttle answer (AWS adaptive mode and CUBIC use 0.7). */
export const BETA = 0.7
/** CUBIC's scaling constant: how fast the rate grows back (requests/s per s³). */
export const CUBIC_C = 0.4
/** Starting rate of a service without a ceiling: low enough that a burst meets few refusals, found upward from there. */
export const DEFAULT_INITIAL_RPS = 10
/** The rate never drops below this. */
export const MIN_RPS = 0.5

export interface PacerOptions {
  /** Fixed ceilings (CTYUN_MAX_RPS). */
  maxRps?: MaxRps
  /** Starting rate of a service with no ceiling (default DEFAULT_INITIAL_RPS). */
  initialRps?: number
  /** Monotonic ms (default performance.now). */
  now?: () => number
  /** Sleeps (default setTimeout). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

export interface PacerStats {
  /** Current rate, requests/s. */
  rps: number
  /** The rate at the last throttle answer (or the start rate). */
  lastMaxRps: number
  ceiling: number
  throttles: number
  /** Callers waiting now. */
  waiting: number
}

export interface Pacer {
  /** Waits for a turn to send to `service`; resolves with the time of the turn (pass it to `throttled`). */
  acquire(service: string, signal?: AbortSignal): Promise<number>
  /** The cloud throttled a call sent at `sentAt`: slow down (once per round: calls sent before the last slow-down don't count again). */
  throttled(service: string, sentAt: number): void
  /** A call got through: grow the rate back. */
  succeeded(service: string): void
  stats(service: string): PacerStats
}

interface Waiter {
  resolve(at: number): void
  reject(reason: unknown): void
  signal?: AbortSignal
  onAbort?: () => void
}

interface Lane {
  rate: number
  ceiling: number
  tokens: number
  filledAt: number
  /** CUBIC: the rate at the last decrease, the time to climb back to it (s), limited seconds since the decrease. */
  wMax: number
  k: number
  t: number
  updatedAt: number
  lastDecreaseAt: number
  throttles: number
  queue: Waiter[]
  pumping: boolean
}

/**
 * @example
 * const pacer = createPacer({ maxRps: parseMaxRps(process.env.CTYUN_MAX_RPS) })
 * const sentAt = await pacer.acquire('ebs'); // … send; on a throttle answer: pacer.throttled('ebs', sentAt)
 */
export function createPacer(options: PacerOptions = {}): Pacer {
  const now = options.now ?? (() => performance.now())
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const initialRps = options.initialRps ?? DEFAULT_INITIAL_RPS
  if (!(initialRps > 0)) throw new RangeError(`initialRps must be > 0, got ${initialRps}`)
  const lanes = new Map<string, Lane>()

  const lane = (service: string): Lane => {
    let found = lanes.get(service)
    if (!found) {
      const ceiling = maxRpsFor(options.maxRps, service)
      // A ceiling is the operator's word on the limit: start there. Without one, find the limit from below.
      const rate = Number.isFinite(ceiling) ? ceiling : initialRps
      const at = now()
      found = {
        rate,
        ceiling,
        tokens: Math.max(1, rate),
        filledAt: at,
        wMax: rate,
        k: 0,
        t: 0,
        updatedAt: at,
        lastDecreaseAt: Number.NEGATIVE_INFINITY,
        throttles: 0,
        queue: [],
        pumping: false,
      }
      lanes.set(service, found)
    }
    return found
  }

  const refill = (l: Lane, at: number) => {
    // The burst is one second's worth at the current rate.
    l.tokens = Math.min(Math.max(1, l.rate), l.tokens + (Math.max(0, at - l.filledAt) / 1000) * l.rate)
    l.filledAt = at
  }

  /** Moves CUBIC's clock on by the time callers were waiting on this lane (idle time does not grow the rate). */
  const tick = (l: Lane, at: number) => {
    if (l.queue.length > 0) l.t += Math.max(0, at - l.updatedAt) / 1000
    l.updatedAt = at
  }

  const pump = async (l: Lane) => {
    if (l.pumping) return
    l.pumping = true
    try {
      for (;;) {
        const at = now()
        refill(l, at)
        while (l.queue.length > 0 && l.tokens >= 1) {
          l.tokens -= 1
          const waiter = l.queue.shift()!
          if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort)
          waiter.resolve(at)
        }
        if (l.queue.length === 0) return
        await sleep(Math.max(1, ((1 - l.tokens) / l.rate) * 1000))
      }
    } finally {
      l.pumping = false
    }
  }

  return {
    acquire(service, signal) {
      const l = lane(service)
      const at = now()
      tick(l, at)
      refill(l, at)
      if (l.queue.length === 0 && l.tokens >= 1) {
        l.tokens -= 1
        return Promise.resolve(at)
      }
      if (signal?.aborted) return Promise.reject(signal.reason)
      return new Promise<number>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, signal }
        if (signal) {
          waiter.onAbort = () => {
            const i = l.queue.indexOf(waiter)
            if (i >= 0) l.queue.splice(i, 1)
            reject(signal.reason)
          }
          signal.addEventListener('abort', waiter.onAbort, { once: true })
        }
        l.queue.push(waiter)
        void pump(l)
      })
    },
    throttled(service, sentAt) {
      const l = lane(service)
      l.throttles++
      const at = now()
      tick(l, at)
      if (sentAt < l.lastDecreaseAt) return
      refill(l, at)
      l.wMax = l.rate
      l.rate = Math.max(MIN_RPS, l.rate * BETA)
      l.k = Math.cbrt((l.wMax * (1 - BETA)) / CUBIC_C)
      l.t = 0
      l.lastDecreaseAt = at
      // The cloud's bucket is empty: what this one saved up is not there to spend.
      l.tokens = Math.min(l.tokens, 0)
    },
    succeeded(service) {
      const l = lane(service)
      const at = now()
      tick(l, at)
      const cubic = CUBIC_C * (l.t - l.k) ** 3 + l.wMax
      l.rate = Math.max(MIN_RPS, Math.min(l.ceiling, cubic))
    },
    stats(service) {
      const l = lane(service)
      return { rps: l.rate, lastMaxRps: l.wMax, ceiling: l.ceiling, throttles: l.throttles, waiting: l.queue.length }
    },
  }
}
