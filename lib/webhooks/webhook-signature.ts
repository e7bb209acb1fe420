/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): headers `webhook-id`, `webhook-timestamp`
 * (Unix seconds) and `webhook-signature` (space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`),
 * secrets written `whsec_<base64 key>`. Several secrets are accepted so that one can be rotated without downtime.
 *
 * Web Crypto only (Node 20, Workers, Deno): `subtle.verify` compares in constant time, and imported keys are cached.
 */

/** How far a timestamp may be from now, either way (the scheme's default). */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60

export type WebhookRejection = 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature'

export type WebhookVerification = { ok: true; id: string; timestamp: number } | { ok: false; reason: WebhookRejection }

export interface WebhookHeaders {
  id: string | undefined
  timestamp: string | undefined
  signature: string | undefined
}

/** A secret that is not `whsec_` + base64 is a configuration error, thrown once at start. */
export class WebhookSecretError extends Error {
  override name = 'WebhookSecretError'
}

const encoder = new TextEncoder()

/**
 * Builds a verifier for one or more secrets (the newest first).
 * @example
 * const verify = createWebhookVerifier(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'])
 * const result = await verify({ id, timestamp, signature }, rawBody)
 */
export function createWebhookVerifier(
  secrets: readonly string[],
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = () => Date.now(), subtle = globalThis.crypto.subtle } = {},
): (headers: WebhookHeaders, body: Uint8Array | string) => Promise<WebhookVerification> {
  if (secrets.length === 0) throw new WebhookSecretError('No webhook secret is configured (CTFLOW_WEBHOOK_SECRET).')
  const keys = secrets.map((secret, index) => {
    const bytes = decodeSecret(secret, index)
    return subtle.importKey('raw', bytes as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
  })

  return async (headers, body) => {
    const { id, timestamp, signature } = headers
    if (!id || !timestamp || !signature) return { ok: false, reason: 'missing-headers' }
    if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' }
    const seconds = Number(timestamp)
    if (Math.abs(now() / 1000 - seconds) > toleranceSeconds) return { ok: false, reason: 'stale-timestamp' }

    const signed = concat(encoder.encode(`${id}.${timestamp}.`), typeof body === 'string' ? encoder.encode(body) : body)
    const candidates = signature
      .split(' ')
      .filter((entry) => entry.startsWith('v1,'))
      .map((entry) => decodeBase64(entry.slice(3)))
      .filter((bytes): bytes is Uint8Array => bytes !== undefined && bytes.length === 32)
    for (const key of keys) {
      for (const candidate of candidates) {
        if (await subtle.verify('HMAC', await key, candidate as BufferSource, signed as BufferSource)) {
          return { ok: true, id, timestamp: seconds }
        }
      }
    }
    return { ok: false, reason: 'bad-signature' }
  }
}

/**
 * Signs like a Standard Webhooks sender; for tests, the README's curl example and `ctflow` clients.
 * @example await signWebhook('whsec_…', 'msg_1', 1700000000, '{"a":1}') // 'v1,…'
 */
export async function signWebhook(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<string> {
  const key = await subtle.importKey(
    'raw',
    decodeSecret(secret, 0) as BufferSource,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = new Uint8Array(await subtle.sign('HMAC', key, encoder.encode(`${id}.${timestamp}.${body}`)))
  return `v1,${encodeBase64(mac)}`
}

/** Splits `CTFLOW_WEBHOOK_SECRET` into secrets: several may be given, separated by spaces or commas. */
export function parseWebhookSecrets(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean)
}

/** True when `secret` has the shape a key needs: `whsec_` followed by base64 of at least 16 bytes. */
export function isWebhookSecret(secret: string): boolean {
  const bytes = secret.startsWith('whsec_') ? decodeBase64(secret.slice(6)) : undefined
  return bytes !== undefined && bytes.length >= 16
}

function decodeSecret(secret: string, index: number): Uint8Array {
  const body = secret.startsWith('whsec_') ? secret.slice(6) : undefined
  const bytes = body === undefined ? undefined : decodeBase64(body)
  // Never echo the secret itself: say which one (by position) and what shape is expected.
  if (!bytes || bytes.length < 16) {
    throw new WebhookSecretError(
      `Webhook secret #${index + 1} in CTFLOW_WEBHOOK_SECRET is not "whsec_" followed by base64 of at least 16 bytes.`,
    )
  }
  return bytes
}

function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}
