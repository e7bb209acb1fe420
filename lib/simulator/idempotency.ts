/**
 * clientToken idempotency: the same token with the same parameters returns the stored reply (same order, same
 * resource); the same token with other parameters is an error. Official docs give a 24 h window for ECS-host EIP
 * create (shared/ctyun-api.md §3.6); other APIs are silent, so 24 h everywhere, configurable.
 */
import type { SimReply } from './envelope'

export interface IdempotencyStore {
  /** The stored reply, `conflict` when the token was used with other parameters, or undefined. */
  lookup(key: string, fingerprint: string, now: number): SimReply | 'conflict' | undefined
  remember(key: string, fingerprint: string, reply: SimReply, now: number): void
  clear(): void
}

export function createIdempotencyStore(retentionMs = 24 * 3_600_000): IdempotencyStore {
  let entries = new Map<string, { fingerprint: string; reply: SimReply; at: number }>()
  return {
    lookup(key, fingerprint, now) {
      const entry = entries.get(key)
      if (!entry || now - entry.at > retentionMs) return undefined
      return entry.fingerprint === fingerprint ? structuredClone(entry.reply) : 'conflict'
    },
    remember(key, fingerprint, reply, now) {
      entries.set(key, { fingerprint, reply: structuredClone(reply), at: now })
    },
    clear() {
      entries = new Map()
    },
  }
}

/** A stable text of parameters: object keys sorted at every level. */
export function fingerprintOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(fingerprintOf).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${fingerprintOf((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value ?? null)
}
