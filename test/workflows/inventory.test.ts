import { afterEach, describe, expect, it } from 'vitest'
import { HD1, NM8, startJobHarness, type JobHarness } from './job-harness'

let harness: JobHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

interface RegionReport {
  regionID: string
  eips: { total: number; bound: number; unbound: number; unboundAddresses: string[] }
  cdaGateways: { total?: number; gateways?: Array<{ vrfName: string }>; skipped?: string }
}

describe('inventory', () => {
  it('reports EIPs per region for every region, and says why CDA is skipped without an account', async () => {
    harness = await startJobHarness()
    const run = await harness.run('inventory', {})
    expect(run.error).toBeUndefined()
    const regions = run.output as RegionReport[]
    expect(regions.map((r) => r.regionID)).toContain(HD1)
    const hd1 = regions.find((r) => r.regionID === HD1)!
    expect(hd1.eips).toMatchObject({ total: 2, bound: 1, unbound: 1, unboundAddresses: ['36.111.10.22'] })
    expect(hd1.cdaGateways.skipped).toMatch(/account/)
  })

  it('lists CDA gateways of the account in the regions asked for', async () => {
    harness = await startJobHarness()
    const run = await harness.run('inventory', { regionIDs: [HD1, NM8], account: 'ops@example.com' })
    expect(run.error).toBeUndefined()
    const regions = run.output as RegionReport[]
    expect(regions.map((r) => r.regionID)).toEqual([HD1, NM8])
    expect(regions[0]!.cdaGateways.gateways!.map((g) => g.vrfName)).toEqual(['vrf-hd1-ops-01'])
    expect(regions[1]!.cdaGateways.total).toBe(1)
  })
})
