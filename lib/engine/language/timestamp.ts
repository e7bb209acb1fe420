/**
 * ASL timestamps: RFC 3339 with an uppercase `T` and, without an offset, an uppercase `Z`
 * (https://states-language.net/spec.html#timestamps), e.g. `2016-03-14T01:59:00Z` or `2016-03-14T01:59:00.123+08:00`.
 */
const pattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/

/**
 * Epoch milliseconds of an ASL timestamp, or undefined when the text is not one (wrong shape or impossible date).
 *
 * @example
 * parseTimestamp('2016-03-14T01:59:00Z') // 1457920740000
 * parseTimestamp('2016-02-30T00:00:00Z') // undefined
 */
export function parseTimestamp(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined
  const match = pattern.exec(text)
  if (!match) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number)
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day > daysInMonth) return undefined
  if (match[9] !== undefined && (Number(match[9]) > 23 || Number(match[10]) > 59)) return undefined
  const fraction = match[7] ? Number(match[7]) * 1000 : 0
  const offsetMinutes =
    match[8] === 'Z' ? 0 : (match[8][0] === '-' ? -1 : 1) * (Number(match[9]) * 60 + Number(match[10]))
  return Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) + fraction - offsetMinutes * 60_000
}

export function isTimestamp(text: unknown): boolean {
  return parseTimestamp(text) !== undefined
}
