/**
 * The client's pacing against a cloud that limits: a burst of calls from one client, and from several clients (the
 * workers of one access key), against `ctflow sim --rate-limit 20`. Virtual time (lib/engine/testing/virtual-clock.ts):
 * the simulator's buckets refill on the same clock the pacers wait on, so "≈ 10 s" is asserted in virtual seconds and
 * the test takes well under a second of real time.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { CtyunClient } from '../../lib/ctyun/client'
import { createCtyunClient } from '../../lib/ctyun/client'
import type { MaxRps } from '../../lib/ctyun/max-rps'
import { CTYUN_SERVICES, type CtyunEndpoints } from '../../lib/ctyun/endpoints'
import { createVirtualClock, type VirtualClock } from '../../lib/engine/testing/virtual-clock'
import type { RunningSimulator } from '../../lib/simulator/server'
import { startSimulator } from '../../lib/simulator/server'
import type { ThrottleAnswer } from '../../lib/simulator/rate-limiter'

const LIMIT = 20
let sim: RunningSimulator | undefined

afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function cloud(answer: ThrottleAnswer = 'http429'): Promise<{ sim: RunningSimulator; clock: VirtualClock }> {
  sim = await startSimulator({ port: 0, rateLimit: { rps: LIMIT, answer } })
  return { sim, clock: createVirtualClock(sim.simulator.clock) }
}

function client(running: RunningSimulator, clock: VirtualClock, maxRps?: MaxRps): CtyunClient {
  const endpoints = Object.fromEntries(CTYUN_SERVICES.map((s) => [s, running.url])) as CtyunEndpoints
  return createCtyunClient({
    credentials: running.credentials,
    endpoints,
    fetch: clock.fetch,
    retryHooks: { now: clock.now, sleep: clock.sleep },
    config: { maxRps },
  })
}

/** `calls` list-regions calls spread over `clients`, all started at once; the virtual seconds until the last ends. */
async function burst(clients: CtyunClient[], calls: number, clock: VirtualClock) {
  const started = clock.now()
  const results = await Promise.allSettled(
    Array.from({ length: calls }, (_, i) =>
      clients[i % clients.length]!.request({ service: 'ecs', method: 'GET', path: '/v4/region/list-regions' }),
    ),
  )
  return { seconds: (clock.now() - started) / 1000, failed: results.filter((r) => r.status === 'rejected').length }
}

describe('pacing under a rate limit of 20 a second', () => {
  it.each(['http429', 'errorCode'] as const)(
    'a burst of 200 calls from one client all succeed in ≈ 10 s with at most 5 percent throttled (%s answers)',
    async (answer) => {
      const { sim, clock } = await cloud(answer)
      const { seconds, failed } = await burst([client(sim, clock)], 200, clock)
      const calls = sim.simulator.calls.snapshot()
      expect(failed).toBe(0)
      expect(calls.byOperation['regions.list']! - calls.throttled).toBe(200)
      expect(calls.throttled / calls.total).toBeLessThanOrEqual(0.05)
      // The floor: the first 20 ride the cloud's burst, the other 180 need 9 s at 20 a second.
      expect(seconds).toBeGreaterThanOrEqual(9)
      expect(seconds).toBeLessThanOrEqual(12.5)
    },
  )

  it('four workers with a quarter of the limit each (CTYUN_MAX_RPS=5) are almost never throttled', async () => {
    const { sim, clock } = await cloud()
    const workers = Array.from({ length: 4 }, () => client(sim, clock, { all: LIMIT / 4 }))
    const { seconds, failed } = await burst(workers, 200, clock)
    expect(failed).toBe(0)
    // Almost never: a loaded machine can bunch a few sends; the bound is 5% of the calls.
    expect(sim.simulator.calls.throttled()).toBeLessThanOrEqual(10)
    expect(seconds).toBeLessThanOrEqual(11)
  })

  it('four workers pacing by adaptation alone fail nothing and are mostly let through (a share of the limit does better)', async () => {
    const { sim, clock } = await cloud()
    const workers = Array.from({ length: 4 }, () => client(sim, clock))
    const { failed } = await burst(workers, 400, clock)
    const calls = sim.simulator.calls.snapshot()
    expect(failed).toBe(0)
    // Measured ≈ 12%: four independent probes above their share; the share of the ceiling above gets ≤ 1 refusal.
    expect(calls.throttled / calls.total).toBeLessThanOrEqual(0.2)
  })
})
