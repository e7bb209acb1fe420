import type { Notification } from '../notification'
import type { NotifyChannel } from '../../config'

/** The HTTP request that delivers one notification. */
export interface ChannelRequest {
  url: string
  headers: Record<string, string>
  body: string
}

/** What a robot answered, read as its platform documents its answers. */
export type ChannelAnswer =
  | { ok: true; summary: string }
  | { ok: false; retryable: boolean; retryAfterMs?: number; summary: string }

/** One platform: how to build its request (signed, in its format, within its size limit) and read its answer. */
export interface ChannelDriver {
  request(
    channel: NotifyChannel,
    notification: Notification,
    context: { id: string; now: Date },
  ): Promise<ChannelRequest>
  answer(response: { status: number; headers: Headers; body: string }): ChannelAnswer
}

const encoder = new TextEncoder()

/** base64 HMAC-SHA256 (Web Crypto: Node, Workers, Deno alike). */
export async function hmacSha256Base64(key: string, message: string): Promise<string> {
  const subtle = globalThis.crypto.subtle
  const imported = await subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const mac = new Uint8Array(await subtle.sign('HMAC', imported, encoder.encode(message)))
  let binary = ''
  for (const byte of mac) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * The HTTP status as every robot means it: 2xx goes on to the platform's own check; 429 and 5xx (and 408) are worth
 * another try, honouring Retry-After; any other status is a refusal no retry cures. Undefined: 2xx.
 */
export function answerToStatus(response: {
  status: number
  headers: Headers
  body: string
}): ChannelAnswer | undefined {
  const { status } = response
  if (status >= 200 && status < 300) return undefined
  const summary = `HTTP ${status}${response.body ? `: ${response.body.slice(0, 300)}` : ''}`
  if (status === 429 || status === 408 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'))
    return { ok: false, retryable: true, summary, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }
  }
  return { ok: false, retryable: false, summary }
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** The JSON of a robot's answer, or undefined when it is not JSON. */
export function answerJson(body: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body) as unknown
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * A JSON answer whose `field` (errcode, code) says how it went: 0 is success; a code in `rateLimited` is worth another
 * try later; any other code is a refusal (a wrong signature, a keyword missing, an invalid key).
 */
export function answerCode(
  body: string,
  field: string,
  rateLimited: readonly number[],
  messageField: string,
): ChannelAnswer {
  const json = answerJson(body)
  const code = json?.[field]
  if (typeof code !== 'number')
    return { ok: false, retryable: false, summary: `unexpected answer: ${body.slice(0, 300)}` }
  const message = typeof json?.[messageField] === 'string' ? ` ${json[messageField] as string}` : ''
  if (code === 0) return { ok: true, summary: `${field} 0${message}` }
  return { ok: false, retryable: rateLimited.includes(code), summary: `${field} ${code}${message}` }
}
