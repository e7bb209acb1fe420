import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createWebhookVerifier, parseWebhookSecrets, signWebhook, WebhookSecretError } from './webhook-signature'

// The Standard Webhooks reference example (standard-webhooks spec README, "Verifying webhooks").
const SPEC_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const SPEC_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek'
const SPEC_TIMESTAMP = 1614265330
const SPEC_BODY = '{"test": 2432232314}'
const SPEC_SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='

const at = (seconds: number) => () => seconds * 1000

describe('webhook signatures (Standard Webhooks)', () => {
  it('matches the scheme reference example', async () => {
    expect(await signWebhook(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)).toBe(SPEC_SIGNATURE)
    const verify = createWebhookVerifier([SPEC_SECRET], { now: at(SPEC_TIMESTAMP) })
    expect(
      await verify({ id: SPEC_ID, timestamp: String(SPEC_TIMESTAMP), signature: SPEC_SIGNATURE }, SPEC_BODY),
    ).toEqual({
      ok: true,
      id: SPEC_ID,
      timestamp: SPEC_TIMESTAMP,
    })
  })

  it('agrees with an independent HMAC computed by node:crypto', async () => {
    const key = Buffer.from(SPEC_SECRET.slice(6), 'base64')
    const expected = createHmac('sha256', key).update(`${SPEC_ID}.${SPEC_TIMESTAMP}.${SPEC_BODY}`).digest('base64')
    expect(await signWebhook(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)).toBe(`v1,${expected}`)
  })

  it('rejects a body changed by one byte', async () => {
    const verify = createWebhookVerifier([SPEC_SECRET], { now: at(SPEC_TIMESTAMP) })
    const result = await verify(
      { id: SPEC_ID, timestamp: String(SPEC_TIMESTAMP), signature: SPEC_SIGNATURE },
      SPEC_BODY.replace('2', '3'),
    )
    expect(result).toEqual({ ok: false, reason: 'bad-signature' })
  })

  it('rejects another id or timestamp under the same signature', async () => {
    const verify = createWebhookVerifier([SPEC_SECRET], { now: at(SPEC_TIMESTAMP) })
    expect(
      (await verify({ id: 'msg_other', timestamp: String(SPEC_TIMESTAMP), signature: SPEC_SIGNATURE }, SPEC_BODY)).ok,
    ).toBe(false)
    expect(
      (await verify({ id: SPEC_ID, timestamp: String(SPEC_TIMESTAMP + 1), signature: SPEC_SIGNATURE }, SPEC_BODY)).ok,
    ).toBe(false)
  })

  it.each([
    ['five minutes and one second late', SPEC_TIMESTAMP + 301, 'stale-timestamp'],
    ['five minutes and one second early', SPEC_TIMESTAMP - 301, 'stale-timestamp'],
  ])('rejects a timestamp %s', async (_label, nowSeconds, reason) => {
    const verify = createWebhookVerifier([SPEC_SECRET], { now: at(nowSeconds) })
    expect(
      await verify({ id: SPEC_ID, timestamp: String(SPEC_TIMESTAMP), signature: SPEC_SIGNATURE }, SPEC_BODY),
    ).toEqual({ ok: false, reason })
  })

  it('accepts a timestamp exactly five minutes away', async () => {
    const verify = createWebhookVerifier([SPEC_SECRET], { now: at(SPEC_TIMESTAMP + 300) })
    expect(
      (await verify({ id: SPEC_ID, timestamp: String(SPEC_TIMESTAMP), signature: SPEC_SIGNATURE }, SPEC_BODY)).ok,
    ).toBe(true)
  })

  it.each([
    [{ id: undefined, timestamp: '1', signature: 'v1,x' }, 'missing-headers'],
    [{ id: 'a', timestamp: undefined, signature: 'v1,x' }, 'missing-headers'],
    [{ id: 'a', timestamp: '1', signature: undefined }, 'missing-headers'],
    [{ id: 'a', timestamp: '1.5', signature: 'v1,x' }, 'bad-timestamp'],
    [{ id: 'a', timestamp: '-1', signature: 'v1,x' }, 'bad-timestamp'],
  ])('rejects incomplete or malformed headers %j', async (headers, reason) => {
    const verify = createWebhookVerifier([SPEC_SECRET], { now: at(1) })
    expect(await verify(headers, '{}')).toEqual({ ok: false, reason })
  })

  it('accepts any of several signatures in the header, and ignores other versions', async () => {
    const verify = createWebhookVerifier([SPEC_SECRET], { now: at(SPEC_TIMESTAMP) })
    const header = `v1a,abc v1,AAAA ${SPEC_SIGNATURE}`
    expect((await verify({ id: SPEC_ID, timestamp: String(SPEC_TIMESTAMP), signature: header }, SPEC_BODY)).ok).toBe(
      true,
    )
  })

  it('accepts the old secret during a rotation, and a new one', async () => {
    const newSecret = `whsec_${Buffer.from('a new secret of 32 bytes length!').toString('base64')}`
    const verify = createWebhookVerifier([newSecret, SPEC_SECRET], { now: at(SPEC_TIMESTAMP) })
    const withNew = await signWebhook(newSecret, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)
    expect((await verify({ id: SPEC_ID, timestamp: String(SPEC_TIMESTAMP), signature: withNew }, SPEC_BODY)).ok).toBe(
      true,
    )
    expect(
      (await verify({ id: SPEC_ID, timestamp: String(SPEC_TIMESTAMP), signature: SPEC_SIGNATURE }, SPEC_BODY)).ok,
    ).toBe(true)
  })

  it('verifies raw bytes as well as strings', async () => {
    const verify = createWebhookVerifier([SPEC_SECRET], { now: at(SPEC_TIMESTAMP) })
    const bytes = new TextEncoder().encode(SPEC_BODY)
    expect(
      (await verify({ id: SPEC_ID, timestamp: String(SPEC_TIMESTAMP), signature: SPEC_SIGNATURE }, bytes)).ok,
    ).toBe(true)
  })

  it('refuses a malformed secret at construction, without echoing it', () => {
    const attempt = () => createWebhookVerifier(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'not-a-secret-value'])
    expect(attempt).toThrow(WebhookSecretError)
    expect(attempt).toThrow(/#2/)
    expect(attempt).not.toThrow(/not-a-secret-value/)
    expect(() => createWebhookVerifier([])).toThrow(/CTFLOW_WEBHOOK_SECRET/)
  })

  it('reads several secrets from one variable', () => {
    expect(parseWebhookSecrets(' whsec_a, whsec_b whsec_c ')).toEqual(['whsec_a', 'whsec_b', 'whsec_c'])
    expect(parseWebhookSecrets(undefined)).toEqual([])
  })
})
