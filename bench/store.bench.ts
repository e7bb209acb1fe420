// Run stores under several workers: persisted transitions per second (lease-fenced `save` calls) with 1, 2 and 4
// workers on PostgreSQL beside the file store, and the delay between a run becoming due and a worker claiming it.
//
// Workers are async loops in this process, each with its own store instance (for PostgreSQL: its own pool of one
// connection), so the concurrency the store sees is real: separate connections, separate lock files.
// Pick-up design: a worker calls claimDue every POLL_MS when idle (at once again while it finds a full batch), so
// the pick-up delay is bounded by POLL_MS plus one claim; 250 ms costs 4 indexed queries/s per idle worker.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { createFileStore } from '../lib/engine/stores/file-store'
import { createPostgresStore } from '../lib/engine/stores/postgres-store'
import type { RunStore } from '../lib/engine/stores/run-store'
import { median, percentile } from './measure'
import type { BenchReport, BenchRow } from './report'

// The local server the tests use (trust auth, database `test`); the bench makes and drops its own schema.
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test'
const WORKER_COUNTS = [1, 2, 4]
const ROUNDS = 3
const RUNS_PER_ROUND = 160
const SAVES_PER_RUN = 10
const POLL_MS = 250
const PICKUP_RUNS = 150
const PICKUP_SPREAD_MS = 4_000

// A machine of about 1 KB, like the interpreter's position in a small workflow with a Map in flight.
const MACHINE = {
  pc: 'Backup',
  stack: [
    {
      state: 'Disks',
      index: 3,
      results: Array.from({ length: 8 }, (_, i) => ({ diskID: `d-${i}`, snapshotID: `s-${i}`, status: 'available' })),
    },
  ],
  attempts: { Backup: 1 },
}

type Opener = () => Promise<RunStore>

export async function run(): Promise<BenchReport> {
  const schema = `ctflow_bench_${process.pid}`
  const dir = mkdtempSync(join(tmpdir(), 'ctflow-store-bench-'))
  const stores: Record<string, Opener> = {
    postgres: () => createPostgresStore({ connectionString: PG_URL, schema, poolMax: 1 }),
    file: async () => createFileStore(dir),
  }
  const rows: BenchRow[] = []
  const notes: string[] = []
  try {
    for (const [name, open] of Object.entries(stores)) {
      const rates: Record<number, number[]> = {}
      for (let round = 0; round < ROUNDS; round++) {
        // Interleave worker counts round by round, so background noise on the shared machine hits them alike.
        for (const workers of WORKER_COUNTS)
          (rates[workers] ??= []).push(await throughput(open, workers, `${name}-${round}-${workers}`))
      }
      const single = median(rates[1]!)
      for (const workers of WORKER_COUNTS) {
        const value = median(rates[workers]!)
        rows.push({
          name: `${name}: persisted transitions, ${workers} worker${workers > 1 ? 's' : ''}`,
          median: value,
          unit: 'saves/s',
          // The target (more workers, more saves) is PostgreSQL's; the file store is for one machine and is shown beside it.
          ...(workers > 1 ? { ratio: { against: '1 worker', value: value / single } } : {}),
          ...(workers > 1 && name === 'postgres' ? { target: 'grows with workers', pass: value > single } : {}),
          detail: { rounds: rates[workers] },
        })
      }
      const delays = await pickup(open, 2, name)
      rows.push(
        {
          name: `${name}: due → claimed delay p50 (2 workers, poll ${POLL_MS} ms)`,
          median: percentile(delays, 50),
          unit: 'ms',
        },
        {
          name: `${name}: due → claimed delay p99 (2 workers, poll ${POLL_MS} ms)`,
          median: percentile(delays, 99),
          unit: 'ms',
          target: '< 1 s',
          pass: percentile(delays, 99) < 1_000,
          detail: { runs: delays.length, max: Math.max(...delays) },
        },
      )
    }
    notes.push(
      `throughput: ${RUNS_PER_ROUND} runs × ${SAVES_PER_RUN} saves (2 events each, ~1 KB machine) per round, claimed with claimDue(limit 5); median of ${ROUNDS} rounds`,
      `workers are async loops in one process, each with its own store (PostgreSQL: its own 1-connection pool); PostgreSQL ${PG_URL.replace(/:[^:@/]*@/, ':***@')} on this machine`,
      `pick-up: ${PICKUP_RUNS} runs due at random instants over ${PICKUP_SPREAD_MS / 1000} s; idle workers poll claimDue every ${POLL_MS} ms`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
    const client = new pg.Client({ connectionString: PG_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await client.end()
  }
  return { area: 'store', rows, notes }
}

/** Seeds runs that are due now, then lets `workers` claim and advance them; returns saves per second. */
async function throughput(open: Opener, workers: number, prefix: string): Promise<number> {
  const seeder = await open()
  const seededAt = new Date()
  for (let i = 0; i < RUNS_PER_ROUND; i++) {
    await seeder.create({
      id: `${prefix}-${i}`,
      workflow: 'bench',
      input: { i },
      machine: MACHINE,
      resumeAt: seededAt,
      now: seededAt,
      events: [{ at: seededAt.toISOString(), type: 'RunStarted' }],
    })
  }
  await seeder.close()
  const instances = await Promise.all(Array.from({ length: workers }, open))
  let saves = 0
  const started = performance.now()
  await Promise.all(
    instances.map(async (store, w) => {
      for (;;) {
        const leases = await store.claimDue({ owner: `w${w}`, leaseMs: 60_000, now: new Date(), limit: 5 })
        if (leases.length === 0) return
        for (const lease of leases) {
          for (let step = 1; step <= SAVES_PER_RUN; step++) {
            const now = new Date()
            const last = step === SAVES_PER_RUN
            await store.save(lease, {
              status: last ? 'SUCCEEDED' : 'RUNNING',
              machine: { ...MACHINE, pc: `Step${step}` },
              resumeAt: null,
              ...(last ? { output: { ok: true } } : {}),
              events: [
                { at: now.toISOString(), type: 'StateEntered', state: `Step${step}` },
                { at: now.toISOString(), type: 'StateExited', state: `Step${step}` },
              ],
              now,
            })
            saves++
          }
          await store.release(lease)
        }
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  await Promise.all(instances.map((store) => store.close()))
  if (saves !== RUNS_PER_ROUND * SAVES_PER_RUN)
    throw new Error(`expected ${RUNS_PER_ROUND * SAVES_PER_RUN} saves, made ${saves}`)
  return saves / seconds
}

/** Runs become due at random instants; returns, per run, ms from its resumeAt to the claim that took it. */
async function pickup(open: Opener, workers: number, prefix: string): Promise<number[]> {
  const seeder = await open()
  const base = Date.now() + 500
  const dueAt = new Map<string, number>()
  for (let i = 0; i < PICKUP_RUNS; i++) {
    const at = base + Math.random() * PICKUP_SPREAD_MS
    const id = `${prefix}-pickup-${i}`
    dueAt.set(id, at)
    const now = new Date()
    await seeder.create({ id, workflow: 'bench', input: {}, machine: MACHINE, resumeAt: new Date(at), now, events: [] })
  }
  await seeder.close()
  const instances = await Promise.all(Array.from({ length: workers }, open))
  const delays: number[] = []
  await Promise.all(
    instances.map(async (store, w) => {
      while (delays.length < PICKUP_RUNS) {
        const leases = await store.claimDue({ owner: `p${w}`, leaseMs: 60_000, now: new Date(), limit: 10 })
        const claimedAt = Date.now()
        for (const lease of leases) {
          delays.push(Math.max(0, claimedAt - dueAt.get(lease.runId)!))
          const now = new Date()
          await store.save(lease, { status: 'SUCCEEDED', machine: null, resumeAt: null, output: {}, events: [], now })
          await store.release(lease)
        }
        if (leases.length < 10 && delays.length < PICKUP_RUNS) await sleep(POLL_MS)
      }
    }),
  )
  await Promise.all(instances.map((store) => store.close()))
  return delays
}
