/**
 * `ctflow sim --disks N`: a fixture with N more disks labelled `backup=nightly` in its first region, for jobs at the
 * size a company runs them. The disks are spread over generated instances (DISKS_PER_INSTANCE each, the first a
 * system disk), and every generated instance gets a CBR backup policy in a generated repository, so the nightly job
 * snapshots every disk and runs one backup per instance. IDs are deterministic: the same N gives the same cloud.
 */
import type { SimFixture } from './fixture'
import { SimFixtureError } from './fixture'

/** Disks per generated instance: one system disk and three data disks. */
export const DISKS_PER_INSTANCE = 4

/** The largest N accepted (the state is in memory; 100,000 disks is ≈ 100 MB). */
export const MAX_SCALE_DISKS = 100_000

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')

/**
 * A copy of `fixture` with `disks` generated disks added to its first region.
 * @example const fixture = withScaleDisks(loadFixture(), 1000) // 1,000 disks on 250 instances, 250 policies
 */
export function withScaleDisks(fixture: SimFixture, disks: number): SimFixture {
  if (!Number.isInteger(disks) || disks < 0 || disks > MAX_SCALE_DISKS)
    throw new SimFixtureError(`disks must be an integer 0-${MAX_SCALE_DISKS}, got ${disks}`)
  const copy = structuredClone(fixture) as Record<string, unknown>
  if (disks === 0) return copy
  const regions = copy.regions
  const first = Array.isArray(regions) ? (regions[0] as { regionID?: unknown } | undefined) : undefined
  if (typeof first?.regionID !== 'string') throw new SimFixtureError('$.regions[0].regionID is needed to add disks')
  const regionID = first.regionID
  const instances = (copy.instances ??= []) as unknown[]
  const diskList = (copy.disks ??= []) as unknown[]
  const repositories = (copy.backupRepositories ??= []) as unknown[]
  const policies = (copy.backupPolicies ??= []) as unknown[]
  if (![instances, diskList, repositories, policies].every(Array.isArray))
    throw new SimFixtureError('$.instances, $.disks, $.backupRepositories and $.backupPolicies must be arrays')

  const backupStorageID = 'c0ffee00-5ca1-4e00-8000-000000000001'
  repositories.push({
    backupStorageID,
    regionID,
    backupStorageName: 'cbr-repo-scale',
    capacityGB: 1_000_000,
    usedGB: 0,
  })
  const instanceCount = Math.ceil(disks / DISKS_PER_INSTANCE)
  for (let i = 0; i < instanceCount; i++) {
    const instanceID = `5ca1e000-0000-4000-8000-${hex(i, 12)}`
    const instanceName = `scale-${String(i + 1).padStart(5, '0')}`
    instances.push({
      instanceID,
      regionID,
      instanceName,
      instanceStatus: 'running',
      azName: 'az1',
      privateIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    })
    policies.push({
      backupPolicyID: `5ca1e0000000400080${hex(i, 14)}`,
      regionID,
      backupPolicyName: `${instanceName}-daily`,
      backupSrcInstanceID: instanceID,
      backupStorageID,
      backupDirs: ['/data'],
    })
    for (let k = 0; k < DISKS_PER_INSTANCE && i * DISKS_PER_INSTANCE + k < disks; k++) {
      const n = i * DISKS_PER_INSTANCE + k
      diskList.push({
        diskID: `5ca1ed15-0000-4000-8000-${hex(n, 12)}`,
        regionID,
        diskName: k === 0 ? `${instanceName}-system` : `${instanceName}-data-${k}`,
        diskSize: k === 0 ? 40 : 100,
        diskType: 'SSD',
        isSystemVolume: k === 0,
        instanceID,
        azName: 'az1',
        labels: [{ key: 'backup', value: 'nightly' }],
      })
    }
  }
  return copy
}
