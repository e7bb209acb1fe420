/**
 * Issue 14 point 7, end to end: the Lambda `scheduled` handler, built as functions/aws-lambda.ts builds it (config from
 * the environment, lib/log's logging, openEngine's engine and client), runs the shipped `inventory` job against the
 * simulator over real HTTP, with the region list failing twice (one retry of the client's, then one of the workflow's
 * Retry). Every line it writes is checked.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { loadFunctionsConfig, loadLogConfig } from '../../lib/config'
import { createLogging } from '../../lib/log'
import { startSimulator } from '../../lib/simulator/server'
import { createLambdaHandlers } from '../../functions/lambda-handlers'
import { openEngine } from '../../functions/open-engine'
import { createFunctionsRuntime } from '../../functions/runtime'
import { lambdaContext, scheduledEvent } from '../../functions/testing/lambda-events'

const API_TOKEN = 'structured-logs-api-token-0123456789'
const WEBHOOK_SECRET = 'whsec_c3RydWN0dXJlZC1sb2dzLXdlYmhvb2stc2VjcmV0'
const REQUEST_ID = 'aws-req-structured-logs'

interface Line {
  level: string
  time: string
  msg: string
  [field: string]: unknown
}

let closeSim: (() => Promise<void>) | undefined
afterEach(async () => {
  await closeSim?.()
  closeSim = undefined
})

async function runInventory(level?: string) {
  const sim = await startSimulator({ port: 0, faults: { 'regions.list': { serverErrorRate: 1, times: 2 } } })
  closeSim = () => sim.close()
  const env: Record<string, string | undefined> = {
    CTYUN_AK: sim.credentials.accessKey,
    CTYUN_SK: sim.credentials.secretKey,
    CTYUN_ENDPOINT: sim.url,
    CTYUN_RETRIES: '1',
    CTFLOW_STORE: 'memory',
    CTFLOW_API_TOKEN: API_TOKEN,
    CTFLOW_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ...(level ? { CTFLOW_LOG_LEVEL: level } : {}),
  }
  const written: string[] = []
  const logging = createLogging(loadLogConfig(env), { write: (line) => written.push(line) })
  const { scheduled } = createLambdaHandlers(
    () =>
      createFunctionsRuntime(loadFunctionsConfig(env), {
        openEngine: (config) => openEngine(config, { logging }),
        log: (line) => logging.logger.error(line),
      }),
    logging,
  )
  const result = await scheduled(
    scheduledEvent({ workflow: 'inventory', input: {} }),
    lambdaContext({ remainingMs: 120_000, requestId: REQUEST_ID }),
  )
  const secrets = [sim.credentials.accessKey, sim.credentials.secretKey, API_TOKEN, WEBHOOK_SECRET]
  return { result, written, lines: written.map((text) => JSON.parse(text) as Line), secrets }
}

describe('structured logs of a run on the simulator (Lambda scheduled handler)', () => {
  it('writes one JSON object per line: run start and end, each Task call and each retry, with their fields', async () => {
    const { result, written, lines, secrets } = await runInventory()
    expect(result.status).toBe('SUCCEEDED')

    for (const line of lines) {
      expect(Object.keys(line).slice(0, 3)).toEqual(['level', 'time', 'msg'])
      expect(['info', 'warn', 'error']).toContain(line.level) // default level: info, no debug lines
      expect(new Date(line.time).toISOString()).toBe(line.time)
      expect(line.awsRequestId).toBe(REQUEST_ID) // the invocation's request id on every line
    }
    const ofRun = (msg: string) => lines.filter((line) => line.msg === msg && line.runId === result.runId)
    expect(ofRun('run started')).toMatchObject([{ level: 'info', workflow: 'inventory' }])
    expect(ofRun('run ended')).toMatchObject([{ level: 'info', workflow: 'inventory', status: 'SUCCEEDED' }])
    expect(ofRun('run ended')[0]!.durationMs).toEqual(expect.any(Number))

    // ListRegions: the first attempt fails after the client's own retry, the workflow's Retry makes a second.
    const listCalls = ofRun('task call').filter((line) => line.state === 'ListRegions')
    expect(listCalls).toMatchObject([
      {
        level: 'warn',
        workflow: 'inventory',
        operation: 'ctyun:regions:listRegions',
        outcome: 'failed',
        errorCode: 'Ctyun.ServerError',
        attempt: 0,
        retries: 0,
      },
      { level: 'info', operation: 'ctyun:regions:listRegions', outcome: 'succeeded', attempt: 1, retries: 1 },
    ])
    for (const call of ofRun('task call')) {
      expect(call.durationMs).toEqual(expect.any(Number))
      expect(call.ctyunRequestId).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(new Set(listCalls.map((call) => call.ctyunRequestId)).size).toBe(2)
    expect(ofRun('retry scheduled')).toMatchObject([
      { level: 'warn', state: 'ListRegions', errorCode: 'Ctyun.ServerError', attempt: 1 },
    ])
    expect(ofRun('retry scheduled')[0]!.delayMs).toEqual(expect.any(Number))
    // The client's own retry of the first 503: one line, in the Task call's scope (run, state, attempt), naming the
    // HTTP attempt it is about to make.
    expect(lines.filter((line) => line.msg === 'ctyun call retried')).toMatchObject([
      {
        level: 'warn',
        runId: result.runId,
        state: 'ListRegions',
        attempt: 0,
        nextHttpAttempt: 2,
        errorCode: expect.any(String),
      },
    ])
    expect(ofRun('task call').length).toBeGreaterThan(2) // the per-region lists too

    for (const text of written) for (const secret of secrets) expect(text).not.toContain(secret)
  }, 60_000)

  it('with CTFLOW_LOG_LEVEL=debug adds each CTyun request, and the Task call names the request id it sent last', async () => {
    const { result, written, lines, secrets } = await runInventory('debug')
    expect(result.status).toBe('SUCCEEDED')
    const requests = lines.filter((line) => line.msg === 'ctyun request')
    expect(requests.length).toBeGreaterThan(3)
    for (const request of requests) {
      expect(request).toMatchObject({ level: 'debug', runId: result.runId, awsRequestId: REQUEST_ID })
      expect(request.ctyunRequestId).toMatch(/^[0-9a-f-]{36}$/)
    }
    // Each Task call line names the id of the last request made inside it (same state and attempt).
    for (const call of lines.filter((line) => line.msg === 'task call' && line.state === 'ListRegions')) {
      const sent = requests.filter((r) => r.state === call.state && r.attempt === call.attempt)
      expect(call.ctyunRequestId).toBe(sent.at(-1)!.ctyunRequestId)
    }
    for (const text of written) for (const secret of secrets) expect(text).not.toContain(secret)
  }, 60_000)
})
