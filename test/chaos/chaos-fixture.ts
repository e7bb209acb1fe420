import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { SimFixture } from '../../lib/simulator/fixture'

const DEFAULT_FIXTURE = resolve(import.meta.dirname, '../../lib/simulator/fixtures/default.json')
export const CHAOS_REGION = 'bb9fdb42056f11eda1610242ac110002' // 华东1 in the shipped fixture

export interface ChaosTenant {
  instanceID: string
  diskIDs: string[]
  /** The CBR policy covering the VM. */
  backupPolicyID: string
}

/**
 * The shipped cloud plus one VM per nightly run (a system and a data disk, and a CBR policy covering the VM). CTyun
 * refuses a snapshot while the disk has one being created (the simulator's ebs.ebsInfo.statusNotAllowed), so 200
 * concurrent runs over the same 3 disks would fail by design; a fleet where each job owns its disks does not, and
 * any failure left is then the engine's or the store's.
 */
export function chaosFixture(tenants: number): { fixture: SimFixture; tenants: ChaosTenant[] } {
  const fixture = JSON.parse(readFileSync(DEFAULT_FIXTURE, 'utf8')) as Record<string, unknown[]>
  const storageID = (fixture.backupRepositories![0] as { backupStorageID: string }).backupStorageID
  const list: ChaosTenant[] = []
  for (let i = 0; i < tenants; i++) {
    const n = i.toString(16).padStart(12, '0')
    const instanceID = `c4a05000-0000-4000-8000-${n}`
    const diskIDs = [`c4a05d15-0001-4000-8000-${n}`, `c4a05d15-0002-4000-8000-${n}`]
    fixture.instances!.push({
      instanceID,
      regionID: CHAOS_REGION,
      instanceName: `chaos-vm-${i}`,
      instanceStatus: 'running',
      azName: 'az1',
      privateIP: `10.${(i >> 8) & 255}.${i & 255}.10`,
      image: { imageID: 'c5f1e3a0-1111-4a2b-8c3d-000000000001', imageName: 'CentOS 7.9 64位' },
    })
    // Half the VMs' disks have a snapshot already, so their creates go through a job, where CTyun does not honour the
    // clientToken (§8.2); the other half's are first snapshots, through an order, where it does.
    if (i % 2 === 0) {
      for (const [d, diskID] of diskIDs.entries())
        fixture.snapshots!.push({
          snapshotID: `c4a05a00-000${d + 1}-4000-8000-${n}`,
          regionID: CHAOS_REGION,
          diskID,
          snapshotName: `chaos-vm-${i}-older-${d}`,
          ageDays: 2,
        })
    }
    for (const [d, diskID] of diskIDs.entries())
      fixture.disks!.push({
        diskID,
        regionID: CHAOS_REGION,
        diskName: `chaos-vm-${i}-${d === 0 ? 'system' : 'data'}`,
        diskSize: 40,
        diskType: 'SSD',
        isSystemVolume: d === 0,
        instanceID,
        azName: 'az1',
        labels: [{ key: 'chaos', value: String(i) }],
      })
    const backupPolicyID = `c4a05b0c${n}${'0'.repeat(12)}`
    fixture.backupPolicies!.push({
      backupPolicyID,
      regionID: CHAOS_REGION,
      backupPolicyName: `chaos-vm-${i}-daily`,
      backupSrcInstanceID: instanceID,
      backupStorageID: storageID,
      backupDirs: ['/srv'],
    })
    list.push({ instanceID, diskIDs, backupPolicyID })
  }
  return { fixture, tenants: list }
}
