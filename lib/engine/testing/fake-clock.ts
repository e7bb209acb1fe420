import type { Clock } from '../runner'

/** A clock for tests: `sleep` moves time forward at once and records how long it was asked to sleep. */
export function createFakeClock(
  start = Date.parse('2026-01-01T00:00:00.000Z'),
): Clock & { time: number; sleeps: number[]; advance(ms: number): void } {
  const clock = {
    time: start,
    sleeps: [] as number[],
    now: () => clock.time,
    async sleep(ms: number) {
      clock.sleeps.push(ms)
      clock.time += ms
    },
    advance(ms: number) {
      clock.time += ms
    },
  }
  return clock
}
