/**
 * EOP request signing (HMAC-SHA256), exactly as CTyun's official Go SDK and Terraform provider sign
 * (SDK ctyun-sdk-core/request.go GetSign; TF internal/core/core/request.go; shared/ctyun-api.md §1.1):
 *
 *   stringToSign = "ctyun-eop-request-id:" + id + "\n" + "eop-date:" + date + "\n" + "\n" + query + "\n" + hex(sha256(body))
 *   kTime = HMAC(SK, date) · kAk = HMAC(kTime, AK) · kDate = HMAC(kAk, date[0:8])
 *   Eop-Authorization = AK + " Headers=ctyun-eop-request-id;eop-date Signature=" + base64(HMAC(kDate, stringToSign))
 *
 * Everything here is pure: time and request id come in as arguments; no I/O. `createEopSigner` adds the defaults.
 */
import type { AsyncEopCrypto, Bytes, EopCrypto, SyncEopCrypto } from './crypto'
import { defaultEopCrypto } from './crypto'
import type { EopTimeZone } from './eop-date'
import { formatEopDate } from './eop-date'

/** sha256("") — the body hash of a request without a body (doc ctyun.cn/document/10264960/10022621). */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

export interface EopCredentials {
  readonly accessKey: string
  readonly secretKey: string
}

/** What is signed: the query string exactly as sent (see `canonicalQuery`) and the body bytes exactly as sent. */
export interface EopSigningInput {
  query: string
  body?: Bytes | string
}

/** The per-attempt identity of a request: a fresh pair on every attempt. */
export interface EopSigningContext {
  /** `eop-date`, e.g. `20250101T120000Z` (see `formatEopDate`). */
  date: string
  requestId: string
}

/** Header names are lower-case: HTTP header names are case-insensitive and the gateway accepts any case. */
export interface EopSignedHeaders {
  'ctyun-eop-request-id': string
  'eop-date': string
  'eop-authorization': string
}

/**
 * The string to sign.
 * @example eopStringToSign({ requestId: 'r', date: '20250101T120000Z', query: '', bodyHash: EMPTY_BODY_SHA256 })
 */
export function eopStringToSign(parts: { requestId: string; date: string; query: string; bodyHash: string }): string {
  return `ctyun-eop-request-id:${parts.requestId}\neop-date:${parts.date}\n\n${parts.query}\n${parts.bodyHash}`
}

/**
 * The `Eop-Authorization` header value.
 * @example eopAuthorization('ak', 'c2ln') // 'ak Headers=ctyun-eop-request-id;eop-date Signature=c2ln'
 */
export function eopAuthorization(accessKey: string, signature: string): string {
  return `${accessKey} Headers=ctyun-eop-request-id;eop-date Signature=${signature}`
}

/**
 * The derived signing key kDate for (AK, SK, eop-date). It changes every second, since kTime covers the whole date.
 * @example deriveSigningKey(nodeEopCrypto()!, credentials, '20250101T120000Z')
 */
export function deriveSigningKey(crypto: SyncEopCrypto, credentials: EopCredentials, date: string): Bytes {
  const kTime = crypto.hmacSha256(credentials.secretKey, date)
  const kAk = crypto.hmacSha256(kTime, credentials.accessKey)
  return crypto.hmacSha256(kAk, date.slice(0, 8))
}

/** Async twin of `deriveSigningKey` for Web Crypto. */
export async function deriveSigningKeyAsync(
  crypto: EopCrypto,
  credentials: EopCredentials,
  date: string,
): Promise<Bytes> {
  const kTime = await crypto.hmacSha256(credentials.secretKey, date)
  const kAk = await crypto.hmacSha256(kTime, credentials.accessKey)
  return crypto.hmacSha256(kAk, date.slice(0, 8))
}

/** base64 with the standard alphabet and `=` padding (Go `base64.StdEncoding`). */
export function toBase64(bytes: Bytes): string {
  const nodeBuffer = (
    globalThis as {
      Buffer?: { from(b: ArrayBufferLike, offset: number, length: number): { toString(enc: string): string } }
    }
  ).Buffer
  // A view over the same memory, not a copy.
  if (nodeBuffer) return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

function bodyHashOf(crypto: SyncEopCrypto, body: Bytes | string | undefined): string {
  return body === undefined || body.length === 0 ? EMPTY_BODY_SHA256 : crypto.sha256Hex(body)
}

/**
 * Signs one request with node:crypto. Pure: same inputs, same headers.
 * @example
 * signEop({ query: 'a=1&b=two', body: '{"regionID":"r"}' }, { accessKey, secretKey },
 *         { date: '20260613T010203Z', requestId: 'request-123' }, nodeEopCrypto()!)
 */
export function signEop(
  input: EopSigningInput,
  credentials: EopCredentials,
  context: EopSigningContext,
  crypto: SyncEopCrypto,
  signingKey: Bytes = deriveSigningKey(crypto, credentials, context.date),
): EopSignedHeaders {
  const stringToSign = `ctyun-eop-request-id:${context.requestId}\neop-date:${context.date}\n\n${input.query}\n${bodyHashOf(crypto, input.body)}` // = eopStringToSign, inlined on the hot path
  const signature = crypto.hmacSha256Base64
    ? crypto.hmacSha256Base64(signingKey, stringToSign)
    : toBase64(crypto.hmacSha256(signingKey, stringToSign))
  return {
    'ctyun-eop-request-id': context.requestId,
    'eop-date': context.date,
    'eop-authorization': eopAuthorization(credentials.accessKey, signature),
  }
}

/** Async twin of `signEop` for any crypto backend (Web Crypto included). */
export async function signEopAsync(
  input: EopSigningInput,
  credentials: EopCredentials,
  context: EopSigningContext,
  crypto: EopCrypto,
  signingKey?: Bytes,
): Promise<EopSignedHeaders> {
  const key = signingKey ?? (await deriveSigningKeyAsync(crypto, credentials, context.date))
  const bodyHash =
    input.body === undefined || input.body.length === 0 ? EMPTY_BODY_SHA256 : await crypto.sha256Hex(input.body)
  const stringToSign = eopStringToSign({ ...context, query: input.query, bodyHash })
  const signature = toBase64(await crypto.hmacSha256(key, stringToSign))
  return {
    'ctyun-eop-request-id': context.requestId,
    'eop-date': context.date,
    'eop-authorization': eopAuthorization(credentials.accessKey, signature),
  }
}

export interface EopSignerOptions {
  crypto?: EopCrypto
  /** The clock (injected in tests). */
  now?: () => Date
  /** Beijing wall-clock + literal Z by default (§1.3); `utc` like the unofficial CLI, `local` like the old SDK. */
  timeZone?: EopTimeZone
  requestId?: () => string
  /** Reuse kDate within one (AK, eop-date second): 3 of the 5 hashes are skipped on bursts of requests. */
  cacheSigningKey?: boolean
}

export interface EopSigner {
  readonly accessKey: string
  /** Signs with a fresh date and request id unless given. */
  sign(input: EopSigningInput, context?: Partial<EopSigningContext>): Promise<EopSignedHeaders>
  /** Synchronous signing where node:crypto exists (undefined on Web Crypto runtimes). */
  readonly signSync?: (input: EopSigningInput, context?: Partial<EopSigningContext>) => EopSignedHeaders
}

/**
 * A signer bound to one pair of credentials, with the defaults (date = Beijing now, request id = uuid v4).
 * @example
 * const signer = createEopSigner({ accessKey, secretKey })
 * const headers = await signer.sign({ query: canonicalQuery({ regionID }), body: undefined })
 */
export function createEopSigner(
  credentials: EopCredentials,
  {
    crypto = defaultEopCrypto(),
    now = () => new Date(),
    timeZone = 'beijing',
    requestId = randomUuid,
    cacheSigningKey = true,
  }: EopSignerOptions = {},
): EopSigner {
  let cachedDate = ''
  let cachedKey: Bytes | undefined
  const contextOf = (given?: Partial<EopSigningContext>): EopSigningContext => ({
    date: given?.date ?? formatEopDate(now(), timeZone),
    requestId: given?.requestId ?? requestId(),
  })

  if (crypto.kind === 'node') {
    const syncCrypto = crypto
    const keyFor = (date: string): Bytes => {
      if (!cacheSigningKey) return deriveSigningKey(syncCrypto, credentials, date)
      if (date !== cachedDate || !cachedKey) {
        cachedKey = deriveSigningKey(syncCrypto, credentials, date)
        cachedDate = date
      }
      return cachedKey
    }
    const signSync = (input: EopSigningInput, given?: Partial<EopSigningContext>) => {
      const context = contextOf(given)
      return signEop(input, credentials, context, syncCrypto, keyFor(context.date))
    }
    return { accessKey: credentials.accessKey, signSync, sign: async (input, given) => signSync(input, given) }
  }

  const asyncCrypto: AsyncEopCrypto = crypto
  return {
    accessKey: credentials.accessKey,
    async sign(input, given) {
      const context = contextOf(given)
      if (cacheSigningKey && (context.date !== cachedDate || !cachedKey)) {
        cachedKey = await deriveSigningKeyAsync(asyncCrypto, credentials, context.date)
        cachedDate = context.date
      }
      return signEopAsync(input, credentials, context, asyncCrypto, cacheSigningKey ? cachedKey : undefined)
    },
  }
}

/** A v4 UUID from Web Crypto (Node ≥ 19, Workers, Deno, Bun): no library on the cold-start path. */
export function randomUuid(): string {
  return globalThis.crypto.randomUUID()
}
