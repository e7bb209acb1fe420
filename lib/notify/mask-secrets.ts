import type { NotifyChannel } from '../config'

const SECRET_PARAMS = ['access_token', 'key', 'token', 'sign', 'secret']
// Robots whose token is in the path: Feishu `/open-apis/bot/v2/hook/<token>`, Slack `/services/T…/B…/<token>`.
const PATH_TOKEN = /(\/hook\/|\/services\/)[^?#\s]+/g

/**
 * A robot URL fit for a log line: the values of access_token, key, token, sign and secret, and a token in the path,
 * replaced by `***`.
 * @example maskUrl('https://oapi.dingtalk.com/robot/send?access_token=abc') // 'https://oapi.dingtalk.com/robot/send?access_token=***'
 */
export function maskUrl(url: string): string {
  let masked = url.replace(PATH_TOKEN, '$1***')
  for (const param of SECRET_PARAMS) masked = masked.replace(new RegExp(`([?&]${param}=)[^&#\\s]*`, 'gi'), '$1***')
  return masked
}

/**
 * Any text (an error, a robot's answer) with every secret of the channels taken out: their signing secrets, their
 * whole URLs and the tokens in them. What the sender logs and keeps (`lastError`) goes through it.
 */
export function maskSecrets(text: string, channels: readonly NotifyChannel[]): string {
  let masked = text
  for (const channel of channels) {
    for (const secret of secretsOf(channel)) if (secret.length >= 4) masked = masked.split(secret).join('***')
  }
  return maskUrl(masked)
}

/** The strings of a channel that must never be shown: its secret, its URL, and the token values the URL holds. */
function secretsOf(channel: NotifyChannel): string[] {
  const secrets = [channel.url]
  if (channel.secret) secrets.push(channel.secret)
  try {
    const url = new URL(channel.url)
    // Raw as written, decoded, and encoded again: a token may appear in a text in any of these forms.
    for (const pair of url.search.slice(1).split('&')) {
      const [name, raw] = pair.split('=', 2) as [string, string | undefined]
      if (!raw || !SECRET_PARAMS.includes(name.toLowerCase())) continue
      const decoded = safeDecode(raw)
      secrets.push(raw, decoded, encodeURIComponent(decoded), safeDecode(raw.replace(/\+/g, ' ')))
    }
    const tail = /\/(?:hook|services)\/(.+)$/.exec(url.pathname)?.[1]
    if (tail) secrets.push(...tail.split('/').filter((part) => part.length >= 8))
  } catch {
    // a URL that does not parse was refused at start
  }
  // Longest first, so a URL is replaced before the token inside it.
  return secrets.sort((a, b) => b.length - a.length)
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
