/**
 * CTFLOW_LOG_LEVEL: which log lines the functions, the worker and the CLI in `--json` mode write (lib/log).
 */

/** The levels CTFLOW_LOG_LEVEL accepts, least to most severe; `silent` writes nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface LogConfig {
  /** Lines below this level are not written (default `info`). */
  level: LogLevel
}

export class LogConfigError extends Error {
  override name = 'LogConfigError'
}

/**
 * Reads CTFLOW_LOG_LEVEL (case-insensitive; unset or blank: `info`). Anything else fails naming the variable and the
 * accepted values: a typo must not silently hide errors, nor flood a log with debug lines.
 * @example loadLogConfig({ CTFLOW_LOG_LEVEL: 'debug' }) // { level: 'debug' }
 */
export function loadLogConfig(env: Record<string, string | undefined>): LogConfig {
  const text = env.CTFLOW_LOG_LEVEL?.trim().toLowerCase()
  if (!text) return { level: 'info' }
  if ((LOG_LEVELS as readonly string[]).includes(text)) return { level: text as LogLevel }
  throw new LogConfigError(
    `CTFLOW_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(truncate(env.CTFLOW_LOG_LEVEL ?? ''))}).`,
  )
}

function truncate(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text
}
