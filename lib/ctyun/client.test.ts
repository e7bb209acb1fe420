import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createCtyunClient } from './client'
import type { CtyunClientOptions } from './client'
import { nodeEopCrypto, webEopCrypto } from './crypto'
import { eopAuthorization, eopStringToSign, toBase64, deriveSigningKey } from './eop-signer'
import { CtyunApiError, CtyunConfigError, CtyunHttpError, CtyunNetworkError, CtyunTimeoutError } from './errors'
import type { CtyunLogEvent } from './transport'
import { resolveCtyunConfig } from '../config/ctyun-config'
import { OFFICIAL_SDK_USER_AGENT } from './transport'
import { createPacer } from './pacer'
import type { RecordedRequest, TestServer } from './testing/test-server'
import { fail, ok, startTestServer } from './testing/test-server'

const AK = 'test-ak-0123456789abcdef0123456789'
const SK = 'test-sk-SECRET-fedcba9876543210fedc'
const crypto = nodeEopCrypto()!

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())
afterEach(() => {
  server.requests.length = 0
  server.reply(() => ok())
})

const allAt = (url: string) => ({ ecs: url, ebs: url, image: url, vpc: url, cbr: url, cda: url })

/** A client against the test server with captured delays (no sleeping) and captured logs. */
function harness(options: Partial<CtyunClientOptions> = {}) {
  const delays: number[] = []
  const logs: CtyunLogEvent[] = []
  let clock = 0
  const client = createCtyunClient({
    credentials: { accessKey: AK, secretKey: SK },
    endpoints: allAt(server.url),
    log: (event) => logs.push(event),
    retryHooks: {
      random: () => 0.5,
      now: () => clock,
      sleep: async (ms) => {
        delays.push(ms)
        clock += ms
      },
    },
    ...options,
  })
  return { client, delays, logs }
}

/** Recomputes the signature from what arrived on the wire, as a gateway would. */
function verifySignature(request: RecordedRequest): boolean {
  const date = request.headers['eop-date']!
  const requestId = request.headers['ctyun-eop-request-id']!
  const bodyHash = crypto.sha256Hex(request.body)
  const stringToSign = eopStringToSign({ requestId, date, query: request.rawQuery, bodyHash })
  const key = deriveSigningKey(crypto, { accessKey: AK, secretKey: SK }, date)
  return request.headers['eop-authorization'] === eopAuthorization(AK, toBase64(crypto.hmacSha256(key, stringToSign)))
}

describe('createCtyunClient: signed requests', () => {
  it('sends a GET with the canonical query, signed headers and the official SDK User-Agent, without Content-Type', async () => {
    const { client } = harness()
    server.reply(() => ok({ diskList: [] }))
    const result = await client.call({
      service: 'ebs',
      method: 'GET',
      path: '/v4/ebs/list-ebs',
      query: { regionID: 'r1', pageNo: 1, queryContent: 'a b/中' },
    })
    expect(result).toMatchObject({ kind: 'ok', returnObj: { diskList: [] }, attempts: 1 })
    const [request] = server.requests
    expect(request!.rawQuery).toBe('pageNo=1&queryContent=a+b%2F%E4%B8%AD&regionID=r1')
    expect(request!.headers['user-agent']).toBe(OFFICIAL_SDK_USER_AGENT)
    expect(request!.headers['content-type']).toBeUndefined()
    expect(request!.headers['eop-date']).toMatch(/^\d{8}T\d{6}Z$/)
    expect(result.requestId).toBe(request!.headers['ctyun-eop-request-id'])
    expect(verifySignature(request!)).toBe(true)
  })

  it('signs exactly the body bytes it sends (Unicode included) and sets Content-Type for JSON', async () => {
    const { client } = harness()
    await client.call({ service: 'ebs', method: 'POST', path: '/v4/x', body: { snapshotName: '快照-ü', n: 1 } })
    const [request] = server.requests
    expect(request!.body.toString('utf8')).toBe('{"snapshotName":"快照-ü","n":1}')
    expect(request!.headers['content-type']).toBe('application/json')
    expect(verifySignature(request!)).toBe(true)
  })

  it('accepts a full base URL instead of a service (ctflow api with a URL)', async () => {
    const { client } = harness()
    await client.call({ baseUrl: `${server.url}/prefix`, method: 'GET', path: '/v4/region/list-regions' })
    expect(server.requests[0]!.path).toBe('/prefix/v4/region/list-regions')
  })

  it('signs with Web Crypto where node:crypto is missing (the async path), accepted by the same check', async () => {
    const { client } = harness({ signer: { crypto: webEopCrypto() } })
    await client.call({ service: 'ebs', method: 'POST', path: '/v4/x', query: { q: "a b'中" }, body: { name: '快照' } })
    expect(verifySignature(server.requests[0]!)).toBe(true)
  })

  it('points every service at one `endpoint`', async () => {
    const client = createCtyunClient({ credentials: { accessKey: AK, secretKey: SK }, endpoint: `${server.url}/` })
    await client.call({ service: 'cda', method: 'GET', path: '/v4/cda/gateway/list' })
    expect(server.requests[0]!.path).toBe('/v4/cda/gateway/list')
  })

  it('refuses to start without credentials, naming CTYUN_AK and CTYUN_SK', () => {
    expect(() => createCtyunClient({})).toThrow(CtyunConfigError)
    expect(() => createCtyunClient({})).toThrow(/CTYUN_AK and CTYUN_SK/)
  })

  it('refuses short keys for the real cloud', () => {
    expect(() => createCtyunClient({ credentials: { accessKey: 'x', secretKey: 'y' } })).toThrow(
      /CTYUN_AK has the wrong shape/,
    )
  })
})

describe('createCtyunClient: retries', () => {
  it('retries a 503 and succeeds on the third attempt, with backoff delays, a fresh signature and request id each time', async () => {
    const { client, delays } = harness()
    server.reply((_r, i) => (i < 2 ? { status: 503, body: '<html>busy</html>' } : ok({ done: true })))
    const result = await client.call({
      service: 'ebs',
      method: 'GET',
      path: '/v4/ebs/list-ebs',
      query: { regionID: 'r1' },
    })
    expect(result).toMatchObject({ kind: 'ok', returnObj: { done: true }, attempts: 3 })
    expect(delays).toEqual([150, 300]) // steps 200, 400 with equal jitter at random()=0.5
    const ids = server.requests.map((r) => r.headers['ctyun-eop-request-id'])
    expect(new Set(ids).size).toBe(3)
    expect(new Set(server.requests.map((r) => r.headers['eop-authorization'])).size).toBe(3)
    expect(server.requests.every(verifySignature)).toBe(true)
  })

  it('keeps the same clientToken on every attempt of one write', async () => {
    const { client } = harness()
    server.reply((_r, i) =>
      i === 0 ? { status: 502, body: 'bad gateway' } : i === 1 ? { hangUp: true } : ok({ snapshotJobID: 'j-1' }),
    )
    const result = await client.call({
      service: 'ebs',
      method: 'POST',
      path: '/v4/ebs_snapshot/create-ebs-snap',
      body: { diskID: 'd-1' },
      clientToken: true,
    })
    expect(result.attempts).toBe(3)
    const tokens = server.requests.map((r) => (r.json as { clientToken: string }).clientToken)
    expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(new Set(tokens)).toEqual(new Set([result.clientToken]))
    expect(new Set(server.requests.map((r) => r.headers['ctyun-eop-request-id'])).size).toBe(3)
  })

  it('does not retry a write without a clientToken', async () => {
    const { client } = harness()
    server.reply(() => ({ status: 503, body: 'busy' }))
    await expect(client.call({ service: 'ebs', method: 'POST', path: '/v4/x', body: { a: 1 } })).rejects.toBeInstanceOf(
      CtyunHttpError,
    )
    expect(server.requests).toHaveLength(1)
  })

  it('retries throttling (HTTP 200, statusCode 900, Openapi.RequestLimitExceeded)', async () => {
    const { client, delays } = harness()
    server.reply((_r, i) => (i === 0 ? fail('Openapi.RequestLimitExceeded') : ok()))
    const result = await client.call({ service: 'ecs', method: 'GET', path: '/v4/job/info' })
    expect(result.attempts).toBe(2)
    expect(delays).toEqual([150])
  })

  it('honours Retry-After on a 429 when it is longer than the backoff', async () => {
    const { client, delays } = harness()
    server.reply((_r, i) =>
      i === 0
        ? {
            status: 429,
            headers: { 'retry-after': '2' },
            body: { statusCode: 900, errorCode: 'Openapi.RequestLimitExceeded' },
          }
        : ok(),
    )
    await client.call({ service: 'ecs', method: 'GET', path: '/v4/job/info' })
    expect(delays).toEqual([2000])
  })

  it('makes extra throttle codes retryable by configuration', async () => {
    const { client } = harness({ retry: { retryableErrorCodes: ['Openapi.RequestLimitExceeded', 'Ecs.Busy'] } })
    server.reply((_r, i) => (i === 0 ? fail('Ecs.Busy') : ok()))
    expect((await client.call({ service: 'ecs', method: 'GET', path: '/v4/x' })).attempts).toBe(2)
  })

  it('retries a throttling answer whose code it does not know when its message says so (no source names the code)', async () => {
    const { client } = harness()
    server.reply((_r, i) =>
      i === 0 ? fail('Openapi.Flow.Control', '请求过于频繁，请稍后重试', { message: 'Too many requests' }) : ok(),
    )
    expect((await client.call({ service: 'ecs', method: 'GET', path: '/v4/x' })).attempts).toBe(2)
  })

  it('does not count the time a call waits in the pacer against its retry budget or its timeout', async () => {
    let clock = 0
    const sleep = async (ms: number) => {
      clock += ms
    }
    // One call a second, a budget of one second: the third call waits two seconds for its turn, then is sent whole.
    const client = createCtyunClient({
      credentials: { accessKey: AK, secretKey: SK },
      endpoints: allAt(server.url),
      config: { retryBudgetMs: 1_000 },
      retryHooks: { now: () => clock, sleep },
      pacer: createPacer({ now: () => clock, sleep, initialRps: 1 }),
    })
    server.reply(() => ok())
    const calls = [0, 1, 2].map(() => client.call({ service: 'ecs', method: 'GET', path: '/v4/job/info' }))
    expect((await Promise.all(calls)).map((r) => r.attempts)).toEqual([1, 1, 1])
    expect(clock).toBeGreaterThanOrEqual(2_000)
    expect(server.requests).toHaveLength(3)
  })

  it('retries a throttle code given in CTYUN_THROTTLE_CODES, and marks the error throttled when it gives up', async () => {
    const config = resolveCtyunConfig({ CTYUN_THROTTLE_CODES: 'Ecs.Busy, Openapi.Flow.Control' })
    const { client } = harness({ config: { throttleCodes: config.throttleCodes, retries: 1, throttleRetries: 2 } })
    server.reply(() => fail('Ecs.Busy', '稍后再试'))
    const error = await client.call({ service: 'ecs', method: 'GET', path: '/v4/x' }).catch((e: unknown) => e)
    // Throttle answers have retries of their own (throttleRetries), which the error retries do not add to.
    expect(server.requests).toHaveLength(3)
    expect(error).toMatchObject({ name: 'CtyunApiError', errorCode: 'Ecs.Busy', throttled: true })
  })

  it('does not take a quota for throttling', async () => {
    const { client } = harness()
    server.reply(() => fail('Ebs.Snapshot.QuotaExceeded', '快照配额不足', { message: 'snapshot quota limit exceeded' }))
    await expect(client.call({ service: 'ecs', method: 'GET', path: '/v4/x' })).rejects.toMatchObject({
      throttled: false,
    })
    expect(server.requests).toHaveLength(1)
  })

  it.each([
    ['a business failure', () => fail('ebs.ebsInfo.notExists'), CtyunApiError],
    [
      'an auth failure (401)',
      () => ({ status: 401, body: { statusCode: 900, errorCode: 'Openapi.Auth.SignatureMismatch' } }),
      CtyunHttpError,
    ],
    ['a 400', () => ({ status: 400, body: 'bad request' }), CtyunHttpError],
  ])('never retries %s', async (_name, reply, type) => {
    const { client } = harness()
    server.reply(reply as () => never)
    await expect(client.call({ service: 'ebs', method: 'GET', path: '/v4/x' })).rejects.toBeInstanceOf(type)
    expect(server.requests).toHaveLength(1)
  })

  it('gives up after the configured number of retries with the last error', async () => {
    const { client, delays } = harness({ retry: { retries: 2 } })
    server.reply(() => ({ status: 500, body: 'oops' }))
    const error = await client.call({ service: 'ebs', method: 'GET', path: '/v4/x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CtyunHttpError)
    expect((error as CtyunHttpError).status).toBe(500)
    expect(server.requests).toHaveLength(3)
    expect(delays).toEqual([150, 300])
  })

  it('stops within the total budget instead of sleeping past it', async () => {
    const { client, delays } = harness({ retry: { budgetMs: 1000, retries: 10 } })
    server.reply(() => ({ status: 429, headers: { 'retry-after': '5' }, body: '' }))
    await expect(client.call({ service: 'ebs', method: 'GET', path: '/v4/x' })).rejects.toMatchObject({ status: 429 })
    expect(delays).toEqual([])
    expect(server.requests).toHaveLength(1)
  })

  it('times out a slow reply (AbortSignal) and retries it', async () => {
    const { client } = harness({ timeoutMs: 50 })
    server.reply((_r, i) => (i === 0 ? { ...ok(), delayMs: 500 } : ok({ fast: true })))
    const result = await client.call({ service: 'ebs', method: 'GET', path: '/v4/x' })
    expect(result).toMatchObject({ returnObj: { fast: true }, attempts: 2 })
  })

  it('reports a timeout as CtyunTimeoutError once retries are spent', async () => {
    const { client } = harness({ timeoutMs: 30, retry: { retries: 0 } })
    server.reply(() => ({ ...ok(), delayMs: 300 }))
    const error = await client.call({ service: 'ebs', method: 'GET', path: '/v4/x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CtyunTimeoutError)
    expect(error).toMatchObject({ timeoutMs: 30, method: 'GET', path: '/v4/x' })
  })

  it('reports a refused connection as CtyunNetworkError', async () => {
    const closed = await startTestServer()
    await closed.close()
    const { client } = harness({ endpoints: allAt(closed.url), retry: { retries: 1 } })
    const error = await client.call({ service: 'ebs', method: 'GET', path: '/v4/x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CtyunNetworkError)
    expect((error as Error).message).toMatch(/ECONNREFUSED/)
  })

  it('returns an order in progress as a pending order, not an error', async () => {
    const { client } = harness()
    server.reply(() => fail('ebs.order.inProgress', '订单处理中', { returnObj: { masterOrderID: 'mo-7' } }))
    const result = await client.call({
      service: 'ebs',
      method: 'POST',
      path: '/v4/ebs_snapshot/create-ebs-snap',
      body: {},
      clientToken: 'tok-1',
    })
    expect(result).toMatchObject({ kind: 'order-in-progress', masterOrderID: 'mo-7', clientToken: 'tok-1' })
  })
})

describe('no secret anywhere', () => {
  it('keeps AK/SK, signatures and Authorization out of every log line and serialised error', async () => {
    const { client, logs } = harness({ retry: { retries: 1 } })
    const errors: unknown[] = []
    // The server even echoes the secret key and the Authorization header back in its body.
    server.reply((r) => ({ status: 500, body: `<html>echo ${SK} ${r.headers['eop-authorization']}</html>` }))
    errors.push(await client.call({ service: 'ebs', method: 'GET', path: '/v4/x' }).catch((e: unknown) => e))
    server.reply(() => fail('CTIAM_0005', `no permission for ${AK}`))
    errors.push(await client.call({ service: 'ebs', method: 'GET', path: '/v4/x' }).catch((e: unknown) => e))
    server.reply(() => ({
      status: 401,
      body: { statusCode: 900, errorCode: 'Openapi.Auth.SignatureMismatch', message: `bad sig for ${AK}` },
    }))
    errors.push(await client.call({ service: 'ebs', method: 'GET', path: '/v4/x' }).catch((e: unknown) => e))
    const signatures = server.requests.map((r) => r.headers['eop-authorization']!.split('Signature=')[1]!)
    const captured = [
      ...logs.map((l) => JSON.stringify(l)),
      ...errors.flatMap((e) => [JSON.stringify(e), String(e), (e as Error).message]),
    ].join('\n')
    expect(errors.every((e) => e instanceof Error)).toBe(true)
    expect(captured).toContain('[redacted]')
    for (const secret of [AK, SK, ...signatures]) expect(captured).not.toContain(secret)
    expect(captured.toLowerCase()).not.toContain('eop-authorization')
  })
})
