import { nodeBuiltin } from '../runtime/node-builtin'
import { parseNotifyConfig, type NotifyChannel } from './notify-config'

/** Run notifications: CTFLOW_NOTIFY's channels and CTFLOW_PUBLIC_URL (links to runs in messages). */
export interface NotifySettings {
  channels: NotifyChannel[]
  /** The base URL of the runs API as people reach it (`<url>/runs/<id>`), without a trailing slash. */
  publicUrl?: string
  /**
   * CTFLOW_NOTIFY_GIVE_UP_HOURS (default 6): a notification still failing this long after its run ended is given up
   * and logged. Absent: the sender's default.
   */
  giveUpAfterMs?: number
  /**
   * CTFLOW_NOTIFY_RETENTION_DAYS (default 7): sent and given-up notifications are deleted from the store's outbox
   * this long after they were settled. Absent: the sender's default.
   */
  keepSettledMs?: number
}

/** The defaults of CTFLOW_NOTIFY_GIVE_UP_HOURS and CTFLOW_NOTIFY_RETENTION_DAYS. */
export const DEFAULT_NOTIFY_GIVE_UP_HOURS = 6
export const DEFAULT_NOTIFY_RETENTION_DAYS = 7

const HOUR_MS = 60 * 60 * 1000

/**
 * A CTFLOW_PUBLIC_URL that is not an http(s) URL, or a CTFLOW_NOTIFY_GIVE_UP_HOURS / _RETENTION_DAYS that is not a
 * positive number. (CTFLOW_NOTIFY's own mistakes are NotifyConfigError.)
 */
export class NotifySettingsError extends Error {
  override name = 'NotifySettingsError'
}

/**
 * Reads CTFLOW_NOTIFY (inline JSON, or `@path` to a JSON file), CTFLOW_PUBLIC_URL, CTFLOW_NOTIFY_GIVE_UP_HOURS and
 * CTFLOW_NOTIFY_RETENTION_DAYS; a malformed channel fails here, at start, naming it by position and field.
 * @example const { channels, publicUrl } = loadNotifySettings(process.env)
 */
export function loadNotifySettings(
  env: Record<string, string | undefined>,
  { cwd }: { cwd?: string } = {},
): NotifySettings {
  const channels = parseNotifyConfig(env.CTFLOW_NOTIFY, {
    // node:fs only for a `@file` value: the inline JSON every deployed entry uses needs no Node module at start.
    readFile: (path) => {
      const { readFileSync } = nodeBuiltin<typeof import('node:fs')>('node:fs')
      const { resolve } = nodeBuiltin<typeof import('node:path')>('node:path')
      return readFileSync(cwd ? resolve(cwd, path) : path, 'utf8')
    },
  })
  return {
    channels,
    giveUpAfterMs: readPositiveNumber(env, 'CTFLOW_NOTIFY_GIVE_UP_HOURS', DEFAULT_NOTIFY_GIVE_UP_HOURS) * HOUR_MS,
    keepSettledMs:
      readPositiveNumber(env, 'CTFLOW_NOTIFY_RETENTION_DAYS', DEFAULT_NOTIFY_RETENTION_DAYS) * 24 * HOUR_MS,
    ...publicUrlOf(env.CTFLOW_PUBLIC_URL),
  }
}

function publicUrlOf(setting: string | undefined): { publicUrl?: string } {
  const text = setting?.trim()
  if (!text) return {}
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new NotifySettingsError('CTFLOW_PUBLIC_URL must be an http(s) URL, e.g. https://ctflow.example.com')
  return { publicUrl: text.replace(/\/+$/, '') }
}

function readPositiveNumber(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const text = env[name]?.trim()
  if (!text) return fallback
  const value = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0))
    throw new NotifySettingsError(`${name} must be a positive number (default ${fallback}), e.g. ${name}=${fallback}.`)
  return value
}
