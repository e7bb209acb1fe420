/**
 * One nightly job (workflows/snapshot-then-backup.json) over `disks` generated disks (`ctflow sim --disks N`) against
 * a simulator that limits each service to `rateLimit` requests a second, driven by `workers` engines sharing one store,
 * each with its own client (its own pacer, as separate processes would have), in virtual time: the simulator's
 * lifecycle clock, its rate-limit buckets, the pacers and the engines' sleeps are one discrete-event clock
 * (lib/engine/testing/virtual-clock.ts); store calls hold the clock like requests do. Used by bench/scale.bench.ts and
 * test/scale/nightly-at-scale.test.ts.
 */
import { createCtyunClient } from '../../lib/ctyun/client'
import { CTYUN_SERVICES, type CtyunEndpoints } from '../../lib/ctyun/endpoints'
import { createEngine } from '../../lib/engine/create-engine'
import type { Engine } from '../../lib/engine/engine-types'
import type { RunRecord } from '../../lib/engine/run'
import { createMemoryStore } from '../../lib/engine/stores/memory-store'
import { createPostgresStore } from '../../lib/engine/stores/postgres-store'
import type { RunStore } from '../../lib/engine/stores/run-store'
import { createVirtualClock, type VirtualClock } from '../../lib/engine/testing/virtual-clock'
import { loadWorkflowFile } from '../../lib/engine/workflows'
import { createProductActions } from '../../lib/jobs/product-actions'
import type { SimDurations } from '../../lib/simulator/durations'
import type { FaultConfig } from '../../lib/simulator/faults'
import { startSimulator } from '../../lib/simulator/server'
import type { ThrottleAnswer } from '../../lib/simulator/rate-limiter'

const WORKFLOW = new URL('../../workflows/snapshot-then-backup.json', import.meta.url)
export const SCALE_REGION = 'bb9fdb42056f11eda1610242ac110002'
export const SCALE_INPUT = {
  regionID: SCALE_REGION,
  disks: { label: { key: 'backup', value: 'nightly' } },
  snapshotPrefix: 'ctflow-nightly',
  retention: { maxAgeDays: 7, keepLast: 1 },
}

export interface ScaleJobOptions {
  disks: number
  workers?: number
  rateLimit?: number
  throttleAnswer?: ThrottleAnswer
  /** CTYUN_MAX_RPS of each worker (e.g. the limit ÷ workers); none: adaptation alone. */
  maxRpsPerWorker?: number
  durations?: 'fast' | 'realistic' | Partial<SimDurations>
  faults?: FaultConfig
  /** `memory` (one worker only) or a PostgreSQL schema name. */
  store?: 'memory' | { pgUrl: string; schema: string }
  /** Real time instead of virtual (a smaller run: every wait is slept). */
  realTime?: boolean
  seed?: number
}

export interface ScaleJobResult {
  run: RunRecord
  jobMs: number
  wallMs: number
  calls: number
  throttled: number
  byOperation: Record<string, number>
  throttledByOperation: Record<string, number>
  parentHistoryEvents: number
  childRuns: number
  /** Largest history of any run (parent or child), events. */
  maxHistoryEvents: number
  /** Largest history event (JSON bytes) of any run: what a state's input or output came to. */
  maxEventBytes: number
  peakRssMb: number
  /** Per operation: virtual seconds from the start to its first and last call (where the time went). */
  spans: Record<string, [number, number]>
  /** Calls by outcome: `ok`, an errorCode (`Openapi.Internal.Error` for a 5xx fault), `dropped`… */
  outcomes: Record<string, number>
  sim: Awaited<ReturnType<typeof startSimulator>>
  close(): Promise<void>
}

async function listAll(engine: Engine, parentId: string): Promise<Array<{ id: string }>> {
  const all: Array<{ id: string }> = []
  let cursor: string | undefined
  do {
    const page = await engine.list({ parentId, limit: 500, cursor })
    all.push(...page.runs)
    cursor = page.nextCursor
  } while (cursor)
  return all
}

/** Wraps every async method of the store so that the virtual clock waits for it, as for a request. */
function heldStore(store: RunStore, clock: VirtualClock): RunStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        const out = value.apply(target, args)
        return out instanceof Promise ? clock.hold(out) : out
      }
    },
  })
}

export async function runScaleJob(options: ScaleJobOptions): Promise<ScaleJobResult> {
  const workers = options.workers ?? 1
  const sim = await startSimulator({
    port: 0,
    disks: options.disks,
    durations: options.durations ?? 'realistic',
    seed: options.seed ?? 2026,
    faults: options.faults,
    ...(options.rateLimit ? { rateLimit: { rps: options.rateLimit, answer: options.throttleAnswer } } : {}),
  })
  const realTime = options.realTime === true
  const clock: VirtualClock | undefined = realTime ? undefined : createVirtualClock(sim.simulator.clock)
  const now = clock ? clock.now : () => sim.simulator.clock.now()
  const sleep = clock
    ? clock.sleep
    : (ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms)
          signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
        })
  const engineClock = { now, sleep }
  const endpoints = Object.fromEntries(CTYUN_SERVICES.map((s) => [s, sim.url])) as CtyunEndpoints
  const workflow = await loadWorkflowFile(WORKFLOW.pathname)
  const stores: RunStore[] = []
  const engines: Array<ReturnType<typeof createEngine>> = []
  for (let w = 0; w < workers; w++) {
    const raw =
      options.store === undefined || options.store === 'memory'
        ? w === 0
          ? createMemoryStore()
          : stores[0]!
        : await createPostgresStore({ connectionString: options.store.pgUrl, schema: options.store.schema, poolMax: 4 })
    const store = clock && raw !== stores[0] ? heldStore(raw, clock) : raw
    stores.push(store)
    const client = createCtyunClient({
      credentials: sim.credentials,
      endpoints,
      ...(clock ? { fetch: clock.fetch } : {}),
      retryHooks: { now, sleep },
      config: { maxRps: options.maxRpsPerWorker ? { all: options.maxRpsPerWorker } : undefined },
    })
    engines.push(
      createEngine({
        store,
        actions: createProductActions(client, { now }),
        workflows: [workflow],
        clock: engineClock,
        // The runner renews its lease on a real-time timer, while virtual time can run minutes ahead between two
        // renewals: a lease of an hour keeps a worker from losing its run to another on a virtual jump (real time:
        // the default).
        ...(clock ? { leaseMs: 3_600_000 } : {}),
      }),
    )
  }

  const startedAt = now()
  const spans: Record<string, [number, number]> = {}
  const record = sim.simulator.calls.record.bind(sim.simulator.calls)
  const outcomes: Record<string, number> = {}
  sim.simulator.calls.record = (call) => {
    outcomes[call.outcome] = (outcomes[call.outcome] ?? 0) + 1
    const at = Math.round((Date.parse(call.at) - startedAt) / 100) / 10
    const span = spans[call.operation]
    if (span) span[1] = at
    else spans[call.operation] = [at, at]
    record(call)
  }
  let peakRss = process.memoryUsage().rss
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 50)
  const wallStart = performance.now()
  const { run } = await engines[0]!.start({ workflow: workflow.name, input: SCALE_INPUT })
  let done: RunRecord
  if (workers === 1) {
    done = await engines[0]!.runToEnd(run.id)
  } else {
    // Every worker takes what is due (the parent or a child run), as `ctflow worker` does, until the parent ends.
    let finished: RunRecord | undefined
    const loop = async (engine: Engine) => {
      while (!finished) {
        // A pass of up to 15 minutes, as a FaaS worker's invocation.
        const { advanced } = await engine.resumeDue({ deadline: now() + 15 * 60_000, limit: 1 })
        const current = await engine.get(run.id)
        if (current && current.status !== 'RUNNING') finished = current
        else if (advanced === 0) await sleep(250)
      }
    }
    await Promise.all(engines.map(loop))
    done = finished!
  }
  const jobMs = now() - startedAt
  const wallMs = performance.now() - wallStart
  clearInterval(rssTimer)
  peakRss = Math.max(peakRss, process.memoryUsage().rss)

  const history = await engines[0]!.history(run.id, { limit: 100_000 })
  const children = await listAll(engines[0]!, run.id)
  let maxHistory = history.length
  const largest = (events: unknown[]) => Math.max(0, ...events.map((e) => Buffer.byteLength(JSON.stringify(e))))
  let maxEventBytes = largest(history)
  for (const child of children) {
    const events = await engines[0]!.history(child.id, { limit: 100_000 })
    maxHistory = Math.max(maxHistory, events.length)
    maxEventBytes = Math.max(maxEventBytes, largest(events))
  }
  const calls = sim.simulator.calls.snapshot()
  return {
    run: done,
    jobMs,
    wallMs,
    calls: calls.total,
    throttled: calls.throttled,
    byOperation: calls.byOperation,
    throttledByOperation: calls.throttledByOperation,
    parentHistoryEvents: history.length,
    childRuns: children.length,
    maxHistoryEvents: maxHistory,
    maxEventBytes,
    peakRssMb: peakRss / 2 ** 20,
    spans,
    outcomes,
    sim,
    async close() {
      for (const engine of engines) await engine.close()
      await sim.close()
    },
  }
}
