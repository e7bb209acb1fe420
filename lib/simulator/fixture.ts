/**
 * Seeds the simulated cloud from a JSON fixture (the shipped one is `fixtures/default.json`; `ctflow sim --fixture`
 * loads another). Bad fixtures fail with the JSON path of the offending field.
 */
import { readFileSync } from 'node:fs'
// Imported, not read from disk, so the CLI bundle (dist/) carries it.
import defaultFixture from './fixtures/default.json' with { type: 'json' }
import { settled } from './lifecycle'
import type { SimState } from './state'
import { emptyState } from './state'

export class SimFixtureError extends Error {
  override name = 'SimFixtureError'
}

/** The fixture as written: plain JSON, optional fields defaulted. */
export type SimFixture = Record<string, unknown>

/** @example const fixture = loadFixture() // the shipped default (a fresh copy) */
export function loadFixture(file?: string): SimFixture {
  if (file === undefined) return structuredClone(defaultFixture) as SimFixture
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new SimFixtureError(`cannot read fixture ${file}: ${(error as Error).message}`)
  }
  try {
    return JSON.parse(text) as SimFixture
  } catch (error) {
    throw new SimFixtureError(`fixture ${file} is not valid JSON: ${(error as Error).message}`)
  }
}

type Obj = Record<string, unknown>

function list(fixture: Obj, key: string): Array<[Obj, string]> {
  const value = fixture[key]
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new SimFixtureError(`$.${key} must be an array`)
  return value.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new SimFixtureError(`$.${key}[${i}] must be an object`)
    return [item as Obj, `$.${key}[${i}]`]
  })
}

function str(item: Obj, path: string, field: string, fallback?: string): string {
  const value = item[field]
  if (value === undefined && fallback !== undefined) return fallback
  if (typeof value !== 'string' || value === '')
    throw new SimFixtureError(`${path}.${field} must be a non-empty string`)
  return value
}

function num(item: Obj, path: string, field: string, fallback: number): number {
  const value = item[field]
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new SimFixtureError(`${path}.${field} must be a number`)
  return value
}

function strings(item: Obj, path: string, field: string): string[] {
  const value = item[field]
  if (value === undefined) return []
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new SimFixtureError(`${path}.${field} must be an array of strings`)
  return value as string[]
}

function bool(item: Obj, path: string, field: string, fallback: boolean): boolean {
  const value = item[field]
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw new SimFixtureError(`${path}.${field} must be true or false`)
  return value
}

function refersTo(map: Map<string, unknown>, id: string, path: string, what: string): void {
  if (!map.has(id)) throw new SimFixtureError(`${path} names ${what} "${id}", which the fixture does not define`)
}

/**
 * Builds the in-memory state from a fixture; every resource starts settled (its lifecycle over) at `now`.
 * @example const state = stateFromFixture(loadFixture(), Date.now())
 */
export function stateFromFixture(fixture: SimFixture, now: number): SimState {
  if (typeof fixture !== 'object' || fixture === null || Array.isArray(fixture))
    throw new SimFixtureError('$ must be an object')
  const state = emptyState()
  const day = 86_400_000

  for (const [r, path] of list(fixture, 'regions')) {
    const regionID = str(r, path, 'regionID')
    state.regions.set(regionID, {
      regionID,
      regionName: str(r, path, 'regionName'),
      regionCode: str(r, path, 'regionCode', regionID),
      regionParent: str(r, path, 'regionParent', '华东'),
      regionType: str(r, path, 'regionType', 'openstack'),
      zoneList: strings(r, path, 'zoneList'),
      copyDestinations: strings(r, path, 'copyDestinations'),
      labelsSupported: bool(r, path, 'labelsSupported', true),
    })
  }
  const region = (item: Obj, path: string): string => {
    const regionID = str(item, path, 'regionID')
    refersTo(state.regions, regionID, `${path}.regionID`, 'region')
    return regionID
  }

  for (const [i, path] of list(fixture, 'instances')) {
    const instanceID = str(i, path, 'instanceID')
    const image = (i.image ?? {}) as Obj
    const flavor = (i.flavor ?? {}) as Obj
    state.instances.set(instanceID, {
      instanceID,
      regionID: region(i, path),
      instanceName: str(i, path, 'instanceName'),
      displayName: str(i, path, 'displayName', str(i, path, 'instanceName')),
      instanceStatus: str(i, path, 'instanceStatus', 'running'),
      azName: str(i, path, 'azName', 'default'),
      privateIP: str(i, path, 'privateIP', '192.168.0.10'),
      osType: num(i, path, 'osType', 1),
      image: {
        imageID: str(image, `${path}.image`, 'imageID', '-'),
        imageName: str(image, `${path}.image`, 'imageName', '-'),
      },
      flavor: {
        flavorID: str(flavor, `${path}.flavor`, 'flavorID', 'flavor-s7-2c4g'),
        flavorName: str(flavor, `${path}.flavor`, 'flavorName', 's7.large.2'),
        flavorCPU: num(flavor, `${path}.flavor`, 'flavorCPU', 2),
        flavorRAM: num(flavor, `${path}.flavor`, 'flavorRAM', 4096),
      },
      createdTime: str(i, path, 'createdTime', new Date(now - 30 * day).toISOString()),
    })
  }

  for (const [d, path] of list(fixture, 'disks')) {
    const diskID = str(d, path, 'diskID')
    const instanceID = d.instanceID === undefined || d.instanceID === null ? null : str(d, path, 'instanceID')
    if (instanceID) refersTo(state.instances, instanceID, `${path}.instanceID`, 'instance')
    const labels = d.labels ?? []
    if (!Array.isArray(labels)) throw new SimFixtureError(`${path}.labels must be an array of {key, value}`)
    const regionID = region(d, path)
    // A disk in a pool without label support cannot carry labels (§8.1): a fixture that says so is contradictory.
    if (labels.length > 0 && !state.regions.get(regionID)!.labelsSupported) {
      throw new SimFixtureError(
        `${path}.labels: region "${regionID}" has labelsSupported: false, so its disks carry no labels`,
      )
    }
    state.disks.set(diskID, {
      diskID,
      regionID,
      diskName: str(d, path, 'diskName'),
      diskSize: num(d, path, 'diskSize', 40),
      diskType: str(d, path, 'diskType', 'SSD'),
      diskMode: str(d, path, 'diskMode', 'VBD'),
      diskStatus: str(d, path, 'diskStatus', instanceID ? 'in-use' : 'available'),
      isSystemVolume: d.isSystemVolume === true,
      instanceID,
      azName: str(d, path, 'azName', 'default'),
      labels: labels.map((label, k) => ({
        key: str(label as Obj, `${path}.labels[${k}]`, 'key'),
        value: typeof (label as Obj).value === 'string' ? ((label as Obj).value as string) : '',
        labelId: `label-${diskID.slice(0, 8)}-${k}`,
      })),
      createTime: now - 30 * day,
      snapshotServiceOpened: false,
    })
  }

  for (const [s, path] of list(fixture, 'snapshots')) {
    const snapshotID = str(s, path, 'snapshotID')
    const diskID = str(s, path, 'diskID')
    refersTo(state.disks, diskID, `${path}.diskID`, 'disk')
    const createdAt = now - num(s, path, 'ageDays', 1) * day
    state.snapshots.set(snapshotID, {
      snapshotID,
      regionID: region(s, path),
      diskID,
      snapshotName: str(s, path, 'snapshotName'),
      snapshotType: s.snapshotType === 'timer' ? 'timer' : 'manu',
      retentionPolicy: str(s, path, 'retentionPolicy', 'forever'),
      retentionTime: num(s, path, 'retentionTime', 65535),
      description: str(s, path, 'description', '-'),
      createdAt,
      lifecycle: settled(str(s, path, 'snapshotStatus', 'available'), createdAt),
    })
    state.disks.get(diskID)!.snapshotServiceOpened = true
  }

  for (const [s, path] of list(fixture, 'ecsSnapshots')) {
    const snapshotID = str(s, path, 'snapshotID')
    const instanceID = str(s, path, 'instanceID')
    refersTo(state.instances, instanceID, `${path}.instanceID`, 'instance')
    state.ecsSnapshots.set(snapshotID, {
      snapshotID,
      regionID: region(s, path),
      instanceID,
      snapshotName: str(s, path, 'snapshotName'),
      status: str(s, path, 'status', 'available'),
      createdAt: now - num(s, path, 'ageDays', 1) * day,
    })
  }

  for (const [m, path] of list(fixture, 'images')) {
    const imageID = str(m, path, 'imageID')
    const visibility = str(m, path, 'imageVisibility', 'private')
    if (!['private', 'public', 'shared'].includes(visibility))
      throw new SimFixtureError(`${path}.imageVisibility must be private, public or shared`)
    state.images.set(imageID, {
      imageID,
      regionID: region(m, path),
      imageName: str(m, path, 'imageName'),
      imageVisibility: visibility as 'private',
      imageType: m.imageType === undefined || m.imageType === null ? null : str(m, path, 'imageType'),
      imageSource: str(m, path, 'imageSource', visibility === 'public' ? 'image_file' : 'cloud_server'),
      osType: str(m, path, 'osType', 'linux'),
      osDistro: str(m, path, 'osDistro', 'CentOS'),
      osVersion: str(m, path, 'osVersion', '7.9'),
      architecture: str(m, path, 'architecture', 'x86_64'),
      diskSize: num(m, path, 'diskSize', 40),
      imageSize: num(m, path, 'imageSize', 2_147_483_648),
      sourceServerID: m.sourceServerID ? str(m, path, 'sourceServerID') : null,
      description: str(m, path, 'description', '-'),
      createdAt: now - 60 * day,
      lifecycle: settled(str(m, path, 'imageStatus', 'active'), now - 60 * day),
    })
  }

  for (const [e, path] of list(fixture, 'eips')) {
    const eipID = str(e, path, 'eipID')
    const associationID = e.associationID ? str(e, path, 'associationID') : null
    if (associationID) refersTo(state.instances, associationID, `${path}.associationID`, 'instance')
    state.eips.set(eipID, {
      eipID,
      regionID: region(e, path),
      name: str(e, path, 'name'),
      eipAddress: str(e, path, 'eipAddress'),
      bandwidth: num(e, path, 'bandwidth', 5),
      createdAt: now - 10 * day,
      binding: {
        associationID,
        associationType: associationID ? 'INSTANCE' : null,
        lifecycle: settled(associationID ? 'ACTIVE' : 'DOWN', now - 10 * day),
      },
    })
  }

  for (const [b, path] of list(fixture, 'backupRepositories')) {
    const backupStorageID = str(b, path, 'backupStorageID')
    state.backupRepositories.set(backupStorageID, {
      backupStorageID,
      regionID: region(b, path),
      backupStorageName: str(b, path, 'backupStorageName'),
      capacityGB: num(b, path, 'capacityGB', 500),
      usedGB: num(b, path, 'usedGB', 20),
      createdAt: now - 90 * day,
      expireAt: now + 275 * day,
    })
  }

  for (const [p, path] of list(fixture, 'backupPolicies')) {
    const backupPolicyID = str(p, path, 'backupPolicyID')
    const backupSrcInstanceID = str(p, path, 'backupSrcInstanceID')
    const backupStorageID = str(p, path, 'backupStorageID')
    refersTo(state.instances, backupSrcInstanceID, `${path}.backupSrcInstanceID`, 'instance')
    refersTo(state.backupRepositories, backupStorageID, `${path}.backupStorageID`, 'backup repository')
    state.backupPolicies.set(backupPolicyID, {
      backupPolicyID,
      regionID: region(p, path),
      backupPolicyName: str(p, path, 'backupPolicyName'),
      backupSrcInstanceID,
      backupStorageID,
      enabled: p.enabled !== false,
      backupDirs: strings(p, path, 'backupDirs'),
    })
  }

  for (const [s, path] of list(fixture, 'backupSnapshots')) {
    const backupSnapID = str(s, path, 'backupSnapID')
    const backupPolicyID = str(s, path, 'backupPolicyID')
    refersTo(state.backupPolicies, backupPolicyID, `${path}.backupPolicyID`, 'backup policy')
    const createdAt = now - num(s, path, 'ageDays', 1) * day
    state.backupSnapshots.set(backupSnapID, {
      backupSnapID,
      regionID: region(s, path),
      backupPolicyID,
      snapName: str(s, path, 'snapName'),
      backupMode: num(s, path, 'backupMode', 1),
      createdAt,
      visibleFrom: createdAt,
      finishedAt: createdAt + 600_000,
      sizeBytes: num(s, path, 'sizeBytes', 1_073_741_824),
    })
  }

  for (const [g, path] of list(fixture, 'cdaGateways')) {
    const vrfName = str(g, path, 'vrfName')
    state.cdaGateways.set(vrfName, {
      ...g,
      vrfName,
      regionID: region(g, path),
      displayName: str(g, path, 'displayName'),
      account: str(g, path, 'account'),
    })
  }
  for (const region of state.regions.values()) {
    for (const [k, destination] of region.copyDestinations.entries()) {
      refersTo(state.regions, destination, `$.regions[regionID=${region.regionID}].copyDestinations[${k}]`, 'region')
    }
  }
  return state
}
