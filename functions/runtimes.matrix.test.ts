// The runtime matrix: each runtime that installs from the npm registry (Bun, Deno, workerd ship their binaries in npm
// packages, pinned in devDependencies) runs its packaged entry for real, against a `ctflow sim` on loopback and the
// PostgreSQL store: sign in with the bearer token, start `inventory`, see it SUCCEED, fire the scheduled entry once.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { PG_URL, testSchemas } from '../lib/engine/testing/pg-schemas'
import { packagePlatform } from '../scripts/package-platform.mjs'
import {
  BIN,
  DENO_PERMISSIONS,
  freePort,
  ROOT,
  runToExit,
  type Started,
  startCtflowSim,
  startServerRuntime,
  startWorkerd,
} from './testing/runtimes'

const TOKEN = 'matrix-bearer-token-0123456789'
const schemas = testSchemas('matrix')
let sim: Started
let out: string
const running: Started[] = []

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'ctflow-matrix-'))
  sim = await startCtflowSim()
  for (const platform of ['bun', 'deno', 'cloudflare-workers'])
    await packagePlatform(platform, { out: join(out, platform) })
}, 120_000)

afterAll(async () => {
  await Promise.all(running.map((started) => started.stop()))
  await sim?.stop()
  await schemas.dropAll()
  rmSync(out, { recursive: true, force: true })
})

function settings(schema: string): Record<string, string> {
  return {
    CTYUN_ENDPOINT: sim.url,
    CTFLOW_STORE: PG_URL,
    CTFLOW_STORE_SCHEMA: schema,
    CTFLOW_API_TOKEN: TOKEN,
  }
}

const auth = { authorization: `Bearer ${TOKEN}` }

/** Signs in, starts inventory over HTTP and waits for it to succeed; returns the run's id. */
async function inventorySucceeds(url: string): Promise<void> {
  expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true })
  expect((await fetch(`${url}/runs`)).status).toBe(401) // no token, no runs
  const started = await fetch(`${url}/runs`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ workflow: 'inventory', input: {} }),
  })
  expect(started.status).toBe(202)
  const { runId } = (await started.json()) as { runId: string }
  await vi.waitFor(
    async () => {
      const run = (await (await fetch(`${url}/runs/${runId}`, { headers: auth })).json()) as { status: string }
      expect(run.status).toBe('SUCCEEDED')
    },
    { timeout: 20_000, interval: 100 },
  )
}

async function scheduledRuns(url: string): Promise<Array<{ workflow: string; status: string }>> {
  const response = await fetch(`${url}/runs?workflow=snapshot-then-backup`, { headers: auth })
  return ((await response.json()) as { runs: Array<{ workflow: string; status: string }> }).runs
}

describe.each(['bun', 'deno'] as const)('%s', (runtime) => {
  it('serves the packaged entry: bearer sign-in, inventory SUCCEEDS on the simulator, --trigger fires the schedule once', async () => {
    const env = settings(schemas.fresh())
    const entry = join(out, runtime, 'ctflow.js')
    const server = await startServerRuntime(runtime, entry, env)
    running.push(server)
    await inventorySucceeds(server.url)

    const args = runtime === 'bun' ? [entry] : ['run', ...DENO_PERMISSIONS, entry]
    const fired = await runToExit(BIN[runtime], [...args, '--trigger', 'nightly-backup'], env)
    expect(fired.code, fired.stderr).toBe(0)
    // Its logs (stderr) are JSON lines, the run's included; stdout carries only the result.
    const logLines = fired.stderr.split('\n').filter((line) => line.trim() !== '')
    expect(logLines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain('run started')
    expect(JSON.parse(fired.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      workflow: 'snapshot-then-backup',
      created: true,
    })
    // The same store: the server sees the run the schedule started.
    expect(await scheduledRuns(server.url)).toEqual([expect.objectContaining({ workflow: 'snapshot-then-backup' })])
  }, 60_000)
})

describe('deno on the TypeScript source', () => {
  it('loads functions/deno.ts itself (JSON imported with { type: "json" }; extensionless imports need --unstable-sloppy-imports) and runs inventory', async () => {
    const server = await startServerRuntime(
      'deno',
      join(ROOT, 'functions/deno.ts'),
      settings(schemas.fresh()),
      [],
      ['--unstable-sloppy-imports'],
    )
    running.push(server)
    await inventorySucceeds(server.url)
  }, 60_000)
})

describe('workerd', () => {
  it('serves worker.js: inventory SUCCEEDS with the PostgreSQL store across requests, and the Cron Trigger fires once', async () => {
    const [port, triggerPort] = [await freePort(), await freePort()]
    const worker = await startWorkerd({
      dir: join(out, 'cloudflare-workers'),
      port,
      triggerPort,
      bindings: settings(schemas.fresh()),
    })
    running.push(worker)
    // Start, then several polls: each request opens its own connection (a reused one would hang the second).
    await inventorySucceeds(worker.url)

    const fired = await fetch(`http://127.0.0.1:${triggerPort}/?cron=${encodeURIComponent('0 18 * * *')}`)
    expect(await fired.json(), worker.output()).toMatchObject({ outcome: 'ok' })
    expect(await scheduledRuns(worker.url)).toEqual([expect.objectContaining({ workflow: 'snapshot-then-backup' })])
  }, 60_000)

  it.each([
    [
      'the file store',
      '/tmp/ctflow',
      /CTFLOW_STORE names a directory, but a Worker has no disk: use the PostgreSQL store/,
    ],
    ['no store setting', '', /Cloudflare Workers has no disk: set CTFLOW_STORE to postgres:/],
  ])(
    'refuses %s at start with one line naming the store to use',
    async (_, store, message) => {
      const worker = await startWorkerd({
        dir: join(out, 'cloudflare-workers'),
        port: await freePort(),
        bindings: { ...settings('unused'), CTFLOW_STORE: store },
      })
      running.push(worker)
      const response = await fetch(`${worker.url}/runs`, { headers: auth })
      expect(response.status).toBe(500)
      const problem = (await response.json()) as { detail: string }
      expect(problem.detail).toMatch(message)
      expect(problem.detail).not.toContain('\n')
    },
    30_000,
  )
})
