import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseNotifyConfig, type NotifyChannel } from './notify-config'

/** Run notifications: CTFLOW_NOTIFY's channels and CTFLOW_PUBLIC_URL (links to runs in messages). */
export interface NotifySettings {
  channels: NotifyChannel[]
  /** The base URL of the runs API as people reach it (`<url>/runs/<id>`), without a trailing slash. */
  publicUrl?: string
}

/** A CTFLOW_PUBLIC_URL that is not an http(s) URL. (CTFLOW_NOTIFY's own mistakes are lib/notify's NotifyConfigError.) */
export class NotifySettingsError extends Error {
  override name = 'NotifySettingsError'
}

/**
 * Reads CTFLOW_NOTIFY (inline JSON, or `@path` to a JSON file) and CTFLOW_PUBLIC_URL; a malformed channel fails here,
 * at start, naming it by position and field.
 * @example const { channels, publicUrl } = loadNotifySettings(process.env)
 */
export function loadNotifySettings(
  env: Record<string, string | undefined>,
  { cwd }: { cwd?: string } = {},
): NotifySettings {
  const channels = parseNotifyConfig(env.CTFLOW_NOTIFY, {
    readFile: (path) => readFileSync(cwd ? resolve(cwd, path) : path, 'utf8'),
  })
  const text = env.CTFLOW_PUBLIC_URL?.trim()
  if (!text) return { channels }
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new NotifySettingsError('CTFLOW_PUBLIC_URL must be an http(s) URL, e.g. https://ctflow.example.com')
  return { channels, publicUrl: text.replace(/\/+$/, '') }
}
