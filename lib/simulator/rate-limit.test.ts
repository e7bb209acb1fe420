import { describe, expect, it } from 'vitest'
import { loadFixture } from './fixture'
import { createRateLimiter, SimRateLimitError } from './rate-limiter'
import { withScaleDisks } from './scale-fixture'
import { createSimulator } from './simulator'
import { signedRequestParts } from './test-support'
import { DEMO_CREDENTIALS } from './demo-credentials'

const frozen = Date.now()
const OTHER = { accessKey: 'b'.repeat(32), secretKey: 'c'.repeat(32) }

function request(sim: ReturnType<typeof createSimulator>, path: string, credentials = DEMO_CREDENTIALS) {
  const { url, init } = signedRequestParts({ path, credentials })
  return sim.app.request(url, init)
}

describe('createRateLimiter', () => {
  it('lets a burst through, then one request per 1/rps seconds', () => {
    const limiter = createRateLimiter({ rps: 4 })
    const granted = Array.from({ length: 6 }, () => limiter.take('k', 0))
    expect(granted).toEqual([true, true, true, true, false, false])
    expect(limiter.take('k', 249)).toBe(false)
    expect(limiter.take('k', 250)).toBe(true)
    expect(limiter.take('other', 250)).toBe(true)
  })

  it('names the bad field of a config', () => {
    expect(() => createRateLimiter({ rps: 0 })).toThrow(SimRateLimitError)
    expect(() => createRateLimiter({ rps: 5, answer: 'teapot' as never })).toThrow(/rateLimit.answer/)
  })
})

describe('the simulator under a rate limit', () => {
  it('answers HTTP 429 with Retry-After past the limit, per access key and service, and counts it', async () => {
    const sim = createSimulator({
      now: () => frozen,
      rateLimit: { rps: 3 },
      credentials: [DEMO_CREDENTIALS, OTHER],
    })
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await request(sim, '/v4/region/list-regions')).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    const refused = await request(sim, '/v4/region/list-regions')
    expect(refused.headers.get('retry-after')).toBe('1')
    expect((await refused.json()).errorCode).toBe('Openapi.RequestLimitExceeded')
    // Another service (ebs) and another access key have buckets of their own.
    expect((await request(sim, `/v4/ebs/list-ebs?regionID=${'x'}`)).status).not.toBe(429)
    expect((await request(sim, '/v4/region/list-regions', OTHER)).status).toBe(200)
    sim.clock.advance(1000)
    expect((await request(sim, '/v4/region/list-regions')).status).toBe(200)

    const calls = (await (await sim.app.request('/_sim/calls')).json()) as {
      throttled: number
      throttledByOperation: Record<string, number>
    }
    expect(calls.throttled).toBe(3)
    expect(calls.throttledByOperation).toEqual({ 'regions.list': 3 })
  })

  it('answers HTTP 200 with statusCode 900 and the throttle errorCode when told to', async () => {
    const sim = createSimulator({ now: () => frozen, rateLimit: { rps: 1, answer: 'errorCode' } })
    await request(sim, '/v4/region/list-regions')
    const refused = await request(sim, '/v4/region/list-regions')
    expect(refused.status).toBe(200)
    expect(await refused.json()).toMatchObject({ statusCode: 900, errorCode: 'Openapi.RequestLimitExceeded' })
    expect(sim.calls.throttled('regions.list')).toBe(1)
  })
})

describe('withScaleDisks', () => {
  it('adds N labelled disks to the first region, four an instance, each instance with a CBR policy', () => {
    const base = loadFixture()
    const fixture = withScaleDisks(base, 10) as Record<string, Array<Record<string, unknown>>>
    const sim = createSimulator({ fixture, now: () => frozen })
    const regionID = (base.regions as Array<{ regionID: string }>)[0]!.regionID
    const added = [...sim.state.disks.values()].filter((d) => d.diskID.startsWith('5ca1ed15'))
    expect(added).toHaveLength(10)
    expect(added.every((d) => d.regionID === regionID && d.labels.some((l) => l.key === 'backup'))).toBe(true)
    const instances = new Set(added.map((d) => d.instanceID))
    expect(instances.size).toBe(3)
    const covered = fixture.backupPolicies!.filter((p) => instances.has(p.backupSrcInstanceID as string))
    expect(covered).toHaveLength(3)
    expect(createSimulator({ disks: 10, now: () => frozen }).state.disks.size).toBe(sim.state.disks.size)
  })

  it('refuses a count that is not a whole number', () => {
    expect(() => withScaleDisks(loadFixture(), 1.5)).toThrow(/disks must be an integer/)
  })
})
