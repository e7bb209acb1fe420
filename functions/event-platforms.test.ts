// The packaged artefacts of the event-style platforms (CTyun 函数计算, Alibaba FC 3.0, Tencent SCF, Huawei
// FunctionGraph), driven in Node with each platform's documented events (functions/testing/platform-events.ts names
// the pages): the zip's index.js is loaded as the platform would load it, against a simulator over real HTTP and the
// PostgreSQL store.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { PG_URL, testSchemas } from '../lib/engine/testing/pg-schemas'
import { type RunningSimulator, startSimulator } from '../lib/simulator'
import { packagePlatform } from '../scripts/package-platform.mjs'
import type { EventHttpResponse } from './event-http'
import schedulesJson from './schedules.json' with { type: 'json' }
import * as events from './testing/platform-events'
import { readZip } from './testing/read-zip'

const TOKEN = 'event-platform-token-0123456789'
const JOB = JSON.stringify(schedulesJson['nightly-backup'].input)
const schemas = testSchemas('events')
const require = createRequire(import.meta.url)
let sim: RunningSimulator
let out: string
let copies = 0

type Handler = (event: unknown, context?: unknown) => Promise<unknown>
interface Handlers {
  http: Handler
  scheduled: Handler
  worker: Handler
}

interface Platform {
  name: string
  /** The name the adapter's errors use. */
  title: string
  http: (call: events.HttpCall) => unknown
  timer: (message: string) => unknown
  context: () => unknown
}

const PLATFORMS: Platform[] = [
  {
    name: 'ctyun-faas',
    title: 'CTyun 函数计算',
    http: events.ctyunHttpEvent,
    timer: events.ctyunTimerEvent,
    // No remaining-time method: the budget comes from CTFLOW_FUNCTION_TIMEOUT (set in load()).
    context: () => ({ requestId: 'ctyun-req-1' }),
  },
  {
    name: 'aliyun-fc',
    title: 'Alibaba Cloud FC 3.0',
    http: events.fcHttpEvent,
    timer: events.fcTimerEvent,
    context: () => events.fcContext(30),
  },
  {
    name: 'tencent-scf',
    title: 'Tencent SCF',
    http: events.scfApiGatewayEvent,
    timer: events.scfTimerEvent,
    context: () => events.scfContext(30_000),
  },
  {
    name: 'huawei-functiongraph',
    title: 'Huawei FunctionGraph',
    http: events.functionGraphApigEvent,
    timer: events.functionGraphTimerEvent,
    context: () => events.functionGraphContext(30_000),
  },
]

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'ctflow-events-'))
  sim = await startSimulator({ port: 0 })
  for (const { name } of PLATFORMS) await packagePlatform(name, { out: join(out, name) })
}, 120_000)

const savedEnv = { ...process.env }
afterAll(async () => {
  // load() sets the settings in process.env, as the platforms do: put back what was there for the next file.
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name]
  Object.assign(process.env, savedEnv)
  await sim?.close()
  await schemas.dropAll()
  rmSync(out, { recursive: true, force: true })
})

/**
 * A fresh instance of the zip's index.js (as the platform loads it: CommonJS, `index.http` …) with `env` as its
 * process environment; the adapters read it on the first invocation.
 */
function load(platform: string, env: Record<string, string | undefined>): Handlers {
  const files = readZip(readFileSync(join(out, platform, `${platform}.zip`)))
  const file = join(out, platform, `index-${++copies}.cjs`)
  writeFileSync(file, files.get('index.js')!)
  const handlers = require(file) as Handlers
  for (const [name, value] of Object.entries(env))
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  return handlers
}

function settings(schema: string): Record<string, string> {
  return {
    CTYUN_ENDPOINT: sim.url,
    CTFLOW_STORE: PG_URL,
    CTFLOW_STORE_SCHEMA: schema,
    CTFLOW_API_TOKEN: TOKEN,
    CTFLOW_FUNCTION_TIMEOUT: '30',
  }
}

const auth = { authorization: `Bearer ${TOKEN}` }
const body = (response: unknown) => {
  const reply = response as EventHttpResponse
  return JSON.parse(reply.isBase64Encoded ? Buffer.from(reply.body, 'base64').toString() : reply.body)
}

describe.each(PLATFORMS)('$name', (platform) => {
  it('answers HTTP events: bearer sign-in, a run started over HTTP succeeds, the reply is the documented shape', async () => {
    const handlers = load(platform.name, settings(schemas.fresh()))
    const health = (await handlers.http(platform.http({ path: '/healthz' }), platform.context())) as EventHttpResponse
    expect(health).toMatchObject({ statusCode: 200, isBase64Encoded: false })
    expect(body(health)).toEqual({ ok: true })
    expect(
      ((await handlers.http(platform.http({ path: '/runs' }), platform.context())) as EventHttpResponse).statusCode,
    ).toBe(401)

    const started = (await handlers.http(
      platform.http({
        method: 'POST',
        path: '/runs',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ workflow: 'inventory', input: {} }),
      }),
      platform.context(),
    )) as EventHttpResponse
    expect(started.statusCode).toBe(202)
    const { runId } = body(started) as { runId: string }
    await vi.waitFor(async () => {
      // A worker tick resumes whatever the HTTP invocation's short advance left.
      await handlers.worker(platform.timer(''), platform.context())
      const run = await handlers.http(platform.http({ path: `/runs/${runId}`, headers: auth }), platform.context())
      expect(body(run)).toMatchObject({ status: 'SUCCEEDED', workflow: 'inventory' })
    })
  })

  it('starts the job its timer message names, once per firing', async () => {
    const handlers = load(platform.name, settings(schemas.fresh()))
    const first = await handlers.scheduled(platform.timer(JOB), platform.context())
    expect(first).toMatchObject({ workflow: 'snapshot-then-backup', created: true })
    const again = await handlers.scheduled(platform.timer(JOB), platform.context())
    expect(again).toMatchObject({ runId: (first as { runId: string }).runId, created: false })
  })

  it('refuses an event from another platform with an error naming the one it expected, and starts nothing', async () => {
    const handlers = load(platform.name, settings(schemas.fresh()))
    const foreign = platform.name === 'tencent-scf' ? events.fcHttpEvent({ path: '/runs' }) : { foo: 'bar' }
    await expect(handlers.http(foreign, platform.context())).rejects.toThrow(
      new RegExp(`^${platform.title}: expected `),
    )
    await expect(handlers.scheduled({ detail: {} }, platform.context())).rejects.toThrow(
      new RegExp(`^${platform.title}: expected `),
    )
    await expect(handlers.scheduled(platform.timer('not json'), platform.context())).rejects.toThrow(
      /timer's \w+ is not JSON/,
    )
    const listed = await handlers.http(platform.http({ path: '/runs', headers: auth }), platform.context())
    expect(body(listed)).toMatchObject({ runs: [] })
  })

  it('names CTFLOW_STORE when no store is set (no shared disk on the platform)', async () => {
    const handlers = load(platform.name, { ...settings(schemas.fresh()), CTFLOW_STORE: undefined })
    await expect(handlers.http(platform.http({ path: '/healthz' }), platform.context())).rejects.toThrow(
      /keeps no disk between instances: set CTFLOW_STORE to postgres:/,
    )
  })
})

describe('npm run invoke --platform', () => {
  it('runs a packaged event-platform handler with one documented event, prints its reply and exits', () => {
    const root = fileURLToPath(new URL('..', import.meta.url))
    const child = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/tsx/dist/cli.mjs'),
        join(root, 'scripts/invoke.ts'),
        '--platform',
        'tencent-scf',
        '--dir',
        join(out, 'tencent-scf'),
        '-f',
        'http',
        '--data',
        JSON.stringify(events.scfApiGatewayEvent({ path: '/healthz' })),
      ],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: process.env.PATH, CTFLOW_STORE: 'memory', CTYUN_ENDPOINT: sim.url },
      },
    )
    expect(child.status, child.stderr).toBe(0)
    expect(JSON.parse(child.stdout)).toMatchObject({ statusCode: 200, body: '{"ok":true}', isBase64Encoded: false })
  })
})
