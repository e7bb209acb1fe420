import { describe, expect, it } from 'vitest'
import { nodeEopCrypto, webEopCrypto } from './crypto'
import {
  createEopSigner,
  deriveSigningKey,
  EMPTY_BODY_SHA256,
  eopStringToSign,
  signEop,
  signEopAsync,
  toBase64,
} from './eop-signer'
import { eopSignerVectors, keyChainVector } from './eop-signer.vectors'
import { canonicalQuery } from './query-string'

const node = nodeEopCrypto()!
const web = webEopCrypto()

describe('EOP signer vectors (shared/ctyun-api.md §1.6)', () => {
  for (const vector of eopSignerVectors) {
    const credentials = { accessKey: vector.accessKey, secretKey: vector.secretKey }
    const context = { date: vector.date, requestId: vector.requestId }
    const input = { query: vector.query, body: vector.body }
    const header = `${vector.accessKey} Headers=ctyun-eop-request-id;eop-date Signature=${vector.expected.signature}`

    it(`${vector.name}: node:crypto`, () => {
      expect(signEop(input, credentials, context, node)).toEqual({
        'ctyun-eop-request-id': vector.requestId,
        'eop-date': vector.date,
        'eop-authorization': header,
      })
    })

    it(`${vector.name}: Web Crypto`, async () => {
      expect((await signEopAsync(input, credentials, context, web))['eop-authorization']).toBe(header)
    })

    it(`${vector.name}: the signer with a cached key`, async () => {
      const signer = createEopSigner(credentials)
      await signer.sign(input, context) // warms the cache
      expect((await signer.sign(input, context))['eop-authorization']).toBe(header)
      expect(signer.signSync!(input, context)['eop-authorization']).toBe(header)
    })

    if (vector.params) {
      it(`${vector.name}: the canonical query is the one signed`, () => {
        expect(canonicalQuery(vector.params)).toBe(vector.query)
      })
    }
    if (vector.expected.bodyHash) {
      it(`${vector.name}: body hash`, () => {
        expect(node.sha256Hex(vector.body!)).toBe(vector.expected.bodyHash)
      })
    }
  }

  it(`${keyChainVector.name}`, async () => {
    const credentials = { accessKey: keyChainVector.accessKey, secretKey: keyChainVector.secretKey }
    const key = deriveSigningKey(node, credentials, keyChainVector.date)
    expect(toBase64(node.hmacSha256(key, keyChainVector.stringToSign))).toBe(keyChainVector.expected.signature)
    const webKey = await web.hmacSha256(
      await web.hmacSha256(await web.hmacSha256(credentials.secretKey, keyChainVector.date), credentials.accessKey),
      keyChainVector.date.slice(0, 8),
    )
    expect(toBase64(await web.hmacSha256(webKey, keyChainVector.stringToSign))).toBe(keyChainVector.expected.signature)
  })
})

describe('eopStringToSign', () => {
  it('puts an empty line between the headers and the query, and the query before the body hash', () => {
    expect(eopStringToSign({ requestId: 'id', date: '20250101T120000Z', query: 'a=1', bodyHash: 'h' })).toBe(
      'ctyun-eop-request-id:id\neop-date:20250101T120000Z\n\na=1\nh',
    )
  })

  it('hashes an empty body as sha256 of the empty string', () => {
    const credentials = { accessKey: 'a', secretKey: 's' }
    const context = { date: '20250101T120000Z', requestId: 'id' }
    expect(signEop({ query: '' }, credentials, context, node)).toEqual(
      signEop({ query: '', body: '' }, credentials, context, node),
    )
    expect(node.sha256Hex('')).toBe(EMPTY_BODY_SHA256)
  })
})

describe('createEopSigner', () => {
  it('gives every call a fresh request id and the current Beijing date unless told otherwise', async () => {
    let ids = 0
    const signer = createEopSigner(
      { accessKey: 'ak', secretKey: 'sk' },
      { now: () => new Date('2025-01-01T04:00:00Z'), requestId: () => `id-${++ids}` },
    )
    const first = await signer.sign({ query: '' })
    const second = await signer.sign({ query: '' })
    expect(first['eop-date']).toBe('20250101T120000Z')
    expect(first['ctyun-eop-request-id']).toBe('id-1')
    expect(second['ctyun-eop-request-id']).toBe('id-2')
  })

  it('signs the same on Web Crypto runtimes as with node:crypto, across a change of second', async () => {
    const credentials = { accessKey: 'ak', secretKey: 'sk' }
    const nodeSigner = createEopSigner(credentials, { crypto: node })
    const webSigner = createEopSigner(credentials, { crypto: web })
    expect(webSigner.signSync).toBeUndefined()
    for (const date of ['20250101T120000Z', '20250101T120001Z', '20250101T120001Z']) {
      const input = { query: 'a=1', body: '{"x":"中"}' }
      expect(await webSigner.sign(input, { date, requestId: 'r' })).toEqual(
        await nodeSigner.sign(input, { date, requestId: 'r' }),
      )
    }
  })
})
