// The run console's run page for a 1,000-item Map run: the server's time to render it (request in, whole body out,
// through the HTTP app with a session, in process: app.request) and the bytes a first visit loads (the HTML with its
// inline SVG, plus the stylesheet and script). Two runs: an inline Map (1,000 items in the run's own history, ~4,000
// events read a page at a time) and a distributed Map (1,000 child runs; the page reads the first 50 children's
// histories to colour the inner states). Memory store, so the number is the console's work, not a database's.
import { gzipSync } from 'node:zlib'
import { createActionRegistry, type WorkflowDefinition } from '../lib/engine'
import { createEngine } from '../lib/engine/create-engine'
import { createMemoryStore } from '../lib/engine/stores/memory-store'
import { createHttpApp } from '../functions/http/app'
import { median, percentile } from './measure'
import type { BenchReport, BenchRow } from './report'

const ITEMS = 1_000
const ROUNDS = 30
const TOKEN = 'console-bench-token-0123456789'
const RENDER_TARGET_MS = 100
const BYTES_TARGET = 300_000

const map = (mode: 'INLINE' | 'DISTRIBUTED'): WorkflowDefinition => ({
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Next: 'Each' },
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 50,
      ItemProcessor: {
        ...(mode === 'DISTRIBUTED' ? { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } } : {}),
        StartAt: 'Work',
        States: {
          Work: { Type: 'Task', Resource: 'bench:echo', Next: 'Check' },
          Check: {
            Type: 'Choice',
            Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }],
            Default: 'Skipped',
          },
          Done: { Type: 'Pass', End: true },
          Skipped: { Type: 'Pass', End: true },
        },
      },
      ResultPath: '$.results',
      Next: 'Report',
    },
    Report: { Type: 'Pass', Parameters: { 'count.$': 'States.ArrayLength($.results)' }, End: true },
  },
})

export async function run(): Promise<BenchReport> {
  const engine = createEngine({
    store: createMemoryStore(),
    actions: createActionRegistry().register('bench:echo', { call: (input) => input }),
    workflows: { inline: map('INLINE'), distributed: map('DISTRIBUTED') },
  })
  const items = Array.from({ length: ITEMS }, (_, i) => ({ id: `disk-${String(i).padStart(4, '0')}`, ok: i % 7 !== 0 }))
  const app = createHttpApp({ engine, webhookSecrets: [], apiToken: TOKEN })
  const login = await app.request('http://bench.local/console/login', {
    method: 'POST',
    body: new URLSearchParams({ token: TOKEN }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!
  const get = async (path: string) => {
    const response = await app.request(`http://bench.local${path}`, { headers: { cookie } })
    if (response.status !== 200) throw new Error(`${path} → ${response.status}`)
    return response.text()
  }
  const assets = (await get('/console/assets/console.css')) + (await get('/console/assets/console.js'))

  const rows: BenchRow[] = []
  for (const workflow of ['inline', 'distributed'] as const) {
    const { run: started } = await engine.start({ workflow, input: { items } })
    const done = await engine.runToEnd(started.id)
    if (done.status !== 'SUCCEEDED') throw new Error(`the ${workflow} Map run ended ${done.status}`)
    const events = (await engine.get(done.id))!.historyLength ?? 0
    const path = `/console/runs/${done.id}`
    for (let i = 0; i < 3; i++) await get(path)
    const times: number[] = []
    let html = ''
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now()
      html = await get(path)
      times.push(performance.now() - t0)
    }
    const p50 = median(times)
    const bytes = Buffer.byteLength(html) + Buffer.byteLength(assets)
    const gzip = gzipSync(html).length + gzipSync(assets).length
    rows.push(
      {
        name: `run page, ${ITEMS.toLocaleString('en-US')}-item ${workflow} Map (${events.toLocaleString('en-US')} events): server render p50`,
        median: p50,
        unit: 'ms',
        target: `< ${RENDER_TARGET_MS} ms`,
        pass: p50 < RENDER_TARGET_MS,
        detail: { p90: percentile(times, 90), rounds: ROUNDS, events },
      },
      {
        name: `run page, ${ITEMS.toLocaleString('en-US')}-item ${workflow} Map: bytes sent (HTML+SVG+CSS+JS, uncompressed)`,
        median: bytes / 1000,
        unit: 'kB',
        target: `< ${BYTES_TARGET / 1000} kB`,
        pass: bytes < BYTES_TARGET,
        detail: { html: Buffer.byteLength(html), assets: Buffer.byteLength(assets), gzip },
      },
    )
  }
  return {
    area: 'console',
    rows,
    notes: [
      `in process (app.request, memory store), ${ROUNDS} rounds after 3 warm-up requests; bytes uncompressed (gzip in detail)`,
    ],
  }
}
