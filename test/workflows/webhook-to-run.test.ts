import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadFunctionsConfig } from '../../lib/config/functions-config'
import { resolveCtyunTarget } from '../../cli/ctyun-target'
import { signWebhook } from '../../functions/http/webhook-signature'
import { startNodeServer, type NodeServer } from '../../functions/node'
import { openEngine } from '../../functions/open-engine'
import { DB01 } from '../../lib/simulator/default-fixture-ids'
import { HD1 } from './job-harness'

/**
 * The whole product over real HTTP: a signed webhook reaches `ctflow serve`'s Node adapter, the real engine runs
 * the shipped eip-bind job through the product actions and the signed client, against the embedded simulator.
 */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const TOKEN = 'webhook-e2e-token-0123456789'
let server: NodeServer

beforeAll(async () => {
  const config = loadFunctionsConfig({ CTFLOW_STORE: 'memory', CTFLOW_API_TOKEN: TOKEN, CTFLOW_WEBHOOK_SECRET: SECRET })
  server = await startNodeServer({
    config,
    port: 0,
    schedules: [],
    workerIdleMs: 100,
    log: () => {},
    openEngine: (resolved) => openEngine(resolved, { resolveTarget: () => resolveCtyunTarget({}) }),
  })
})
afterAll(() => server?.close())

async function hook(
  workflow: string,
  body: string,
  { id = `msg_${Math.random()}`, timestamp = Math.floor(Date.now() / 1000), secret = SECRET } = {},
) {
  return fetch(`${server.url}/hooks/${workflow}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': await signWebhook(secret, id, timestamp, body),
    },
  })
}

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...init.headers } })

async function until(runId: string, done: (run: { status: string }) => boolean) {
  for (let i = 0; i < 200; i++) {
    const run = (await (await api(`/runs/${runId}`)).json()) as { status: string; output?: unknown; error?: unknown }
    if (done(run)) return run
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`run ${runId} did not finish`)
}

describe('webhook → run, end to end', () => {
  it('a signed webhook starts the job (202 + Location) and the run completes; the same id again is the same run', async () => {
    const body = JSON.stringify({ regionID: HD1, instanceID: DB01, eipID: 'eip-8hq2mz4xcd' })
    const reply = await hook('eip-bind', body, { id: 'msg_e2e_1' })
    expect(reply.status).toBe(202)
    const { runId } = (await reply.json()) as { runId: string }
    expect(reply.headers.get('location')).toBe(`/runs/${runId}`)
    const run = await until(runId, (r) => r.status !== 'RUNNING')
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      output: { eipID: 'eip-8hq2mz4xcd', instanceID: DB01, created: false },
    })

    const again = await hook('eip-bind', body, { id: 'msg_e2e_1' })
    expect(((await again.json()) as { runId: string }).runId).toBe(runId)
    const other = await hook('eip-bind', JSON.stringify({ regionID: HD1, instanceID: DB01 }), { id: 'msg_e2e_1' })
    expect(other.status).toBe(422)
  })

  it('refuses a bad signature, a stale timestamp and missing headers with 401, and starts nothing', async () => {
    const before = ((await (await api('/runs')).json()) as { runs: unknown[] }).runs.length
    const body = JSON.stringify({ regionID: HD1 })
    expect((await hook('inventory', body, { secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(401)
    expect((await hook('inventory', body, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401)
    expect(
      (
        await fetch(`${server.url}/hooks/inventory`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(401)
    expect(((await (await api('/runs')).json()) as { runs: unknown[] }).runs).toHaveLength(before)
  })

  it('answers malformed JSON 400, an unknown workflow 404, an oversized body 413, and the runs API without a token 401', async () => {
    expect((await hook('inventory', '{"regionIDs": [')).status).toBe(400)
    expect((await hook('no-such-job', '{}')).status).toBe(404)
    expect((await hook('inventory', JSON.stringify({ pad: 'x'.repeat(300 * 1024) }))).status).toBe(413)
    expect((await fetch(`${server.url}/runs`)).status).toBe(401)
    const problem = (await (await hook('no-such-job', '{}')).json()) as {
      status: number
      title?: string
      detail?: string
    }
    expect(problem.status).toBe(404)
    expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+/) // never a stack
  })

  it('starts a run through the runs API and lists it', async () => {
    const reply = await api('/runs', {
      method: 'POST',
      body: JSON.stringify({ workflow: 'inventory', input: { regionIDs: [HD1] } }),
      headers: { 'content-type': 'application/json' },
    })
    expect(reply.status).toBe(202)
    const { runId } = (await reply.json()) as { runId: string }
    const run = await until(runId, (r) => r.status !== 'RUNNING')
    expect(run.status).toBe('SUCCEEDED')
    const listed = (await (await api('/runs?workflow=inventory&status=SUCCEEDED')).json()) as {
      runs: Array<{ id: string }>
    }
    expect(listed.runs.map((r) => r.id)).toContain(runId)
  })
})
