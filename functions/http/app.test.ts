import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { assembleEngine } from '../../lib/engine/assemble-engine'
import type { Engine } from '../../lib/engine'
import type { WorkflowDefinition } from '../../lib/engine/interpreter/definition'
import { createFileStore } from '../../lib/engine/stores/file-store'
import { createMemoryStore } from '../../lib/engine/stores/memory-store'
import { validateWorkflow } from '../../lib/engine/validate'
import type { LoadedWorkflow } from '../../lib/engine/workflows'
import { SHIPPED_WORKFLOWS } from '../../workflows/shipped'
import { createEngine } from '../../lib/engine/create-engine'
import { createFakeEngine } from '../testing/fake-engine'
import { createHttpApp } from './app'
import { signWebhook } from './webhook-signature'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const OLD_SECRET = `whsec_${Buffer.from('an-older-secret-of-32-bytes-long').toString('base64')}`
const TOKEN = 'test-api-token-9f8e7d6c5b4a'
const NOW = 1_750_000_000_000

type AppOptions = { maxBodyBytes?: number; apiToken?: string; secrets?: string[]; logs?: string[] }

const PASS_THROUGH = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as WorkflowDefinition

/**
 * The app over the real engine on a memory store (its workflows pass their input through): what the engine throws,
 * stores and refuses is what the app maps, so no fake can hide a mismatch. `runs()` lists what the store holds.
 */
function setup(options: AppOptions & { workflows?: LoadedWorkflow[] } = {}) {
  const store = createMemoryStore()
  const workflows = options.workflows ?? [
    { name: 'backup', definition: PASS_THROUGH },
    { name: 'report', definition: PASS_THROUGH },
  ]
  const engine = assembleEngine({
    store,
    validate: validateWorkflow,
    workflows,
    clock: { now: () => NOW, sleep: async () => {} },
  })
  const logs = options.logs ?? []
  return {
    app: app(engine, options, logs),
    engine,
    store,
    logs,
    runs: async () => (await store.list({ limit: 1000 })).runs,
  }
}

/**
 * The app over the fake engine (functions/testing/fake-engine.ts), only where it pins what the real engine cannot
 * easily produce: an injected failure, a child run without a distributed Map, a history of two events.
 */
function setupFake(options: AppOptions = {}) {
  const engine = createFakeEngine({ clock: () => NOW })
  const logs = options.logs ?? []
  return { app: app(engine, options, logs), engine, logs }
}

function app(engine: Engine, options: AppOptions, logs: string[]) {
  return createHttpApp({
    engine,
    webhookSecrets: options.secrets ?? [SECRET, OLD_SECRET],
    apiToken: 'apiToken' in options ? options.apiToken : TOKEN,
    maxBodyBytes: options.maxBodyBytes,
    now: () => NOW,
    log: (line) => logs.push(line),
  })
}

async function hook(
  app: ReturnType<typeof setup>['app'],
  {
    workflow = 'backup',
    body = '{"disks":["d-1"]}',
    id = 'msg_1',
    secret = SECRET,
    seconds = NOW / 1000,
    headers = {} as Record<string, string>,
  } = {},
) {
  const signature = await signWebhook(secret, id, seconds, body)
  return app.request(`/hooks/${workflow}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(seconds),
      'webhook-signature': signature,
      ...headers,
    },
  })
}

const bearer = { authorization: `Bearer ${TOKEN}` }

async function problem(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const body = (await response.json()) as Record<string, unknown>
  expect(body.status).toBe(response.status)
  expect(body.type).toBe('about:blank')
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|whsec_|test-api-token/)
  return body
}

describe('POST /hooks/:workflow', () => {
  it('starts a run from a correctly signed webhook: 202, runId and Location', async () => {
    const { app, engine } = setup()
    const response = await hook(app)
    expect(response.status).toBe(202)
    const body = (await response.json()) as { runId: string; created: boolean }
    expect(body.created).toBe(true)
    expect(response.headers.get('location')).toBe(`/runs/${body.runId}`)
    expect((await engine.get(body.runId))?.input).toEqual({ disks: ['d-1'] })
    expect((await engine.get(body.runId))?.idempotencyKey).toBe('hook:backup:msg_1')
  })

  it('accepts a signature made with an older secret still configured for rotation', async () => {
    const { app } = setup()
    expect((await hook(app, { secret: OLD_SECRET })).status).toBe(202)
  })

  it('delivers idempotently: the same webhook-id and body twice give one run', async () => {
    const { app, runs } = setup()
    const first = (await (await hook(app)).json()) as { runId: string }
    const again = await hook(app)
    expect(again.status).toBe(202)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(((await again.json()) as { runId: string }).runId).toBe(first.runId)
    expect(await runs()).toHaveLength(1)
  })

  it('refuses the same webhook-id with a different body (422)', async () => {
    const { app, runs } = setup()
    await hook(app)
    const response = await hook(app, { body: '{"disks":["d-2"]}' })
    expect(response.status).toBe(422)
    expect((await problem(response)).code).toBe('idempotency-key-reused')
    expect(await runs()).toHaveLength(1)
  })

  it('returns the same run to a captured webhook replayed with a fresh Idempotency-Key and other unsigned headers changed', async () => {
    const { app, engine, runs } = setup()
    const body = '{"disks":["d-1"]}'
    const seconds = NOW / 1000
    const signed = {
      'webhook-id': 'msg_captured',
      'webhook-timestamp': String(seconds),
      'webhook-signature': await signWebhook(SECRET, 'msg_captured', seconds, body),
    }
    const original = await app.request('/hooks/backup', {
      method: 'POST',
      body,
      headers: { ...signed, 'content-type': 'application/json' },
    })
    const { runId } = (await original.json()) as { runId: string }

    const replies = []
    for (let i = 1; i <= 3; i++) {
      const replay = await app.request('/hooks/backup', {
        method: 'POST',
        body,
        headers: {
          ...signed,
          'content-type': 'application/json; charset=utf-8',
          'idempotency-key': `fresh-${i}-${crypto.randomUUID()}`,
          'user-agent': `replayer/${i}`,
          'x-forwarded-for': `203.0.113.${i}`,
        },
      })
      replies.push({
        status: replay.status,
        replayed: replay.headers.get('idempotent-replayed'),
        runId: ((await replay.json()) as { runId: string }).runId,
      })
    }
    expect(replies).toEqual([1, 2, 3].map(() => ({ status: 202, replayed: 'true', runId })))
    expect(await runs()).toHaveLength(1)
    expect((await engine.get(runId))?.idempotencyKey).toBe('hook:backup:msg_captured')
  })

  it('starts one run per webhook-id even when the sender repeats an Idempotency-Key (it is not signed)', async () => {
    const { app, runs } = setup()
    await hook(app, { id: 'msg_a', headers: { 'idempotency-key': 'order-7' } })
    await hook(app, { id: 'msg_b', headers: { 'idempotency-key': 'order-7' } })
    expect((await runs()).map((run) => run.idempotencyKey).sort()).toEqual(['hook:backup:msg_a', 'hook:backup:msg_b'])
  })

  it.each([
    [
      'a bad signature',
      { secret: `whsec_${Buffer.from('someone-else-entirely-0123456789').toString('base64')}` },
      'webhook-bad-signature',
    ],
    ['a timestamp 6 minutes old', { seconds: NOW / 1000 - 360 }, 'webhook-stale-timestamp'],
    ['a timestamp 6 minutes ahead', { seconds: NOW / 1000 + 360 }, 'webhook-stale-timestamp'],
  ])('answers 401 and starts no run for %s', async (_name, options, code) => {
    const { app, runs } = setup()
    const response = await hook(app, options)
    expect(response.status).toBe(401)
    expect((await problem(response)).code).toBe(code)
    expect(await runs()).toHaveLength(0)
  })

  it('answers 401 when a signature header is missing', async () => {
    const { app, runs } = setup()
    const response = await app.request('/hooks/backup', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', 'webhook-id': 'x', 'webhook-timestamp': String(NOW / 1000) },
    })
    expect(response.status).toBe(401)
    expect((await problem(response)).code).toBe('webhook-missing-headers')
    expect(await runs()).toHaveLength(0)
  })

  it('answers 401 when the server has no webhook secret', async () => {
    const { app } = setup({ secrets: [] })
    expect((await hook(app)).status).toBe(401)
  })

  it('answers 400 for a signed body that is not JSON', async () => {
    const { app, runs } = setup()
    const response = await hook(app, { body: '{"disks": [' })
    expect(response.status).toBe(400)
    expect(await problem(response)).toMatchObject({ code: 'malformed-json', field: '$' })
    expect(await runs()).toHaveLength(0)
  })

  it('answers 404 for an unknown workflow', async () => {
    const { app } = setup()
    const response = await hook(app, { workflow: 'nope' })
    expect(response.status).toBe(404)
    expect((await problem(response)).code).toBe('unknown-workflow')
  })

  it('answers 413 for a body over the limit, declared by content-length', async () => {
    const { app, runs } = setup({ maxBodyBytes: 64 })
    const response = await hook(app, { body: JSON.stringify({ pad: 'x'.repeat(100) }) })
    expect(response.status).toBe(413)
    expect((await problem(response)).code).toBe('body-too-large')
    expect(await runs()).toHaveLength(0)
  })

  it('answers 413 for a streamed body that grows past the limit without a content-length', async () => {
    const { app } = setup({ maxBodyBytes: 64 })
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        if (pulled > 1000) controller.close()
        else controller.enqueue(new TextEncoder().encode('x'.repeat(32)))
      },
    })
    const request = new Request('http://localhost/hooks/backup', {
      method: 'POST',
      body: stream,
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'a',
        'webhook-timestamp': String(NOW / 1000),
        'webhook-signature': 'v1,AAAA',
      },
      duplex: 'half',
    } as RequestInit)
    const response = await app.fetch(request)
    expect(response.status).toBe(413)
    expect(pulled).toBeLessThan(10) // stopped reading early, never buffered the whole body
  })

  it('answers 415 for a body that is not declared as JSON', async () => {
    const { app } = setup()
    const response = await hook(app, { headers: { 'content-type': 'text/plain' } })
    expect(response.status).toBe(415)
    await problem(response)
  })
})

describe('runs API', () => {
  it('answers 401 without a token, with a wrong token, and when no token is configured', async () => {
    const { app } = setup()
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${TOKEN}` }] as Record<
      string,
      string
    >[]) {
      const response = await app.request('/runs', { headers })
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toContain('Bearer')
      await problem(response)
    }
    const unconfigured = setup({ apiToken: undefined }).app
    const response = await unconfigured.request('/runs', { headers: bearer })
    expect(response.status).toBe(401)
    expect((await problem(response)).code).toBe('api-disabled')
  })

  it('serves /healthz without a token', async () => {
    const { app } = setup()
    const response = await app.request('/healthz')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('lists the workflows', async () => {
    const { app } = setup()
    const response = await app.request('/workflows', { headers: bearer })
    expect(await response.json()).toEqual({ workflows: [{ name: 'backup' }, { name: 'report' }] })
  })

  it('starts a run with POST /runs and shows it with GET /runs/:id', async () => {
    const { app, engine } = setupFake()
    const started = await app.request('/runs', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: 'report', input: { region: 'cn-hz' } }),
    })
    expect(started.status).toBe(202)
    const { runId } = (await started.json()) as { runId: string }
    await engine.advance(runId, { deadline: NOW + 1 })
    const shown = await app.request(`/runs/${runId}`, { headers: bearer })
    expect(shown.status).toBe(200)
    const run = (await shown.json()) as Record<string, unknown>
    expect(run).toMatchObject({
      id: runId,
      workflow: 'report',
      status: 'SUCCEEDED',
      input: { region: 'cn-hz' },
      output: { region: 'cn-hz' },
    })
    expect((run.history as { type: string }[]).map((e) => e.type)).toEqual(['RunStarted', 'RunSucceeded'])
    expect(run).not.toHaveProperty('machine')
  })

  it('starts a plan (dry run) with POST /runs {"plan": true}, and shows that the run is one', async () => {
    const { app } = setup()
    const send = (body: unknown) =>
      app.request('/runs', {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const started = await send({ workflow: 'report', input: {}, plan: true })
    expect(started.status).toBe(202)
    const { runId, plan } = (await started.json()) as { runId: string; plan?: boolean }
    expect(plan).toBe(true)
    const shown = (await (await app.request(`/runs/${runId}`, { headers: bearer })).json()) as Record<string, unknown>
    expect(shown.plan).toBe(true)
    const refused = await send({ workflow: 'report', input: {}, plan: 'yes' })
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({ field: '$.plan' })
  })

  it('makes POST /runs idempotent on Idempotency-Key, and refuses a reused key with another body', async () => {
    const { app, runs } = setup()
    const send = (input: unknown) =>
      app.request('/runs', {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json', 'idempotency-key': 'k-1' },
        body: JSON.stringify({ workflow: 'report', input }),
      })
    expect((await send({ a: 1 })).status).toBe(202)
    expect((await send({ a: 1 })).status).toBe(202)
    expect(await runs()).toHaveLength(1)
    expect((await send({ a: 2 })).status).toBe(422)
  })

  it.each([
    ['a missing workflow', { input: {} }, '$.workflow'],
    ['a workflow that is not a string', { workflow: 7 }, '$.workflow'],
    ['a body that is not an object', [1, 2], '$'],
  ])('answers 400 naming the field for %s', async (_name, body, field) => {
    const { app } = setup()
    const response = await app.request('/runs', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(response.status).toBe(400)
    expect(await problem(response)).toMatchObject({ code: 'invalid-field', field })
  })

  it('answers 400 naming the field for input the engine rejects', async () => {
    const inputSchema = { type: 'object', properties: { disks: { type: 'array' } } }
    const { app, runs } = setup({ workflows: [{ name: 'backup', definition: PASS_THROUGH, inputSchema }] })
    const response = await app.request('/runs', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: '{"workflow":"backup","input":{"disks":1}}',
    })
    expect(response.status).toBe(400)
    expect(await problem(response)).toMatchObject({
      field: 'input/disks',
      detail: expect.stringMatching(/^The input of "backup" does not match its schema: \/disks must be/),
    })
    expect(await runs()).toHaveLength(0)
  })

  it('answers 404 for POST /runs with an unknown workflow', async () => {
    const { app } = setup()
    const response = await app.request('/runs', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: '{"workflow":"ghost"}',
    })
    expect(response.status).toBe(404)
  })

  it('filters and pages GET /runs', async () => {
    const { app, engine } = setup()
    for (let i = 0; i < 5; i++) await engine.start({ workflow: i % 2 ? 'report' : 'backup', input: { i } })
    const first = (await (await app.request('/runs?workflow=backup&limit=2', { headers: bearer })).json()) as {
      runs: { id: string; workflow: string }[]
      nextCursor?: string
    }
    expect(first.runs.map((r) => r.workflow)).toEqual(['backup', 'backup'])
    expect(first.nextCursor).toBeDefined()
    const second = (await (
      await app.request(`/runs?workflow=backup&limit=2&cursor=${first.nextCursor}`, { headers: bearer })
    ).json()) as {
      runs: { id: string }[]
      nextCursor?: string
    }
    expect(second.runs).toHaveLength(1)
    expect(second.nextCursor).toBeUndefined()
    expect(new Set([...first.runs, ...second.runs].map((r) => r.id)).size).toBe(3)
    const running = (await (await app.request('/runs?status=SUCCEEDED', { headers: bearer })).json()) as {
      runs: unknown[]
    }
    expect(running.runs).toHaveLength(0)
  })

  it('lists child runs only under ?parent=, each naming its parent', async () => {
    const { app, engine } = setupFake()
    const { run: parent } = await engine.start({ workflow: 'backup', input: {} })
    const { run: child } = await engine.start({ workflow: 'backup', input: { item: 0 } })
    engine.runs.get(child.id)!.parentId = parent.id
    const list = async (query: string) =>
      (
        (await (await app.request(`/runs${query}`, { headers: bearer })).json()) as {
          runs: { id: string; parentId?: string }[]
        }
      ).runs

    expect((await list('')).map((r) => r.id)).toEqual([parent.id])
    expect(await list(`?parent=${parent.id}`)).toEqual([expect.objectContaining({ id: child.id, parentId: parent.id })])
    expect(await list(`?parent=${child.id}`)).toEqual([])
  })

  it.each([
    ['status=DONE', 'status'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=101', 'limit'],
    ['cursor=%3F%3F', 'cursor'],
  ])('answers 400 for GET /runs?%s naming %s', async (query, field) => {
    const { app } = setup()
    const response = await app.request(`/runs?${query}`, { headers: bearer })
    expect(response.status).toBe(400)
    expect((await problem(response)).field).toBe(field)
  })

  it('answers 404 for an unknown run', async () => {
    const { app } = setup()
    expect((await app.request('/runs/run-missing', { headers: bearer })).status).toBe(404)
    expect((await app.request('/runs/run-missing/cancel', { method: 'POST', headers: bearer })).status).toBe(404)
  })

  it('cancels a running run (202) and refuses to cancel a finished one (409)', async () => {
    const { app, engine } = setup()
    const { run } = await engine.start({ workflow: 'backup', input: {} })
    const cancelled = await app.request(`/runs/${run.id}/cancel`, { method: 'POST', headers: bearer })
    expect(cancelled.status).toBe(202)
    expect(((await cancelled.json()) as { status: string }).status).toBe('ABORTED')
    const again = await app.request(`/runs/${run.id}/cancel`, { method: 'POST', headers: bearer })
    expect(again.status).toBe(409)
    expect((await problem(again)).code).toBe('run-finished')
  })

  it('answers an unexpected failure with 500 and a requestId, logging the cause but sending neither stack nor message', async () => {
    const logs: string[] = []
    const { app, engine } = setupFake({ logs })
    engine.failNext = { method: 'get', error: new Error('connection refused to postgres://admin:hunter2@db') }
    const response = await app.request('/runs/run-1', { headers: bearer })
    expect(response.status).toBe(500)
    const body = await problem(response)
    expect(JSON.stringify(body)).not.toContain('hunter2')
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(logs.join('\n')).toContain(String(body.requestId))
  })

  it('answers unknown routes with a 404 problem', async () => {
    const { app } = setup()
    const response = await app.request('/nowhere')
    expect(response.status).toBe(404)
    expect((await problem(response)).code).toBe('no-route')
  })

  it('GET /runs/:id sends the history a page at a time (historyAfter, historyLimit ≤ 1,000), with historyNext while there is more', async () => {
    const engine = createEngine({ store: createMemoryStore(), workflows: { loop: passChain(1_500) } })
    const { run } = await engine.start({ workflow: 'loop', input: {} })
    await engine.runToEnd(run.id)
    const app = createHttpApp({ engine, webhookSecrets: [SECRET], apiToken: TOKEN })
    const page = async (query: string) =>
      (await app.request(`/runs/${run.id}${query}`, { headers: bearer })).json() as Promise<{
        history: { seq: number }[]
        historyNext?: number
        status: string
      }>

    const first = await page('')
    const second = await page(`?historyAfter=${first.historyNext}`)
    const small = await page('?historyAfter=10&historyLimit=5')

    expect(first.status).toBe('SUCCEEDED')
    expect(first.history.map((event) => event.seq)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1))
    expect(first.historyNext).toBe(1_000)
    expect(second.history.map((event) => event.seq)).toEqual(
      Array.from({ length: 3_002 - 1_000 }, (_, i) => i + 1_001).slice(0, 1_000),
    )
    expect(small).toMatchObject({
      history: [{ seq: 11 }, { seq: 12 }, { seq: 13 }, { seq: 14 }, { seq: 15 }],
      historyNext: 15,
    })
    const last = await page('?historyAfter=3000')
    expect(last.history.map((event) => event.seq)).toEqual([3_001, 3_002])
    expect(last.historyNext).toBeUndefined()
    for (const bad of ['?historyLimit=0', '?historyLimit=1001', '?historyAfter=-1', '?historyAfter=x']) {
      expect((await app.request(`/runs/${run.id}${bad}`, { headers: bearer })).status, bad).toBe(400)
    }
  })
})

describe('input schemas, with the real engine', () => {
  const EIP_BIND_EXAMPLE = (
    SHIPPED_WORKFLOWS.find((workflow) => workflow.name === 'eip-bind')!.inputSchema as { examples: object[] }
  ).examples[0]!
  const PASS = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as WorkflowDefinition
  const inputSchema = {
    type: 'object',
    required: ['regionID'],
    additionalProperties: false,
    $defs: { id: { type: 'string', pattern: '^[a-z0-9-]+$' } },
    properties: {
      regionID: { $ref: '#/$defs/id' },
      disks: { anyOf: [{ enum: ['all'] }, { type: 'array', items: { $ref: '#/$defs/id' }, minItems: 1 }] },
    },
  }

  function realApp(workflows: LoadedWorkflow[], logs: string[] = []) {
    const store = createMemoryStore()
    const engine = assembleEngine({ store, validate: validateWorkflow, workflows })
    const app = createHttpApp({
      engine,
      webhookSecrets: [SECRET],
      apiToken: TOKEN,
      now: () => NOW,
      log: (line) => logs.push(line),
    })
    return { app, store }
  }

  it.each([
    [
      'a prototype name as an extra field',
      '{"regionID":"r-1","__proto__":{"admin":true}}',
      'input/__proto__',
      /\/__proto__ is not a known field/,
    ],
    [
      'a value no anyOf alternative takes',
      '{"regionID":"r-1","disks":"some"}',
      'input/disks',
      /\/disks must match at least one of the allowed shapes \(anyOf\)/,
    ],
    [
      'a pattern reached through $ref',
      '{"regionID":"R 1"}',
      'input/regionID',
      /\/regionID must match \^\[a-z0-9-\]\+\$/,
    ],
  ])('answers a signed webhook carrying %s with 400 naming the field; no run', async (_name, body, field, detail) => {
    const { app, store } = realApp([{ name: 'closed', definition: PASS, inputSchema }])
    const response = await hook(app, { workflow: 'closed', body })
    expect(response.status).toBe(400)
    expect(await problem(response)).toMatchObject({
      code: 'invalid-field',
      field,
      detail: expect.stringMatching(detail),
    })
    expect((await store.list({})).runs).toEqual([])
  })

  // Minimal cases app.fuzz.test.ts shrank to: a lone-surrogate field name made the validator throw (500), and a
  // shipped example with an own "__proto__" field started a run past additionalProperties: false.
  it.each([
    ['a signed webhook', '/hooks/eip-bind', '{"\\udfff":""}', 'input'],
    ['POST /runs', '/runs', '{"workflow":"eip-bind","input":{"\\ud800":0}}', 'input'],
    [
      'a signed webhook',
      '/hooks/eip-bind',
      `{"__proto__":{},${JSON.stringify(EIP_BIND_EXAMPLE).slice(1)}`,
      'input/__proto__',
    ],
  ])('answers %s with a generated hostile input (%s %s) with 400 naming the field', async (_via, path, body, field) => {
    const { app, store } = realApp(SHIPPED_WORKFLOWS.map((workflow) => ({ ...workflow, definition: PASS })))
    const response = path.startsWith('/hooks/')
      ? await hook(app, { workflow: 'eip-bind', body })
      : await app.request(path, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body })
    expect(response.status).toBe(400)
    expect(await problem(response)).toMatchObject({ code: 'invalid-field', field })
    expect((await store.list({})).runs).toEqual([])
  })

  it('answers POST /runs with input its schema refuses with 400 naming the field', async () => {
    const { app } = realApp([{ name: 'closed', definition: PASS, inputSchema }])
    const response = await app.request('/runs', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: '{"workflow":"closed","input":{"regionID":"r-1","disks":[],"constructor":1}}',
    })
    expect(response.status).toBe(400)
    expect(await problem(response)).toMatchObject({
      field: 'input/disks',
      detail: expect.stringMatching(/\/constructor is not a known field/),
    })
  })

  it('answers 500 (logged, nothing said to the caller) when the workflow’s own schema cannot be applied', async () => {
    const logs: string[] = []
    const { app } = realApp(
      [{ name: 'broken', definition: PASS, inputSchema: { properties: { a: { $ref: '#/$defs/a' } } } }],
      logs,
    )
    const response = await hook(app, { workflow: 'broken', body: '{"a":1}' })
    expect(response.status).toBe(500)
    expect((await problem(response)).detail).not.toMatch(/\$ref|schema/)
    expect(logs.join('\n')).toMatch(/WorkflowError: [\s\S]*broken\.schema\.json#\/properties\/a\/\$ref/)
  })
})

describe('run ids, with the real engine on the file store', () => {
  it('answers 404, not 500, for a run id too long to be a file name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctflow-app-file-'))
    try {
      const engine = assembleEngine({ store: createFileStore(dir), validate: validateWorkflow, workflows: {} })
      const app = createHttpApp({ engine, webhookSecrets: [SECRET], apiToken: TOKEN, log: () => {} })
      const id = encodeURIComponent('%'.repeat(200)) // 200 characters, 600 once encoded for the file name
      for (const [method, path] of [
        ['GET', `/runs/${id}`],
        ['POST', `/runs/${id}/cancel`],
      ] as const) {
        const response = await app.request(path, { method, headers: bearer })
        expect(response.status, `${method} ${path.slice(0, 12)}…`).toBe(404)
        expect((await problem(response)).code).toBe('unknown-run')
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

/** A chain of Pass states: 2 history events each, plus start and end. */
function passChain(length: number): WorkflowDefinition {
  const States: WorkflowDefinition['States'] = {}
  for (let i = 0; i < length; i++)
    States[`S${i}`] = i === length - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `S${i + 1}` }
  return { StartAt: 'S0', States }
}
