/**
 * A discrete-event clock for benches that run the engine against the simulator in virtual time. `sleep(ms)` registers
 * a wake-up; the clock moves to the earliest pending wake-up only once nothing else can make progress: no held work in
 * flight (requests through `fetch`, anything passed to `hold`) and a full event-loop turn (setImmediate, then
 * setTimeout 0) has passed with nothing new happening. So concurrent activities — the child runs of a distributed Map
 * driven in one process — all send their requests at the virtual instant they would in reality, instead of one
 * child's sleep jumping the clock past its siblings' requests.
 *
 * Time itself comes from `time` (the simulator's lifecycle clock: wall clock plus what was advanced), so requests still
 * take their few real ms. A sleeper whose time has come is woken without waiting for idleness (time passes on its
 * own too); due sleepers wake in order of wake-up time, ties in the order they went to sleep.
 *
 * Not seen: work that spans more than one event-loop turn without a held request or a sleep (a chain of timers,
 * fs or thread-pool calls). The engine's own work is promise chains between requests and sleeps.
 */
import type { Clock } from '../runner'

/** What the clock reads and moves: `SimClock` (lib/simulator/clock.ts) fits. */
export interface VirtualTime {
  now(): number
  advance(ms: number): void
}

export interface VirtualClock extends Clock {
  /** Holds the clock until `work` settles, and returns it. */
  hold<T>(work: Promise<T>): Promise<T>
  /** `fetch` whose requests hold the clock from the call until the response body has been read. */
  fetch: typeof globalThis.fetch
  /** Sleepers not woken yet. */
  readonly sleeping: number
}

interface Sleeper {
  wakeAt: number
  wake(): void
}

// Statuses whose Response must have a null body (the Fetch standard).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/**
 * @example
 * const clock = createVirtualClock(sim.simulator.clock)
 * const client = createCtyunClient({ endpoint: sim.url, credentials: sim.credentials, fetch: clock.fetch })
 * const engine = createEngine({ store, actions: createProductActions(client, { now: clock.now }), workflows, clock })
 */
export function createVirtualClock(
  time: VirtualTime,
  { fetch: send = globalThis.fetch }: { fetch?: typeof globalThis.fetch } = {},
): VirtualClock {
  const sleepers: Sleeper[] = [] // by wakeAt, then by arrival
  let held = 0
  let activity = 0 // bumped by anything that shows the process is not idle yet
  let settling = false

  function touch(): void {
    activity++
    if (settling) return
    settling = true
    void settle()
  }

  /** Wakes due sleepers; when nothing is held and a whole turn passed quietly, moves time to the earliest wake-up. */
  async function settle(): Promise<void> {
    // `settling` is cleared in the same synchronous step as the last check, so no touch in between is lost.
    try {
      for (;;) {
        const seen = activity
        await eventLoopTurn()
        if (wakeDue()) continue
        if (held > 0 || sleepers.length === 0) return // the release or the next sleep touches again
        if (activity !== seen) continue
        const next = sleepers[0]!.wakeAt
        if (!Number.isFinite(next)) return // only an abort can end an endless sleep
        time.advance(Math.max(0, next - time.now()))
      }
    } finally {
      settling = false
    }
  }

  function wakeDue(): boolean {
    const now = time.now()
    let woken = false
    while (sleepers.length > 0 && sleepers[0]!.wakeAt <= now) {
      sleepers.shift()!.wake()
      woken = true
    }
    if (woken) activity++
    return woken
  }

  function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const sleeper: Sleeper = {
        wakeAt: time.now() + Math.max(ms, 0), // NaN and negatives: due at once
        wake() {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      function onAbort() {
        const at = sleepers.indexOf(sleeper)
        if (at >= 0) sleepers.splice(at, 1)
        sleeper.wake()
        touch()
      }
      const later = sleepers.findIndex((other) => other.wakeAt > sleeper.wakeAt)
      sleepers.splice(later < 0 ? sleepers.length : later, 0, sleeper)
      signal?.addEventListener('abort', onAbort, { once: true })
      touch()
    })
  }

  function hold<T>(work: Promise<T>): Promise<T> {
    held++
    touch()
    return work.finally(() => {
      held--
      touch()
    })
  }

  const fetch: typeof globalThis.fetch = (input, init) =>
    hold(
      (async () => {
        const response = await send(input, init)
        // Read the body inside the hold: the request is not over until its reply has arrived.
        const body = await response.arrayBuffer()
        const { status, statusText, headers } = response
        return new Response(NULL_BODY_STATUSES.has(status) ? null : body, { status, statusText, headers })
      })(),
    )

  return {
    now: () => time.now(),
    sleep,
    hold,
    fetch,
    get sleeping() {
      return sleepers.length
    },
  }
}

/** One event-loop turn: pending microtasks, the check phase, then the timers phase. */
async function eventLoopTurn(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve))
  await new Promise<void>((resolve) => setTimeout(resolve, 0))
}
