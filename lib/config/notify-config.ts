import { isWebhookSecret } from '../webhooks'

/** The channel types ctflow sends to, each as its platform documents its custom robot (see channels/). */
export const CHANNEL_TYPES = ['dingtalk', 'feishu', 'wecom', 'slack', 'webhook'] as const
export type ChannelType = (typeof CHANNEL_TYPES)[number]

/** The run ends a channel may ask for. */
export const RUN_END_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const
export type RunEndStatus = (typeof RUN_END_STATUSES)[number]

/** Who hears about a run's end when a channel does not say: the ends that need someone (AWS Backup's failure events). */
export const DEFAULT_ON: readonly RunEndStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED']

/** One configured channel, checked. */
export interface NotifyChannel {
  /** Its position in CTFLOW_NOTIFY, from 0 (what `--channel N` and `ctflow:notify`'s `channel` take). */
  index: number
  /** An optional name to pick it by (`ctflow:notify`, `--channel NAME`). */
  name?: string
  type: ChannelType
  /** The robot's URL as the platform gave it (it may hold a token: never logged, see maskSecrets). */
  url: string
  /** The signing secret (DingTalk/Feishu "加签" / signature verification, the webhook channel's `whsec_` key). */
  secret?: string
  on: readonly RunEndStatus[]
  /** Only runs of these workflows; absent: all. */
  workflows?: readonly string[]
  /** Feishu: an interactive card (default) or a rich-text post. */
  format?: 'card' | 'post'
}

/** A malformed CTFLOW_NOTIFY: the message names the channel by position and the field, never a URL or a secret. */
export class NotifyConfigError extends Error {
  override name = 'NotifyConfigError'
}

const FIELDS = new Set(['type', 'url', 'secret', 'on', 'workflows', 'name', 'format'])
/** The query parameter holding each robot's token: a URL without it is not the one the platform gave. */
const TOKEN_PARAM: Partial<Record<ChannelType, string>> = { dingtalk: 'access_token', wecom: 'key' }

/**
 * Reads CTFLOW_NOTIFY: a JSON array of channels, inline or `@path/to/file.json`. Unset or blank: no channels.
 * @example parseNotifyConfig('[{"type":"wecom","url":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"}]')
 */
export function parseNotifyConfig(
  value: string | undefined,
  { readFile }: { readFile?: (path: string) => string } = {},
): NotifyChannel[] {
  const text = value?.trim()
  if (!text) return []
  let json = text
  if (text.startsWith('@')) {
    const path = text.slice(1)
    if (!readFile) throw new NotifyConfigError(`CTFLOW_NOTIFY: cannot read ${path} here; give the JSON inline`)
    try {
      json = readFile(path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new NotifyConfigError(`CTFLOW_NOTIFY: cannot read ${path}${code ? ` (${code})` : ''}`)
    }
  }
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch (error) {
    // JSON.parse's message quotes the text around the error, which may be a secret: only the position is kept.
    const at = /position (\d+)/.exec((error as Error).message)?.[1]
    throw new NotifyConfigError(`CTFLOW_NOTIFY: not JSON${at ? ` (at character ${at})` : ''}`)
  }
  if (!Array.isArray(raw)) throw new NotifyConfigError('CTFLOW_NOTIFY: expected a JSON array of channels')
  const channels = raw.map((entry, index) => checkChannel(entry, index))
  const names = new Set<string>()
  for (const channel of channels) {
    if (channel.name === undefined) continue
    if (names.has(channel.name))
      throw new NotifyConfigError(
        `CTFLOW_NOTIFY: channel #${channel.index}: "name" ${JSON.stringify(channel.name)} is used twice`,
      )
    names.add(channel.name)
  }
  return channels
}

function checkChannel(entry: unknown, index: number): NotifyChannel {
  let where = `CTFLOW_NOTIFY: channel #${index}`
  const fail = (message: string): never => {
    throw new NotifyConfigError(`${where}: ${message}`)
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return fail('expected an object')
  const raw = entry as Record<string, unknown>
  const type = raw.type
  if (typeof type !== 'string' || !(CHANNEL_TYPES as readonly string[]).includes(type))
    return fail(`"type" must be one of ${CHANNEL_TYPES.join(', ')}`)
  where += ` (${type})`
  for (const key of Object.keys(raw)) if (!FIELDS.has(key)) fail(`unknown field ${JSON.stringify(key)}`)
  const channel: NotifyChannel = {
    index,
    type: type as ChannelType,
    url: checkUrl(raw.url, type as ChannelType, fail),
    on: DEFAULT_ON,
  }
  if (raw.name !== undefined) {
    if (typeof raw.name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(raw.name) || /^\d+$/.test(raw.name))
      fail('"name" must be 1–64 of A–Z a–z 0–9 _ . - (not only digits: those pick a channel by position)')
    channel.name = raw.name as string
  }
  if (raw.secret !== undefined) {
    if (typeof raw.secret !== 'string' || raw.secret.length === 0) fail('"secret" must be a non-empty string')
    if (type === 'wecom' || type === 'slack') fail(`"secret": ${type} robots do not sign; the URL is the credential`)
    if (type === 'webhook' && !isWebhookSecret(raw.secret as string))
      fail('"secret" must be "whsec_" followed by base64 of at least 16 bytes (Standard Webhooks)')
    channel.secret = raw.secret as string
  } else if (type === 'webhook') fail('"secret" is required: the webhook channel signs every event (Standard Webhooks)')
  if (raw.on !== undefined) {
    if (
      !Array.isArray(raw.on) ||
      raw.on.length === 0 ||
      !raw.on.every((status) => (RUN_END_STATUSES as readonly unknown[]).includes(status))
    )
      fail(`"on" must be a non-empty array of ${RUN_END_STATUSES.join(', ')}`)
    channel.on = [...new Set(raw.on as RunEndStatus[])]
  }
  if (raw.workflows !== undefined) {
    if (
      !Array.isArray(raw.workflows) ||
      raw.workflows.length === 0 ||
      !raw.workflows.every((name) => typeof name === 'string' && name.length > 0)
    )
      fail('"workflows" must be a non-empty array of workflow names')
    channel.workflows = raw.workflows as string[]
  }
  if (raw.format !== undefined) {
    if (type !== 'feishu') fail('"format" is for feishu channels only')
    if (raw.format !== 'card' && raw.format !== 'post') fail('"format" must be "card" or "post"')
    channel.format = raw.format as 'card' | 'post'
  }
  return channel
}

function checkUrl(value: unknown, type: ChannelType, fail: (message: string) => never): string {
  if (typeof value !== 'string' || value.length === 0) return fail('"url" is required: the URL the robot gave you')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return fail('"url" is not a URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('"url" must be http(s)')
  const param = TOKEN_PARAM[type]
  if (param && !url.searchParams.get(param)) fail(`"url" has no ${param}= (use the whole URL the robot gave you)`)
  return value
}

/** The channel `selector` names: its position (a number or digits) or its name. */
export function findChannel(channels: readonly NotifyChannel[], selector: number | string): NotifyChannel | undefined {
  if (typeof selector === 'number' || /^\d+$/.test(selector)) return channels[Number(selector)]
  return channels.find((channel) => channel.name === selector)
}

/** `#2 feishu (ops-oncall) open.feishu.cn`: how logs and answers name a channel (no token, no secret). */
export function describeChannel(channel: NotifyChannel): string {
  let host = ''
  try {
    host = ` ${new URL(channel.url).host}`
  } catch {
    // checked at start; nothing to show otherwise
  }
  return `#${channel.index} ${channel.type}${channel.name ? ` (${channel.name})` : ''}${host}`
}
