import { describe, expect, it } from 'vitest'
import { nodeEopCrypto } from '../ctyun/crypto'
import { signEop } from '../ctyun/eop-signer'
import { formatEopDate } from '../ctyun/eop-date'
import { createEopVerifier, pythonQuote, signedQueryCandidates } from './eop-verifier'

const crypto = nodeEopCrypto()!
const credentials = { accessKey: 'test-ak', secretKey: 'test-sk' }
const fixedNow = Date.parse('2026-06-13T01:02:03Z')
const verify = createEopVerifier({
  crypto,
  secretKeyOf: (ak) => (ak === 'test-ak' ? 'test-sk' : undefined),
  now: () => fixedNow,
})
const enc = new TextEncoder()

function headersOf(query: string, body = '', date = formatEopDate(new Date(fixedNow), 'beijing')) {
  const signed = signEop({ query, body }, credentials, { date, requestId: 'request-123' }, crypto)
  const map = new Map(Object.entries(signed))
  return (name: string) => map.get(name.toLowerCase())
}

describe('createEopVerifier', () => {
  it('accepts vector A of the fact sheet (CLI eop_test.go) when its date is within the window as UTC', () => {
    const body = '{"regionID":"81f7728662dd11ec810800155d307d5b"}'
    const header = (name: string) =>
      ({
        'ctyun-eop-request-id': 'request-123',
        'eop-date': '20260613T010203Z',
        'eop-authorization':
          'test-ak Headers=ctyun-eop-request-id;eop-date Signature=h+H8K5CbPz1DjnbVWA+FEPGbbcEJOzVsi2GQv4LroyM=',
      })[name.toLowerCase()]
    expect(verify({ rawQuery: 'a=1&b=two', header, body: enc.encode(body) })).toEqual({
      ok: true,
      accessKey: 'test-ak',
    })
    expect(verify({ rawQuery: 'a=1&b=3', header, body: enc.encode(body) })).toMatchObject({
      ok: false,
      errorCode: 'Openapi.Auth.SignatureMismatch',
    })
  })

  it('accepts Beijing wall-clock and UTC dates, and rejects a date outside the window', () => {
    expect(
      verify({
        rawQuery: '',
        header: headersOf('', '', formatEopDate(new Date(fixedNow), 'utc')),
        body: new Uint8Array(),
      }).ok,
    ).toBe(true)
    const stale = verify({
      rawQuery: '',
      header: headersOf('', '', formatEopDate(new Date(fixedNow - 3_600_000), 'utc')),
      body: new Uint8Array(),
    })
    expect(stale).toMatchObject({ ok: false, errorCode: 'Openapi.Auth.DateExpired' })
    const malformed = verify({ rawQuery: '', header: headersOf('', '', '2026-06-13'), body: new Uint8Array() })
    expect(malformed).toMatchObject({ ok: false, errorCode: 'Openapi.Auth.DateExpired' })
  })

  it('names a missing header and an unknown key without echoing secrets or the expected signature', () => {
    const header = headersOf('')
    const missing = verify({
      rawQuery: '',
      header: (n) => (n === 'eop-date' ? undefined : header(n)),
      body: new Uint8Array(),
    })
    expect(missing).toMatchObject({ ok: false, errorCode: 'Openapi.Auth.MissingHeader' })
    expect((missing as { message: string }).message).toContain('eop-date')
    const other = signEop(
      { query: '' },
      { accessKey: 'nobody', secretKey: 'x' },
      { date: formatEopDate(new Date(fixedNow)), requestId: 'r' },
      crypto,
    )
    const unknown = verify({
      rawQuery: '',
      header: (n) => (other as unknown as Record<string, string>)[n.toLowerCase()],
      body: new Uint8Array(),
    })
    expect(unknown).toMatchObject({ ok: false, errorCode: 'Openapi.Auth.UnknownAccessKey' })
    const wrongBody = verify({ rawQuery: '', header: headersOf('', '{}'), body: enc.encode('{ }') })
    expect(wrongBody).toMatchObject({ ok: false, errorCode: 'Openapi.Auth.SignatureMismatch' })
    const text = JSON.stringify([missing, unknown, wrongBody])
    expect(text).not.toContain('test-sk')
    expect(text).not.toContain(headersOf('', '{}')('eop-authorization')!.split('Signature=')[1])
  })

  it('accepts a query signed sorted while sent in another order and encoding (official Python sample)', () => {
    // The sample signs sorted `k=quote(v)` but requests sends dict order with its own encoding.
    const signedForm = `pageNo=1&queryContent=${pythonQuote('a b/c')}&regionID=r1`
    expect(signedForm).toBe('pageNo=1&queryContent=a%20b/c&regionID=r1')
    const sent = 'regionID=r1&queryContent=a+b%2Fc&pageNo=1'
    expect(verify({ rawQuery: sent, header: headersOf(signedForm), body: new Uint8Array() }).ok).toBe(true)
    expect(
      verify({ rawQuery: sent, header: headersOf('pageNo=1&queryContent=a+b%2Fc&regionID=r1'), body: new Uint8Array() })
        .ok,
    ).toBe(true)
    expect(
      verify({ rawQuery: sent, header: headersOf('pageNo=2&queryContent=a+b%2Fc&regionID=r1'), body: new Uint8Array() })
        .ok,
    ).toBe(false)
  })

  it('lists canonical forms once each, the raw query first', () => {
    expect([...signedQueryCandidates('')]).toEqual([''])
    const forms = [...signedQueryCandidates('b=2&a=&c=x+y')]
    expect(forms[0]).toBe('b=2&a=&c=x+y')
    expect(forms).toContain('a=&b=2&c=x+y')
    expect(forms).toContain('a=&b=2&c=x%20y')
    expect(forms).toContain('a=&b=2&c=x y')
    expect(new Set(forms).size).toBe(forms.length)
  })
})
