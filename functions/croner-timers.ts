import type { FireSchedule } from './long-lived-server'
import { type ScheduleDefinition, toCronerPlan } from './schedules'

/**
 * The `scheduled` definitions on croner (Bun; Deno without --unstable-cron). croner loads after the server listens:
 * it is not on the way to the first answer; a stop before it loaded registers nothing. `afterMs` waits that long
 * first (Bun: loading croner right after listening competes with the first request).
 * @example startTimers: (schedules, fire) => startCronerTimers(schedules, fire, { afterMs: 1_000 })
 */
export function startCronerTimers(
  schedules: readonly ScheduleDefinition[],
  fire: FireSchedule,
  { afterMs = 0 }: { afterMs?: number } = {},
): { stop(): void } {
  const jobs: Array<{ stop(): void }> = []
  let halted = false
  const delay = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, afterMs)
    // A process that is stopping does not wait for the timers to start.
    ;(timer as { unref?: () => void }).unref?.()
  })
  void delay
    .then(() => import('croner'))
    .then(({ Cron }) => {
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
