// Listing at scale: `GET /runs?limit=20` p50/p99 with 100, 1,000 and 10,000 runs in the file and PostgreSQL stores,
// and `/healthz` p99 idle and under a concurrent listing load (4 closed-loop listers, which saturate the server, and a
// moderate 50 listings/s), through the real HTTP app.
//
// How: one server process per store and size (bench/runs-list-server.child.ts: functions/http/app.ts on
// @hono/node-server, as `ctflow serve` runs it), so the latency includes the socket, HTTP parsing and the event loop a
// deployment has, and the load generator (this process, fetch with keep-alive) never competes with the server's event
// loop. The three sizes are measured round by round, interleaved, so the shared machine's noise hits them alike.
// Seeding: through the engine (start + advance in this process, on its own store instance, 32 at a time), so every
// run has real history, ids come from the engine (UUIDv7) and the store's list index is maintained as in production:
// 98 % SUCCEEDED, 1 % FAILED, 1 % left RUNNING, created in a burst (the real clock, ~1,000 runs/s).
//
// Knobs: CTFLOW_BENCH_LIST_SIZES (default 100,1000,10000), CTFLOW_BENCH_LIST_ROUNDS (default 5),
// CTFLOW_BENCH_LIST_STORES (default file,postgres).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import pg from 'pg'
import { assembleEngine } from '../lib/engine/assemble-engine'
import { openStore } from '../lib/engine/stores/open-store'
import { percentile } from './measure'
import type { BenchReport, BenchRow } from './report'
import { BENCH_API_TOKEN, BENCH_WORKFLOWS } from './runs-list-workflows'

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test'
const SIZES = (process.env.CTFLOW_BENCH_LIST_SIZES ?? '100,1000,10000').split(',').map(Number)
const ROUNDS = Number(process.env.CTFLOW_BENCH_LIST_ROUNDS ?? 5)
const STORES = (process.env.CTFLOW_BENCH_LIST_STORES ?? 'file,postgres').split(',')
const PER_ROUND = 100
const LISTERS = 4
/** The moderate load: about 5× the 9 listings/s a server holding ~2,900 runs was once seen to answer. */
const LISTING_RATE = 50
const SEED_CONCURRENCY = 32
const root = fileURLToPath(new URL('..', import.meta.url))

interface Target {
  size: number
  setting: string
  schema?: string
  server?: { url: string; child: ChildProcess }
}

export async function run(): Promise<BenchReport> {
  const rows: BenchRow[] = []
  const notes: string[] = []
  const dir = mkdtempSync(join(tmpdir(), 'ctflow-list-bench-'))
  const schemas: string[] = []
  try {
    for (const store of STORES) {
      const targets: Target[] = SIZES.map((size) =>
        store === 'file'
          ? { size, setting: join(dir, `file-${size}`) }
          : { size, setting: PG_URL, schema: `ctflow_bench_list_${process.pid}_${size}` },
      )
      for (const target of targets) {
        if (target.schema) schemas.push(target.schema)
        const started = performance.now()
        await seed(target)
        const seconds = (performance.now() - started) / 1000
        notes.push(
          `${store}: seeded ${target.size.toLocaleString('en-US')} runs in ${seconds.toFixed(1)} s (${Math.round(target.size / seconds)} runs/s, engine start + advance, ${SEED_CONCURRENCY} at a time)`,
        )
        target.server = await startServer(target)
      }
      try {
        rows.push(...(await measureStore(store, targets)))
      } finally {
        for (const target of targets) target.server?.child.kill('SIGTERM')
      }
    }
    notes.push(
      `latency: one request at a time (fetch, keep-alive) to a server process per store and size; ${ROUNDS} rounds × ${PER_ROUND} requests per size, sizes interleaved round by round`,
      `/healthz under load: GET /runs?limit=20 on the largest store from a worker thread (${LISTERS} clients back to back, or ${LISTING_RATE} requests/s on a clock) while /healthz is timed one request at a time; idle and loaded rounds interleaved`,
      `PostgreSQL ${PG_URL.replace(/:[^:@/]*@/, ':***@')} on this machine; file store on ${tmpdir()}`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
    if (schemas.length > 0) {
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
    }
  }
  return { area: 'runs listing (GET /runs?limit=20 through the HTTP app)', rows, notes }
}

async function seed(target: Target): Promise<void> {
  const store = await openStore(target.setting, target.schema ? { schema: target.schema, poolMax: 8 } : {})
  const engine = assembleEngine({ store, workflows: BENCH_WORKFLOWS, validate: () => [] })
  try {
    for (let next = 0; next < target.size; next += SEED_CONCURRENCY) {
      const batch = Array.from({ length: Math.min(SEED_CONCURRENCY, target.size - next) }, (_, i) => next + i)
      await Promise.all(
        batch.map(async (n) => {
          const { run } = await engine.start({
            workflow: 'bench-job',
            input: { disks: [`d-${n}`], fail: n % 100 === 7 },
          })
          if (n % 100 !== 42) await engine.advance(run.id, { deadline: Date.now() + 10_000 })
        }),
      )
    }
  } finally {
    await store.close()
  }
}

async function startServer(target: Target): Promise<{ url: string; child: ChildProcess }> {
  const args = [
    '--import',
    'tsx',
    fileURLToPath(new URL('./runs-list-server.child.ts', import.meta.url)),
    target.setting,
    ...(target.schema ? [target.schema] : []),
  ]
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout! })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url))
  })
  return { url, child }
}

async function timeGet(url: string): Promise<number> {
  const started = performance.now()
  const response = await fetch(url, { headers: { authorization: `Bearer ${BENCH_API_TOKEN}` } })
  const body = await response.text()
  const elapsed = performance.now() - started
  if (response.status !== 200) throw new Error(`GET ${url} → ${response.status}: ${body.slice(0, 200)}`)
  return elapsed
}

async function sequential(url: string, count: number): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < count; i++) samples.push(await timeGet(url))
  return samples
}

// The listing load, on one worker thread: `listers` closed-loop clients (each sends its next request when the last one
// answered: as much as the server can take), or `rate` requests a second sent on a clock whatever the answers (open
// loop, at most 32 in flight). Posts 'ready' once the first answers came, and the count of answers when told to stop.
const LISTER_CODE = `
const { parentPort, workerData } = require('node:worker_threads')
let stop = false
let count = 0
let inFlight = 0
parentPort.on('message', () => { stop = true })
const one = async () => {
  inFlight++
  try {
    const response = await fetch(workerData.url, { headers: { authorization: 'Bearer ' + workerData.token } })
    await response.text()
    if (response.status !== 200) throw new Error('listing: HTTP ' + response.status)
    count++
  } finally {
    inFlight--
  }
}
const closedLoop = () => Promise.all(Array.from({ length: workerData.listers }, async () => { while (!stop) await one() }))
const openLoop = async () => {
  const started = performance.now()
  for (let sent = 0; !stop; sent++) {
    const wait = started + (sent * 1000) / workerData.rate - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    if (inFlight < 32) void one()
  }
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5))
}
Promise.all(Array.from({ length: 4 }, () => one())).then(async () => {
  parentPort.postMessage('ready')
  count = 0
  await (workerData.rate ? openLoop() : closedLoop())
  parentPort.postMessage(count)
})
`

interface Load {
  name: string
  listers?: number
  rate?: number
}

const LOADS: Load[] = [
  { name: `${LISTERS} concurrent listers (saturating)`, listers: LISTERS },
  { name: `${LISTING_RATE} listing req/s`, rate: LISTING_RATE },
]

function startLoad(url: string, load: Load): Worker {
  return new Worker(LISTER_CODE, {
    eval: true,
    workerData: { url, token: BENCH_API_TOKEN, listers: load.listers ?? 0, rate: load.rate ?? 0 },
  })
}

async function measureStore(store: string, targets: Target[]): Promise<BenchRow[]> {
  const list = (t: Target) => `${t.server!.url}/runs?limit=20`
  const failed = (t: Target) => `${t.server!.url}/runs?limit=20&status=FAILED`
  const samples = new Map<number, { list: number[]; failed: number[] }>(
    targets.map((t) => [t.size, { list: [], failed: [] }]),
  )
  for (const t of targets) {
    await sequential(list(t), 20) // warm-up: JIT, connections, the OS's page cache
    await sequential(failed(t), 5)
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets) {
      samples.get(t.size)!.list.push(...(await sequential(list(t), PER_ROUND)))
      samples.get(t.size)!.failed.push(...(await sequential(failed(t), PER_ROUND / 4)))
    }
  }

  // /healthz idle vs under each listing load, on the largest store, interleaved round by round.
  const largest = targets.at(-1)!
  const health = `${largest.server!.url}/healthz`
  const idle: number[] = []
  const loaded = LOADS.map(() => ({ samples: [] as number[], listed: 0, seconds: 0 }))
  await sequential(health, 20)
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, load] of LOADS.entries()) {
      idle.push(...(await sequential(health, PER_ROUND / 2)))
      // The load runs on its own event loop (a worker thread), so its response parsing never delays this one's timing.
      const worker = startLoad(list(largest), load)
      await new Promise((resolve) => worker.once('message', resolve)) // the load is running before timing starts
      const started = performance.now()
      loaded[i]!.samples.push(...(await sequential(health, PER_ROUND)))
      worker.postMessage('stop')
      loaded[i]!.listed += await new Promise<number>((resolve) => worker.once('message', resolve))
      loaded[i]!.seconds += (performance.now() - started) / 1000
      await worker.terminate()
    }
  }

  const rows: BenchRow[] = []
  const smallest = samples.get(targets[0]!.size)!
  for (const t of targets) {
    const s = samples.get(t.size)!
    const n = t.size.toLocaleString('en-US')
    const isLargest = t === largest && targets.length > 1
    rows.push(
      {
        name: `${store}: GET /runs?limit=20 p50, ${n} runs`,
        median: percentile(s.list, 50),
        unit: 'ms',
        ...(isLargest
          ? {
              ratio: {
                against: `${targets[0]!.size.toLocaleString('en-US')} runs`,
                value: percentile(s.list, 50) / percentile(smallest.list, 50),
              },
            }
          : {}),
        detail: { samples: s.list.length },
      },
      {
        name: `${store}: GET /runs?limit=20 p99, ${n} runs`,
        median: percentile(s.list, 99),
        unit: 'ms',
        ...(isLargest
          ? {
              ratio: {
                against: `${targets[0]!.size.toLocaleString('en-US')} runs`,
                value: percentile(s.list, 99) / percentile(smallest.list, 99),
              },
              target: '≤ 2×',
              pass: percentile(s.list, 99) <= 2 * percentile(smallest.list, 99),
            }
          : {}),
        detail: { samples: s.list.length, max: Math.max(...s.list) },
      },
      {
        name: `${store}: GET /runs?limit=20&status=FAILED (1 %) p50 / p99, ${n} runs`,
        median: percentile(s.failed, 50),
        unit: `ms p50 (p99 ${percentile(s.failed, 99).toFixed(1)} ms)`,
        detail: { p99: percentile(s.failed, 99), samples: s.failed.length },
      },
    )
  }
  const n = largest.size.toLocaleString('en-US')
  rows.push({
    name: `${store}: /healthz idle p99 (${n} runs)`,
    median: percentile(idle, 99),
    unit: `ms (p50 ${percentile(idle, 50).toFixed(2)} ms)`,
    detail: { p50: percentile(idle, 50), samples: idle.length },
  })
  for (const [i, load] of LOADS.entries()) {
    const { samples: under, listed, seconds } = loaded[i]!
    rows.push({
      name: `${store}: /healthz p99 under ${load.name}, ${Math.round(listed / seconds)} listings/s served (${n} runs)`,
      median: percentile(under, 99),
      unit: `ms (p50 ${percentile(under, 50).toFixed(2)} ms = ${(percentile(under, 50) / percentile(idle, 50)).toFixed(2)}× idle)`,
      ratio: { against: 'idle p99', value: percentile(under, 99) / percentile(idle, 99) },
      target: '≤ 2×',
      pass: percentile(under, 99) <= 2 * percentile(idle, 99),
      detail: { p50: percentile(under, 50), samples: under.length, listingRequestsPerSecond: listed / seconds },
    })
  }
  return rows
}
