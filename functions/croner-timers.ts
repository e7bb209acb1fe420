import type { FireSchedule } from './long-lived-server'
import { type ScheduleDefinition, toCronerPlan } from './schedules'

/**
 * The `scheduled` definitions on croner (Bun; Deno without --unstable-cron). croner loads after the server listens:
 * it is not on the way to the first answer; a stop before it loaded registers nothing.
 * @example startTimers: (schedules, fire) => startCronerTimers(schedules, fire)
 */
export function startCronerTimers(schedules: readonly ScheduleDefinition[], fire: FireSchedule): { stop(): void } {
  const jobs: Array<{ stop(): void }> = []
  let halted = false
  void import('croner').then(({ Cron }) => {
    if (halted) return
    for (const schedule of schedules) {
      const { pattern, options } = toCronerPlan(schedule.expression)
      jobs.push(
        new Cron(pattern, { ...options, name: schedule.name, protect: true }, async (job) => {
          await fire(schedule, job.currentRun() ?? new Date())
        }),
      )
    }
  })
  return {
    stop: () => {
      halted = true
      for (const job of jobs) job.stop()
    },
  }
}
