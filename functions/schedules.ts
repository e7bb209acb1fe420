import type { CronOptions } from 'croner'
import definitions from './schedules.json' with { type: 'json' }
import type { ScheduledJob } from './scheduled'

/**
 * The schedules, defined once in schedules.json: serverless.yml reads that file (`${file(./functions/schedules.json)…}`)
 * to make the EventBridge rules, and `ctflow serve` runs the same definitions with croner. Expressions use the AWS
 * syntax (`cron(…)` with 6 fields in UTC, or `rate(…)`), converted here for croner.
 */
export interface ScheduleDefinition {
  name: string
  /** Which handler the schedule triggers. */
  function: 'scheduled' | 'worker'
  description: string
  expression: string
  /** For `scheduled`: the workflow and input the event carries. */
  input?: ScheduledJob
}

export class ScheduleExpressionError extends Error {
  override name = 'ScheduleExpressionError'
}

export const schedules: readonly ScheduleDefinition[] = Object.entries(definitions).map(([name, definition]) => ({
  name,
  ...(definition as Omit<ScheduleDefinition, 'name'>),
}))

/** A croner pattern and options that fire when the AWS expression does. */
export interface CronerPlan {
  pattern: string
  options: CronOptions
}

const RATE_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86_400 }
// The pattern that fires at the start of every unit; croner's `interval` then spaces runs N units apart.
const RATE_PATTERN: Record<string, string> = { minute: '0 * * * * *', hour: '0 0 * * * *', day: '0 0 0 * * *' }

/**
 * Converts an EventBridge schedule expression for croner.
 * - `cron(min hour dom month dow year)` → croner's 7-part pattern with seconds 0, in UTC, with Quartz weekday numbers
 *   (SUN=1…SAT=7, as EventBridge counts them).
 * - `rate(N unit[s])` → every unit, at least N units apart.
 * @example toCronerPlan('cron(0 18 * * ? *)') // { pattern: '0 0 18 * * ? *', options: { utcOffset: 0, … } }
 */
export function toCronerPlan(expression: string): CronerPlan {
  const cron = /^cron\((.+)\)$/.exec(expression.trim())
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/)
    if (fields.length !== 6) {
      throw new ScheduleExpressionError(
        `${expression}: an EventBridge cron has 6 fields (minutes hours day-of-month month day-of-week year).`,
      )
    }
    // utcOffset 0, not timezone 'UTC': the same instants without Intl.DateTimeFormat, which costs ~25 ms to set up.
    return { pattern: `0 ${fields.join(' ')}`, options: { utcOffset: 0, mode: '7-part', alternativeWeekdays: true } }
  }
  const rate = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expression.trim())
  if (rate) {
    const [, count, unit] = rate
    const n = Number(count)
    if (n < 1) throw new ScheduleExpressionError(`${expression}: the rate must be at least 1.`)
    return {
      pattern: RATE_PATTERN[unit!]!,
      options: { utcOffset: 0, mode: '6-part', ...(n > 1 ? { interval: n * RATE_SECONDS[unit!]! - 1 } : {}) },
    }
  }
  throw new ScheduleExpressionError(
    `${expression}: expected cron(…) or rate(N minutes|hours|days), as EventBridge accepts.`,
  )
}

const WEEKDAY_NAMES =
  /^(SUN|MON|TUE|WED|THU|FRI|SAT)(-(SUN|MON|TUE|WED|THU|FRI|SAT))?(,(SUN|MON|TUE|WED|THU|FRI|SAT))*$/i

/**
 * The 5-field UTC cron (minute hour day-of-month month day-of-week) that Deno.cron and Cloudflare Workers' Cron
 * Triggers take, for an EventBridge expression. `rate(N minutes|hours)` becomes a step; a day-of-week is accepted as
 * `?`, `*` or names (EventBridge numbers SUN=1, Unix cron SUN=0: numbers are refused rather than guessed).
 * @example toUnixCron('cron(0 18 * * ? *)') // '0 18 * * *'
 */
export function toUnixCron(expression: string): string {
  const cron = /^cron\((.+)\)$/.exec(expression.trim())
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/)
    if (fields.length !== 6) {
      throw new ScheduleExpressionError(
        `${expression}: an EventBridge cron has 6 fields (minutes hours day-of-month month day-of-week year).`,
      )
    }
    const [minute, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string]
    if (year !== '*')
      throw new ScheduleExpressionError(`${expression}: a 5-field cron has no year; use * for the year.`)
    if (dow !== '?' && dow !== '*' && !WEEKDAY_NAMES.test(dow))
      throw new ScheduleExpressionError(
        `${expression}: write the day of week as names (MON-FRI) or ? for 5-field cron.`,
      )
    return [minute, hour, dom === '?' ? '*' : dom, month, dow === '?' ? '*' : dow.toUpperCase()].join(' ')
  }
  const rate = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expression.trim())
  if (rate) {
    const n = Number(rate[1])
    if (n < 1) throw new ScheduleExpressionError(`${expression}: the rate must be at least 1.`)
    if (rate[2] === 'minute') return n === 1 ? '* * * * *' : `*/${n} * * * *`
    if (rate[2] === 'hour') return n === 1 ? '0 * * * *' : `0 */${n} * * *`
    return n === 1 ? '0 0 * * *' : `0 0 */${n} * *`
  }
  throw new ScheduleExpressionError(
    `${expression}: expected cron(…) or rate(N minutes|hours|days), as EventBridge accepts.`,
  )
}
