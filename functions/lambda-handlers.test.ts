import { describe, expect, it } from 'vitest'
import { loadFunctionsConfig } from '../lib/config/functions-config'
import { createLogging } from '../lib/log'
import { signWebhook } from './http/webhook-signature'
import { advanceBriefly, createLambdaHandlers } from './lambda-handlers'
import { createFunctionsRuntime } from './runtime'
import { createFakeEngine, type FakeEngine } from './testing/fake-engine'
import { apiGatewayV2Event, lambdaContext, scheduledEvent } from './testing/lambda-events'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const TOKEN = 'lambda-handler-test-token'

function handlers(engine: FakeEngine, builds: { count: number; failFirst?: boolean } = { count: 0 }) {
  const logs: string[] = []
  const logging = createLogging({ level: 'info', secrets: [] }, { write: (line) => logs.push(line) })
  const config = loadFunctionsConfig({ CTFLOW_STORE: 'memory', CTFLOW_API_TOKEN: TOKEN, CTFLOW_WEBHOOK_SECRET: SECRET })
  const built = createLambdaHandlers(async () => {
    builds.count++
    if (builds.failFirst && builds.count === 1) throw new Error('database is down')
    return createFunctionsRuntime(config, {
      openEngine: async () => ({ engine, close: async () => {} }),
      onRunCreated: advanceBriefly,
      log: (line) => logging.logger.error(line),
    })
  }, logging)
  return { ...built, logs }
}

describe('Lambda handlers', () => {
  it('answers an API Gateway v2 event through hono/aws-lambda', async () => {
    const { http } = handlers(createFakeEngine())
    const reply = await http(apiGatewayV2Event({ path: '/healthz' }), lambdaContext())
    expect(reply).toMatchObject({ statusCode: 200, body: '{"ok":true}' })
    const denied = await http(apiGatewayV2Event({ path: '/runs' }), lambdaContext())
    expect(denied.statusCode).toBe(401)
    expect(denied.headers?.['content-type']).toBe('application/problem+json')
  })

  it('starts a run from a signed webhook and advances it within the invocation before replying 202', async () => {
    const engine = createFakeEngine()
    const { http } = handlers(engine)
    const body = '{"disks":["d-1"]}'
    const timestamp = Math.floor(Date.now() / 1000)
    const event = apiGatewayV2Event({
      method: 'POST',
      path: '/hooks/backup',
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_9',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': await signWebhook(SECRET, 'msg_9', timestamp, body),
      },
    })
    const reply = await http(event, lambdaContext({ remainingMs: 20_000 }))
    expect(reply.statusCode).toBe(202)
    const { runId } = JSON.parse(reply.body) as { runId: string }
    expect(reply.headers?.location).toBe(`/runs/${runId}`)
    expect(engine.runs.get(runId)?.status).toBe('SUCCEEDED')
  })

  it('does not advance in the HTTP invocation when too little time is left; the worker will', async () => {
    const engine = createFakeEngine()
    const { http } = handlers(engine)
    const reply = await http(
      apiGatewayV2Event({
        method: 'POST',
        path: '/runs',
        body: '{"workflow":"backup"}',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      }),
      lambdaContext({ remainingMs: 1_000 }),
    )
    expect(reply.statusCode).toBe(202)
    expect(engine.runs.get((JSON.parse(reply.body) as { runId: string }).runId)?.status).toBe('RUNNING')
  })

  it('answers a scheduled event and a worker tick, logging one JSON line each', async () => {
    const engine = createFakeEngine({ stepsToFinish: 1 })
    const { scheduled, worker, logs } = handlers(engine)
    const result = await scheduled(
      scheduledEvent({ workflow: 'backup', input: { a: 1 } }),
      lambdaContext({ requestId: 'aws-1' }),
    )
    expect(result).toMatchObject({ workflow: 'backup', created: true, status: 'RUNNING' })
    expect(await worker(scheduledEvent({}), lambdaContext())).toEqual({ advanced: 1 })
    expect(engine.runs.get(result.runId)?.status).toBe('SUCCEEDED')
    expect(logs.map((line) => JSON.parse(line))).toMatchObject([
      { level: 'info', msg: 'ctflow scheduled', runId: result.runId, workflow: 'backup', awsRequestId: 'aws-1' },
      { level: 'info', msg: 'ctflow worker', advanced: 1 },
    ])
  })

  it("puts the invocation's request id on every line it writes, and logs a failed setup as one JSON line", async () => {
    const { http, logs } = handlers(createFakeEngine(), { count: 0, failFirst: true })
    await expect(http(apiGatewayV2Event(), lambdaContext({ requestId: 'aws-7' }))).rejects.toThrow('database is down')
    expect(logs.map((line) => JSON.parse(line))).toMatchObject([
      { level: 'error', msg: 'setup failed', awsRequestId: 'aws-7', errorCode: 'Error', cause: 'database is down' },
    ])
  })

  it('builds the runtime once per container, and again after a failed build', async () => {
    const builds = { count: 0, failFirst: true }
    const { http } = handlers(createFakeEngine(), builds)
    await expect(http(apiGatewayV2Event(), lambdaContext())).rejects.toThrow('database is down')
    await http(apiGatewayV2Event(), lambdaContext())
    await http(apiGatewayV2Event(), lambdaContext())
    expect(builds.count).toBe(2)
  })
})

describe('Lambda handlers given another platform’s invocation', () => {
  it('refuse an SCF timer with an SCF context before starting anything, naming AWS Lambda', async () => {
    const engine = createFakeEngine()
    const { scheduled, http } = handlers(engine)
    const scfTimer = { Type: 'Timer', TriggerName: 't', Time: '2026-12-05T18:00:00Z', Message: '{"workflow":"backup"}' }
    const scfContext = { request_id: 'r', time_limit_in_ms: 3000 } as never
    await expect(scheduled(scfTimer, scfContext)).rejects.toThrow(/^AWS Lambda: expected a Lambda context/)
    await expect(http({ Type: 'Timer' } as never, lambdaContext())).rejects.toThrow(
      /^AWS Lambda: expected an API Gateway event/,
    )
    expect(engine.runs.size).toBe(0)
  })
})
