/**
 * Log levels, least to most severe; `silent` writes nothing. CTFLOW_LOG_LEVEL is read and checked by lib/config
 * (log-config.ts), which owns the names; this file orders them.
 */
import type { LogLevel } from '../config'

/** Each level's rank: a line is written when its level ranks at least the logger's. */
export const LOG_LEVEL_RANK = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const satisfies Record<
  LogLevel,
  number
>

/** The levels a line can be written at (`silent` is only a threshold). */
export type LineLevel = Exclude<LogLevel, 'silent'>

/**
 * Whether a line at `level` passes a logger set to `threshold`.
 * @example isLevelEnabled('debug', 'info') // false
 */
export function isLevelEnabled(level: LineLevel, threshold: LogLevel): boolean {
  return LOG_LEVEL_RANK[level] >= LOG_LEVEL_RANK[threshold]
}
