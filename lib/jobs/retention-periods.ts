/**
 * The calendar periods of GFS retention (daily, weekly, monthly, yearly) of an instant, as seen in a time zone. Periods
 * are calendar ones in that zone: a day runs from local midnight to midnight, a week is an ISO 8601 week (Monday to
 * Sunday, numbered in its ISO year), a month and a year are the local calendar's. Intl does the zone arithmetic
 * (daylight saving time included), so no time zone data ships with ctflow.
 */
export type RetentionPeriod = 'daily' | 'weekly' | 'monthly' | 'yearly'

export const RETENTION_PERIODS: readonly RetentionPeriod[] = ['daily', 'weekly', 'monthly', 'yearly']

/** CTyun's home time zone: its consoles and the EOP signature's date are Beijing time. */
export const DEFAULT_RETENTION_TIME_ZONE = 'Asia/Shanghai'

const DAY_MS = 86_400_000
const formatters = new Map<string, Intl.DateTimeFormat>()

/** Whether Intl knows the zone (an IANA name such as `Europe/Berlin`, or `UTC`). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

/**
 * A key naming the period that contains `at` (epoch ms) in `timeZone`: equal keys, same period.
 * @example periodKey(Date.parse('2026-12-31T17:00:00Z'), 'daily', 'Asia/Shanghai') // '2027-01-01'
 */
export function periodKey(at: number, period: RetentionPeriod, timeZone: string): string {
  const { year, month, day } = localDate(at, timeZone)
  switch (period) {
    case 'daily':
      return `${year}-${pad(month)}-${pad(day)}`
    case 'monthly':
      return `${year}-${pad(month)}`
    case 'yearly':
      return String(year)
    case 'weekly': {
      // ISO week: the week belongs to the year of its Thursday.
      const date = Date.UTC(year, month - 1, day)
      const weekday = new Date(date).getUTCDay() || 7 // Monday 1 … Sunday 7
      const thursday = new Date(date + (4 - weekday) * DAY_MS)
      const isoYear = thursday.getUTCFullYear()
      const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * DAY_MS)) + 1
      return `${isoYear}-W${pad(week)}`
    }
  }
}

function localDate(at: number, timeZone: string): { year: number; month: number; day: number } {
  const parts = formatterFor(timeZone).formatToParts(new Date(at))
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value)
  return { year: part('year'), month: part('month'), day: part('day') }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    // Throws RangeError for a zone Intl does not know.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      calendar: 'gregory',
      numberingSystem: 'latn',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
