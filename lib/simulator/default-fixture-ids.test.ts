import { describe, expect, it } from 'vitest'
import * as ids from './default-fixture-ids'
import { loadFixture, stateFromFixture } from './fixture'

describe('default fixture ids', () => {
  it('name records that exist in fixtures/default.json, as described', () => {
    const state = stateFromFixture(loadFixture(), Date.now())
    expect([ids.HD1, ids.NM8, ids.XN1].every((id) => state.regions.has(id))).toBe(true)
    expect(state.regions.get(ids.HD1)!.copyDestinations).toEqual(expect.arrayContaining([ids.NM8, ids.XN1]))
    expect([ids.HD1, ids.NM8, ids.XN1].map((id) => state.regions.get(id)!.labelsSupported)).toEqual([true, true, false])
    expect([ids.DISK_XN1_ARCHIVE, ids.DISK_XN1_LOGS].map((id) => state.disks.get(id)?.regionID)).toEqual([
      ids.XN1,
      ids.XN1,
    ])
    expect([ids.WEB01, ids.DB01].map((id) => state.instances.get(id)?.regionID)).toEqual([ids.HD1, ids.HD1])
    expect(
      [ids.DISK_WEB_SYSTEM, ids.DISK_WEB_DATA, ids.DISK_DB_DATA].map((id) => state.disks.get(id)?.instanceID),
    ).toEqual([ids.WEB01, ids.WEB01, ids.DB01])
    expect(state.images.get(ids.PRIVATE_IMAGE)).toMatchObject({ regionID: ids.HD1, imageVisibility: 'private' })
    expect([ids.POLICY_WEB, ids.POLICY_DB].every((id) => state.backupPolicies.has(id))).toBe(true)
    expect(state.eips.get(ids.SPARE_EIP)).toBeDefined()
  })
})
