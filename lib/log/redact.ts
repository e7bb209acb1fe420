/**
 * What must never reach a log line: the credentials (CTyun AK/SK), webhook secrets, robot and API tokens. Three
 * nets, each for what the others miss: the values the process knows to be secret, replaced wherever they appear;
 * fields whose name says secret, replaced whole; and shapes that carry one in text (a URL's `access_token`/`key`/
 * `sign`… query value, a Feishu or Slack robot URL's path token, an Authorization header or `Bearer` token, a
 * `whsec_` key).
 */

const MASK = '***'

// Field names whose value is a secret whatever it looks like. clientToken is an idempotency key, not a secret.
const SECRET_FIELD =
  /^(authorization|eop-authorization|proxy-authorization|cookie|set-cookie|password|passwd|secret|secretkey|secret_key|sk|ak|accesskey|access_key|access_token|accesstoken|apitoken|api_token|api_key|apikey|token|sign|signature|webhooksecret|webhook_secret|webhooksecrets|credentials)$/i

// Query parameters that carry a robot's token or a signature: DingTalk `access_token`, WeCom `key`, `sign`, …
const SECRET_QUERY = /([?&](?:access_token|key|token|sign|signature|secret|api_key|apikey)=)[^&#\s"'<>]*/gi
const AUTH_HEADER = /((?:eop-)?authorization["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"',;}]+/gi
const BEARER = /\b(bearer\s+)[A-Za-z0-9._~+/=-]+/gi
const WHSEC = /\bwhsec_[A-Za-z0-9+/=_-]+/g
// Robots whose token is a part of the URL's path: Feishu/Lark `/open-apis/bot/v2/hook/<token>`, Slack
// `hooks.slack.com/services/<team>/<bot>/<secret>`.
const PATH_TOKEN = /(\/open-apis\/bot\/v2\/hook\/|hooks\.slack\.com\/services\/)[^\s"'<>?#]+/gi

/**
 * Masks secrets in a piece of text: the given values (at least 4 characters; shorter ones would mask ordinary text),
 * then secret query values, Authorization headers, Bearer tokens and `whsec_` keys.
 * @example redactText('POST https://oapi.dingtalk.com/robot/send?access_token=abc', []) // '…?access_token=***'
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text
  for (const secret of secrets) if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(MASK)
  if (out.includes('=')) out = out.replace(SECRET_QUERY, `$1${MASK}`)
  if (/authorization/i.test(out)) out = out.replace(AUTH_HEADER, `$1${MASK}`)
  if (/bearer/i.test(out)) out = out.replace(BEARER, `$1${MASK}`)
  if (out.includes('whsec_')) out = out.replace(WHSEC, `whsec_${MASK}`)
  if (out.includes('/hook/') || out.includes('/services/')) out = out.replace(PATH_TOKEN, `$1${MASK}`)
  return out
}

/** Whether a field of this name holds a secret (its value is masked whole). */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name)
}

/**
 * A copy of a value safe to log: secret-named fields masked, strings passed through redactText, Errors as
 * `{ name, message }`, cycles and depth past 8 cut, bigints as strings. Never throws.
 * @example redactValue({ url: 'https://x/?key=k1', sk: 'abc' }, []) // { url: 'https://x/?key=***', sk: '***' }
 */
export function redactValue(
  value: unknown,
  secrets: readonly string[] = [],
  depth = 0,
  seen = new Set<object>(),
): unknown {
  if (typeof value === 'string') return redactText(value, secrets)
  if (typeof value === 'bigint') return value.toString()
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value
  if (seen.has(value) || depth > 8) return '[…]'
  seen.add(value)
  try {
    if (value instanceof Error) {
      const code = (value as { errorCode?: unknown }).errorCode
      return {
        name: value.name,
        message: redactText(value.message, secrets),
        ...(typeof code === 'string' ? { errorCode: code } : {}),
      }
    }
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
    if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1, seen))
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue
      out[key] = isSecretField(key) && item !== null && item !== '' ? MASK : redactValue(item, secrets, depth + 1, seen)
    }
    return out
  } finally {
    seen.delete(value)
  }
}
