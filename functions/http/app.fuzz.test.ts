import fc from 'fast-check'
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assembleEngine } from '../../lib/engine/assemble-engine'
import type { Engine } from '../../lib/engine'
import type { WorkflowDefinition } from '../../lib/engine/interpreter/definition'
import { createFileStore } from '../../lib/engine/stores/file-store'
import { createMemoryStore } from '../../lib/engine/stores/memory-store'
import { validateWorkflow } from '../../lib/engine/validate'
import type { LoadedWorkflow } from '../../lib/engine/workflows'
import { SHIPPED_WORKFLOWS } from '../../workflows/shipped'
import { createHttpApp } from './app'

// Generated requests against the in-process app and the real engine: whatever arrives, the answer is a 2xx or a
// 4xx problem, never a 5xx, a crash or an unhandled rejection. Seeded (a failure replays with the same seed and
// shrinks to a small case, which then becomes a test in app.test.ts) and bounded in runs and time.
const SEED = 20_261_204
const RUNS = 1_000
const TIME_LIMIT_MS = 10_000

const SECRET_BYTES = Buffer.from('fuzzing-secret-of-32-bytes-long!')
const SECRET = `whsec_${SECRET_BYTES.toString('base64')}`
const TOKEN = 'fuzz-api-token-0123456789abcdef'
const NOW = 1_750_000_000_000
const PASS = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as WorkflowDefinition

// The shipped schemas on a Pass state (no cloud needed: runs are started, never advanced), plus one schema using
// what the shipped ones do not ($ref, anyOf, pattern) and one workflow without a schema.
const WORKFLOWS: LoadedWorkflow[] = [
  ...SHIPPED_WORKFLOWS.map((workflow) => ({
    name: workflow.name,
    definition: PASS,
    inputSchema: workflow.inputSchema,
  })),
  {
    name: 'closed',
    definition: PASS,
    inputSchema: {
      type: 'object',
      required: ['regionID'],
      additionalProperties: false,
      $defs: { id: { type: 'string', pattern: '^[a-z0-9-]+$' } },
      properties: {
        regionID: { $ref: '#/$defs/id' },
        disks: { anyOf: [{ enum: ['all'] }, { type: 'array', items: { $ref: '#/$defs/id' } }] },
      },
    },
  },
  { name: 'open', definition: PASS },
]
const EXAMPLES = SHIPPED_WORKFLOWS.flatMap(
  (workflow) => (workflow.inputSchema as { examples?: unknown[] }).examples ?? [],
)

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)
beforeAll(() => void process.on('unhandledRejection', onUnhandled))
afterAll(() => void process.off('unhandledRejection', onUnhandled))

function setup(store = createMemoryStore()) {
  const logs: string[] = []
  const engine = assembleEngine({ store, validate: validateWorkflow, workflows: WORKFLOWS })
  const app = createHttpApp({
    engine,
    webhookSecrets: [SECRET],
    apiToken: TOKEN,
    now: () => NOW,
    log: (line) => logs.push(line),
  })
  return { app, logs, engine }
}

// --- arbitraries ------------------------------------------------------------------------------------------------

// JSON text rather than values: JSON.parse makes `__proto__` an own key and keeps `\ud800` lone, as a client can.
const keyText = fc.oneof(
  fc.constantFrom(
    '"__proto__"',
    '"constructor"',
    '"toString"',
    '"valueOf"',
    '"hasOwnProperty"',
    '""',
    '"\\ud800"',
    '"\\udfff"',
    '"a/b~0"',
    '"regionID"',
    '"disks"',
    '"label"',
    '"retention"',
    '"$ref"',
  ),
  fc.string({ maxLength: 8 }).map((key) => JSON.stringify(key)),
)
const leafText = fc.oneof(
  fc.constantFrom(
    'null',
    'true',
    'false',
    '0',
    '-0',
    '1e400',
    '-1e400',
    '1.5',
    '12345678901234567890',
    '"\\ud800"',
    '"\\u0000"',
    '""',
    '"all"',
    '"cn-east-1"',
  ),
  fc.jsonValue({ maxDepth: 0 }).map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 12 }).map((text) => JSON.stringify(text)),
)
const { value: jsonText } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafText, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  object: fc
    .array(fc.tuple(keyText, tie('value')), { maxLength: 5 })
    .map((entries) => `{${entries.map(([key, value]) => `${key}:${value}`).join(',')}}`),
}))
const deepText = fc
  .tuple(
    fc.integer({ min: 1, max: 60_000 }),
    fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"regionID":"r","disks":', '}']),
  )
  .map(([depth, [open, close]]) => `${open!.repeat(depth)}${open === '[' ? '' : '1'}${close!.repeat(depth)}`)
const exampleText = fc
  .constantFrom(...EXAMPLES)
  .chain((example) =>
    fc.constantFrom(JSON.stringify(example), JSON.stringify(example).replace(/^\{/, '{"__proto__":{},')),
  )
const bodyText = fc.oneof(
  { arbitrary: jsonText, weight: 6 },
  { arbitrary: exampleText, weight: 2 },
  { arbitrary: deepText, weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.constant(`{"x":"${'y'.repeat(300_000)}"}`), weight: 1 }, // over the 256 KiB body limit
)
const body = fc.oneof(
  { arbitrary: bodyText.map((text) => new TextEncoder().encode(text)), weight: 9 },
  { arbitrary: fc.uint8Array({ maxLength: 64 }), weight: 1 },
)

const headerChar = fc
  .oneof(
    { arbitrary: fc.integer({ min: 0x20, max: 0x7e }), weight: 9 },
    { arbitrary: fc.integer({ min: 0x80, max: 0xff }), weight: 1 },
  )
  .map((code) => String.fromCharCode(code))
const headerValue = fc.string({ unit: headerChar, maxLength: 300 })
const contentType = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/cloudevents+json',
      'APPLICATION/JSON',
    ),
    weight: 8,
  },
  {
    arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', '', ';', 'application/json;;'),
    weight: 1,
  },
  { arbitrary: headerValue, weight: 1 },
)
const extraHeaders = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'idempotency-key',
      'user-agent',
      'x-forwarded-for',
      'accept',
      'content-encoding',
      'authorization',
      'webhook-id',
    ),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
  ),
  headerValue,
  { maxKeys: 4 },
)
const workflowSegment = fc.oneof(
  { arbitrary: fc.constantFrom(...WORKFLOWS.map((workflow) => workflow.name)), weight: 6 },
  { arbitrary: fc.constantFrom('%', '%ZZ', '..', '%2F', '%00', 'ghost', encodeURIComponent('\u{1F600}')), weight: 1 },
  { arbitrary: fc.string({ maxLength: 20 }).map(encodeURIComponent), weight: 1 },
)

function sign(id: string, timestamp: string, bytes: Uint8Array): string {
  const mac = createHmac('sha256', SECRET_BYTES).update(`${id}.${timestamp}.`).update(bytes).digest('base64')
  return `v1,${mac}`
}

// --- what every answer must look like --------------------------------------------------------------------------

async function expectWellFormed(response: Response, logs: string[]): Promise<void> {
  const text = await response.text()
  const logged = logs.splice(0) // emptied first: each generated case (shrunk ones too) stands alone
  expect(response.status, text.slice(0, 300)).toBeLessThan(500)
  expect(logged, 'a server-side error was logged').toEqual([])
  if (response.status === 202) {
    expect(JSON.parse(text)).toMatchObject({
      runId: expect.any(String),
      status: 'RUNNING',
      created: expect.any(Boolean),
      location: expect.stringMatching(/^\/runs\//),
    })
    return
  }
  expect(response.status).toBeGreaterThanOrEqual(200)
  if (response.status < 400) return
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const problem = JSON.parse(text) as Record<string, unknown>
  expect(problem).toMatchObject({
    type: 'about:blank',
    title: expect.any(String),
    status: response.status,
    code: expect.any(String),
    detail: expect.any(String),
  })
  expect(text).not.toMatch(/\n\s+at |whsec_|fuzz-api-token/)
}

/**
 * An oracle independent of the validator, for the top level of a closed schema: a run it let start has every
 * required field as an own property and no field its schema does not list (however the field is named).
 */
async function expectInputAllowed(engine: Engine, response: Response): Promise<void> {
  if (response.status !== 202) return
  const run = await engine.get(((await response.clone().json()) as { runId: string }).runId)
  const schema = WORKFLOWS.find((workflow) => workflow.name === run!.workflow)?.inputSchema as
    | { additionalProperties?: unknown; properties?: object; required?: string[] }
    | undefined
  const input = run!.input as Record<string, unknown>
  if (schema === undefined || typeof input !== 'object' || input === null || Array.isArray(input)) return
  for (const name of schema.required ?? []) expect(Object.hasOwn(input, name), `required ${name}`).toBe(true)
  if (schema.additionalProperties === false)
    expect(Object.keys(input).filter((name) => !Object.hasOwn(schema.properties ?? {}, name))).toEqual([])
}

const parameters = { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS } as const

describe('fuzzing the HTTP app (seeded, bounded)', () => {
  it('POST /hooks/:workflow: generated headers and bodies, signed and unsigned, answer 2xx or a 4xx problem', async () => {
    const { app, logs, engine } = setup()
    const request = fc.record({
      workflow: workflowSegment,
      body,
      signed: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
      id: fc.oneof(fc.constant('msg_1'), fc.string({ unit: headerChar, minLength: 1, maxLength: 300 })),
      skew: fc.oneof(
        { arbitrary: fc.constant(0), weight: 4 },
        { arbitrary: fc.integer({ min: -400, max: 400 }), weight: 1 },
      ),
      garbageTimestamp: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 8 },
        { arbitrary: headerValue, weight: 1 },
      ),
      extraSignatures: fc.array(headerValue, { maxLength: 2 }),
      contentType,
      headers: extraHeaders,
    })
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const timestamp = r.garbageTimestamp ?? String(NOW / 1000 + r.skew)
        const signature = r.signed
          ? [sign(r.id, timestamp, r.body), ...r.extraSignatures].join(' ')
          : r.extraSignatures.join(' ')
        const headers = new Headers(r.headers)
        headers.set('content-type', r.contentType)
        headers.set('webhook-id', r.id)
        headers.set('webhook-timestamp', timestamp)
        if (signature.trim()) headers.set('webhook-signature', signature)
        const response = await app.request(`/hooks/${r.workflow}`, { method: 'POST', headers, body: r.body })
        await expectInputAllowed(engine, response)
        await expectWellFormed(response, logs)
      }),
      parameters,
    )
    expect(unhandled).toEqual([])
  }, 60_000)

  it('POST /runs: generated JSON bodies and headers answer 2xx or a 4xx problem', async () => {
    const { app, logs, engine } = setup()
    const runBody = fc.oneof(
      {
        arbitrary: fc
          .tuple(
            workflowSegment.map((name) => JSON.stringify(decodeURIComponentSafe(name))),
            bodyText,
          )
          .map(([workflow, input]) => `{"workflow":${workflow},"input":${input}}`),
        weight: 6,
      },
      {
        arbitrary: fc
          .tuple(workflowSegment, bodyText)
          .map(
            ([workflow, input]) =>
              `{"input":${input},"workflow":${JSON.stringify(workflow)},"__proto__":{"workflow":"open"}}`,
          ),
        weight: 1,
      },
      { arbitrary: bodyText, weight: 2 },
    )
    const request = fc.record({
      body: runBody,
      authorization: fc.oneof(
        { arbitrary: fc.constant(`Bearer ${TOKEN}`), weight: 8 },
        { arbitrary: headerValue, weight: 1 },
        { arbitrary: fc.constant(`bearer   ${TOKEN}  `), weight: 1 },
      ),
      idempotencyKey: fc.oneof(fc.constant(undefined), fc.constant('key-1'), headerValue),
      contentType,
      headers: extraHeaders,
    })
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers = new Headers(r.headers)
        headers.set('content-type', r.contentType)
        headers.set('authorization', r.authorization)
        if (r.idempotencyKey !== undefined) headers.set('idempotency-key', r.idempotencyKey)
        const response = await app.request('/runs', { method: 'POST', headers, body: r.body })
        await expectInputAllowed(engine, response)
        await expectWellFormed(response, logs)
      }),
      parameters,
    )
    expect(unhandled).toEqual([])
  }, 60_000)

  it('GET /runs/:id and POST /runs/:id/cancel on the file store: generated ids answer 404, never a 5xx', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctflow-fuzz-'))
    try {
      const { app, logs } = setup(createFileStore(dir))
      // A bare `.` or `..` (even as %2E) is a dot segment that URL parsing resolves away: no request can carry it.
      const id = fc
        .oneof(
          fc.string({ unit: 'binary', minLength: 1, maxLength: 250, size: 'max' }),
          fc.string({
            unit: fc.constantFrom('%', '.', '/', '~', '天', 'a'),
            minLength: 1,
            maxLength: 250,
            size: 'max',
          }),
        )
        .filter((runId) => runId !== '.' && runId !== '..')
      await fc.assert(
        fc.asyncProperty(id, fc.boolean(), async (runId, cancel) => {
          const path = `/runs/${encodeURIComponent(runId)}${cancel ? '/cancel' : ''}`
          const response = await app.request(path, {
            method: cancel ? 'POST' : 'GET',
            headers: { authorization: `Bearer ${TOKEN}` },
          })
          const status = response.status
          await expectWellFormed(response, logs)
          expect(status).toBe(404)
        }),
        parameters,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(unhandled).toEqual([])
  }, 60_000)
})

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
