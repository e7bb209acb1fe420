/**
 * CTFLOW_LOG_LEVEL: which log lines the functions, the worker and the CLI in `--json` mode write (lib/log).
 */

/** The levels CTFLOW_LOG_LEVEL accepts, least to most severe; `silent` writes nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface LogConfig {
  /** Lines below this level are not written (default `info`). */
  level: LogLevel
  /**
   * The secret values set in the environment (CTYUN_AK/SK, CTFLOW_API_TOKEN, each CTFLOW_WEBHOOK_SECRET key, the
   * robots' URLs and secrets of an inline CTFLOW_NOTIFY), for the logger to mask wherever they would appear. Never
   * logged, never echoed in an error.
   */
  secrets: string[]
}

export class LogConfigError extends Error {
  override name = 'LogConfigError'
}

/**
 * Reads CTFLOW_LOG_LEVEL (case-insensitive; unset or blank: `info`). Anything else fails naming the variable and the
 * accepted values: a typo must not silently hide errors, nor flood a log with debug lines.
 * @example loadLogConfig({ CTFLOW_LOG_LEVEL: 'debug' }) // { level: 'debug', secrets: [] }
 */
export function loadLogConfig(env: Record<string, string | undefined>): LogConfig {
  const text = env.CTFLOW_LOG_LEVEL?.trim().toLowerCase()
  const secrets = secretsIn(env)
  if (!text) return { level: 'info', secrets }
  if ((LOG_LEVELS as readonly string[]).includes(text)) return { level: text as LogLevel, secrets }
  throw new LogConfigError(
    `CTFLOW_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(truncate(env.CTFLOW_LOG_LEVEL ?? ''))}).`,
  )
}

const SECRET_VARIABLES = ['CTYUN_AK', 'CTYUN_SK', 'CTFLOW_API_TOKEN'] as const

function secretsIn(env: Record<string, string | undefined>): string[] {
  const values = SECRET_VARIABLES.map((name) => env[name]?.trim() ?? '')
  values.push(...(env.CTFLOW_WEBHOOK_SECRET ?? '').split(/[\s,]+/))
  values.push(...notifySecrets(env.CTFLOW_NOTIFY))
  return [...new Set(values.filter((value) => value.length > 0))]
}

/**
 * The robots' URLs and signing secrets of an inline CTFLOW_NOTIFY (a JSON array of channels; issue 14): a robot URL
 * is a credential (its token), in the query or in the path. A setting that is `@file` or does not parse gives none
 * here — reading and checking it is the notifications' loader's job; the text patterns (lib/log redact.ts) still apply.
 */
function notifySecrets(setting: string | undefined): string[] {
  const text = setting?.trim()
  if (!text?.startsWith('[')) return []
  try {
    const channels = JSON.parse(text) as unknown
    if (!Array.isArray(channels)) return []
    return channels.flatMap((channel) => {
      const { url, secret } = (channel ?? {}) as { url?: unknown; secret?: unknown }
      return [url, secret].filter((value): value is string => typeof value === 'string')
    })
  } catch {
    return []
  }
}

function truncate(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text
}
