/**
 * `eop-date`: Go layout `20060102T150405Z`. The `Z` is a literal, not a UTC marker: the newest official code
 * converts to Beijing time (Asia/Shanghai, UTC+8, no DST) before formatting (TF+ core/request.go@59927d4),
 * older code uses machine-local time and the unofficial CLI real UTC (shared/ctyun-api.md §1.3).
 */
export type EopTimeZone = 'beijing' | 'utc' | 'local'

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000

/**
 * Formats an instant as an `eop-date` wall-clock time in the given zone.
 * @example formatEopDate(new Date('2025-01-01T04:00:00Z')) // '20250101T120000Z'
 */
export function formatEopDate(instant: Date, timeZone: EopTimeZone = 'beijing'): string {
  const shifted =
    timeZone === 'beijing'
      ? new Date(instant.getTime() + BEIJING_OFFSET_MS)
      : timeZone === 'local'
        ? new Date(instant.getTime() - instant.getTimezoneOffset() * 60_000)
        : instant
  const iso = shifted.toISOString() // 2025-01-01T12:00:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`
}

const EOP_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

/**
 * Reads an `eop-date` as the instant it names when interpreted in `timeZone`; `undefined` when malformed.
 * @example parseEopDate('20250101T120000Z', 'beijing')?.toISOString() // '2025-01-01T04:00:00.000Z'
 */
export function parseEopDate(text: string, timeZone: Exclude<EopTimeZone, 'local'> = 'beijing'): Date | undefined {
  const match = EOP_DATE.exec(text)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[]
  const wallClock = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!)
  const check = new Date(wallClock)
  if (check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59) return undefined
  return new Date(timeZone === 'beijing' ? wallClock - BEIJING_OFFSET_MS : wallClock)
}
