/**
 * Checks an EOP-signed request the way the CTyun gateway must: over the exact bytes received. Pure apart from the
 * injected crypto and clock; the simulator's middleware feeds it the raw query, headers and body.
 *
 * What the gateway canonicalises is not documented (shared/ctyun-api.md §7), and official clients disagree on the
 * query they sign (§1.4): Go signs the same sorted QueryEscape'd string it sends; the Python sample signs a sorted
 * `quote()`d string but `requests` sends its own encoding in dict order. So the signature is accepted when it matches
 * any of a few canonical forms of the received query, the raw string first (the fast path for Go-style clients).
 */
import { timingSafeEqual } from 'node:crypto'
import {
  compareUtf8,
  EMPTY_BODY_SHA256,
  goQueryEscape,
  parseEopDate,
  toBase64,
  type Bytes,
  type SyncEopCrypto,
} from '../ctyun/signing'
import { AUTH_ERROR } from './error-codes'

export type AuthErrorCode = (typeof AUTH_ERROR)[keyof typeof AUTH_ERROR]

export interface EopVerifyRequest {
  /** The query string exactly as received, without `?` (`''` when none). */
  rawQuery: string
  /** Header lookup, case-insensitive (a Fetch `Headers` object is). */
  header(name: string): string | null | undefined
  /** The body bytes exactly as received. */
  body: Bytes
}

export interface EopVerifierOptions {
  crypto: SyncEopCrypto
  /** SK for an AK, or undefined when the AK is unknown. */
  secretKeyOf(accessKey: string): string | undefined
  /** Wall clock, epoch ms. */
  now(): number
  /** Allowed distance between eop-date and now, both ways. Not stated by any source (§7); 15 min by default. */
  dateWindowMs?: number
  /** How an eop-date may be read: official code sends Beijing wall-clock and UTC (§1.3), so both by default. */
  dateTimeZones?: ReadonlyArray<'beijing' | 'utc'>
}

export type EopVerifyResult = { ok: true; accessKey: string } | { ok: false; errorCode: AuthErrorCode; message: string }

const AUTHORIZATION = /^\s*(\S+)\s+Headers=(\S+)\s+Signature=(\S+)\s*$/

/**
 * @example
 * const verify = createEopVerifier({ crypto: nodeEopCrypto()!, secretKeyOf: (ak) => keys.get(ak), now: Date.now })
 * const result = verify({ rawQuery: 'regionID=r1', header: (n) => headers.get(n), body: new Uint8Array() })
 */
export function createEopVerifier(options: EopVerifierOptions): (request: EopVerifyRequest) => EopVerifyResult {
  const { crypto, secretKeyOf, now, dateWindowMs = 15 * 60_000, dateTimeZones = ['beijing', 'utc'] } = options
  const keyCache = new Map<string, Bytes>()

  const signingKey = (accessKey: string, secretKey: string, date: string): Bytes => {
    const cacheKey = `${accessKey}\n${date}\n${secretKey.length}`
    let key = keyCache.get(cacheKey)
    if (!key) {
      if (keyCache.size > 1024) keyCache.clear()
      const kTime = crypto.hmacSha256(secretKey, date)
      const kAk = crypto.hmacSha256(kTime, accessKey)
      key = crypto.hmacSha256(kAk, date.slice(0, 8))
      keyCache.set(cacheKey, key)
    }
    return key
  }

  return (request) => {
    const authorization = request.header('eop-authorization')
    for (const [name, value] of [
      ['ctyun-eop-request-id', request.header('ctyun-eop-request-id')],
      ['eop-date', request.header('eop-date')],
      ['Eop-Authorization', authorization],
    ] as const) {
      if (!value) return fail(AUTH_ERROR.missingHeader, `missing header ${name}`)
    }
    const match = AUTHORIZATION.exec(authorization!)
    if (!match) {
      return fail(
        AUTH_ERROR.signatureMismatch,
        'Eop-Authorization must read "<AK> Headers=ctyun-eop-request-id;eop-date Signature=<base64>"',
      )
    }
    const [, accessKey, headerList, signature] = match as unknown as [string, string, string, string]
    const signedHeaders = headerList.toLowerCase().split(';').filter(Boolean)
    for (const required of ['ctyun-eop-request-id', 'eop-date']) {
      if (!signedHeaders.includes(required)) return fail(AUTH_ERROR.missingHeader, `Headers= must list ${required}`)
    }
    let headerPart = ''
    for (const name of signedHeaders) {
      const value = request.header(name)
      if (value === null || value === undefined)
        return fail(AUTH_ERROR.missingHeader, `signed header ${name} is missing`)
      headerPart += `${name}:${value}\n`
    }

    const secretKey = secretKeyOf(accessKey)
    if (secretKey === undefined)
      return fail(AUTH_ERROR.unknownAccessKey, 'the access key is not known to this endpoint')

    const date = request.header('eop-date')!
    const wall = now()
    const instants = dateTimeZones.map((zone) => parseEopDate(date, zone))
    if (instants.some((instant) => instant === undefined)) {
      return fail(AUTH_ERROR.dateExpired, `eop-date "${date}" is not in the format yyyyMMddTHHmmssZ`)
    }
    if (!instants.some((instant) => Math.abs(instant!.getTime() - wall) <= dateWindowMs)) {
      return fail(
        AUTH_ERROR.dateExpired,
        `eop-date "${date}" is more than ${Math.round(dateWindowMs / 1000)} s away from the server clock (read as ${dateTimeZones.join(' or ')} time)`,
      )
    }

    const key = signingKey(accessKey, secretKey, date)
    const bodyHash = request.body.length === 0 ? EMPTY_BODY_SHA256 : crypto.sha256Hex(request.body)
    const given = Buffer.from(signature, 'base64')
    for (const query of signedQueryCandidates(request.rawQuery)) {
      const expected = crypto.hmacSha256(key, `${headerPart}\n${query}\n${bodyHash}`)
      if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, accessKey }
    }
    // Never reveal the expected signature or the string to sign with its values.
    return fail(
      AUTH_ERROR.signatureMismatch,
      'the signature does not match the request (signed: the listed headers, the query string and sha256 of the exact body bytes)',
    )
  }
}

function fail(errorCode: AuthErrorCode, message: string): EopVerifyResult {
  return { ok: false, errorCode, message }
}

/**
 * The query strings a client may have signed for the query it sent, most likely first, without duplicates:
 * the raw string; sorted and Go `QueryEscape`d (Go SDK, TF); sorted with Python `quote()`d values and raw keys, by key
 * and by `k=v` string (the official Python sample); sorted and unencoded (the seed doc pages).
 */
export function* signedQueryCandidates(rawQuery: string): Generator<string> {
  yield rawQuery
  if (rawQuery === '') return
  const seen = new Set([rawQuery])
  const pairs = rawQuery
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=')
      const key = at < 0 ? part : part.slice(0, at)
      const value = at < 0 ? '' : part.slice(at + 1)
      return [decodeQueryComponent(key), decodeQueryComponent(value)] as const
    })
  const byKey = [...pairs].sort((a, b) => compareUtf8(a[0], b[0]))
  const forms = [
    byKey.map(([k, v]) => `${goQueryEscape(k)}=${goQueryEscape(v)}`).join('&'),
    byKey.map(([k, v]) => `${k}=${pythonQuote(v)}`).join('&'),
    pairs
      .map(([k, v]) => `${k}=${pythonQuote(v)}`)
      .sort()
      .join('&'),
    byKey.map(([k, v]) => `${k}=${v}`).join('&'),
  ]
  for (const form of forms) {
    if (seen.has(form)) continue
    seen.add(form)
    yield form
  }
}

function decodeQueryComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

/** Python's `urllib.parse.quote(text)` (safe `/`): keeps `A-Za-z0-9_.-~/`, space → `%20`. */
export function pythonQuote(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/')
}

/** Base64 of a signature, for tests that sign by hand. */
export const signatureBase64 = toBase64
