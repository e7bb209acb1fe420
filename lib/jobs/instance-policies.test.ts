import { describe, expect, it } from 'vitest'
import { findInstancePolicies, type InstancePolicy } from './instance-policies'

/** A policy list of `count` policies (instance i-<n> has policy p-<n>), answering filtered lookups too; counts pages. */
function policyList(count: number, pageSize: number) {
  const policies: InstancePolicy[] = Array.from({ length: count }, (_, n) => ({
    backupPolicyID: `p-${n}`,
    backupPolicyName: `daily-${n}`,
    backupSrcInstanceID: `i-${n}`,
  }))
  const pages: string[] = []
  async function* listPolicies({ backupSrcInstanceID }: { regionID: string; backupSrcInstanceID?: string }) {
    const matching = policies.filter((p) => !backupSrcInstanceID || p.backupSrcInstanceID === backupSrcInstanceID)
    for (let start = 0; start === 0 || start < matching.length; start += pageSize) {
      pages.push(backupSrcInstanceID ?? 'region')
      yield* matching.slice(start, start + pageSize)
    }
  }
  return { listPolicies, pages, pageSize }
}

describe('findInstancePolicies', () => {
  it('answers every instance from one regional listing in a region with few policies', async () => {
    const list = policyList(30, 50)
    const found = await findInstancePolicies({ regionID: 'r1', instances: ['i-3', 'i-7', 'i-nothing'] }, list)
    expect(found).toEqual([
      {
        instanceID: 'i-3',
        policies: [{ backupPolicyID: 'p-3', backupPolicyName: 'daily-3', backupSrcInstanceID: 'i-3' }],
      },
      {
        instanceID: 'i-7',
        policies: [{ backupPolicyID: 'p-7', backupPolicyName: 'daily-7', backupSrcInstanceID: 'i-7' }],
      },
      { instanceID: 'i-nothing', policies: [] },
    ])
    expect(list.pages).toEqual(['region'])
  })

  it('reads at most a page per instance of a large region, then looks up the rest one by one', async () => {
    const list = policyList(500, 50)
    const found = await findInstancePolicies({ regionID: 'r1', instances: ['i-3', 'i-420'] }, list)
    expect(found.map((f) => f.policies[0]?.backupPolicyID)).toEqual(['p-3', 'p-420'])
    expect(list.pages).toEqual(['region', 'region', 'i-420'])
  })

  it('looks up a single instance with the filter, and makes no call for none', async () => {
    const list = policyList(500, 50)
    expect(
      (await findInstancePolicies({ regionID: 'r1', instances: ['i-9'] }, list))[0]!.policies[0]!.backupPolicyID,
    ).toBe('p-9')
    expect(await findInstancePolicies({ regionID: 'r1', instances: [] }, list)).toEqual([])
    expect(list.pages).toEqual(['i-9'])
  })
})
