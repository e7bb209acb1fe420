// The server side of bench/runs-list.bench.ts: the real HTTP app (functions/http/app.ts) on @hono/node-server over
// one store, as `ctflow serve` runs it, in its own process so the load generator never competes for its event loop.
// argv: <CTFLOW_STORE value> [schema]. Prints `{"url": …}` once listening; runs until SIGTERM.
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createHttpApp } from '../functions/http/app'
import { assembleEngine } from '../lib/engine/assemble-engine'
import { openStore } from '../lib/engine/stores/open-store'
import { BENCH_API_TOKEN, BENCH_WORKFLOWS } from './runs-list-workflows'

const [setting, schema] = process.argv.slice(2)
const store = await openStore(setting!, schema ? { schema, poolMax: 3 } : {})
const engine = assembleEngine({ store, workflows: BENCH_WORKFLOWS, validate: () => [] })
const app = createHttpApp({ engine, webhookSecrets: [], apiToken: BENCH_API_TOKEN, log: () => {} })
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}` })}\n`)
})
process.on('SIGTERM', () => {
  server.close()
  void store.close().finally(() => process.exit(0))
})
