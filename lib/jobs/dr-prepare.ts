import { checkDrPrefix, DrImageNameError, drImageName, drSourceKey } from './dr-image-name'
import { isRecord, JobInputError, requireString } from './job-input-error'

/**
 * The dr-copy job's first step (`ctflow:dr:prepare`): checks the input, resolves each source to the disk its image is
 * made from — a disk as given, an instance by its system disk — from one listing of the region's disks, and checks the
 * destinations against the regions CTyun copies images to from this region (list-supported-dest-crr-regions).
 *
 * CTyun makes private images from an EBS disk (create-image-ebs) or an instance (image create, which needs it
 * stopped where the pool does not support running ones); it makes none from an EBS snapshot (create-from-ecs-snapshot
 * takes an ECS snapshot, §8.8). So each source gets an EBS snapshot (a local restore point, expiring after
 * `snapshotRetentionDays` by CTyun's own retention) and an image of the same disk, taken right after it.
 */
export interface DrSource {
  /** What the input named: a disk id, or an instance id. */
  sourceID: string
  kind: 'disk' | 'instance'
  diskID: string
  diskName?: string
  instanceID?: string | null
  /** This run's image (and snapshot) name for the source, and the key its DR images share (dr-image-name.ts). */
  imageName: string
  sourceKey: string
}

export interface DrPlan {
  regionID: string
  prefix: string
  keepLast: number
  snapshotRetentionDays: number
  sources: DrSource[]
  /** Destinations CTyun copies to from this region, each once, in input order. */
  destinations: string[]
  /** Destinations it does not: reported as failed for every source, nothing is sent there. */
  unsupported: string[]
  /** Sources the region does not have (or instances without a system disk there). */
  missing: Array<{ sourceID: string; kind: 'disk' | 'instance'; reason: string }>
}

interface ListedDisk {
  diskID: string
  diskName?: string
  instanceID?: string | null
  isSystemVolume?: boolean | string
}

export const DR_DEFAULTS = { prefix: 'ctflowdr', keepLast: 3, snapshotRetentionDays: 7 }

export async function prepareDrCopy(
  input: unknown,
  {
    runId,
    listDisks,
    supportedDestinations,
  }: {
    runId: string
    listDisks: (params: { regionID: string }) => AsyncIterable<ListedDisk>
    supportedDestinations: (params: { regionID: string }) => Promise<string[]>
  },
): Promise<DrPlan> {
  if (!isRecord(input)) throw new JobInputError('', 'must be an object')
  const regionID = requireString(input, 'regionID')
  const prefix = input.imagePrefix ?? DR_DEFAULTS.prefix
  try {
    checkDrPrefix(prefix)
  } catch (error) {
    if (error instanceof DrImageNameError)
      throw new JobInputError('imagePrefix', 'must be 1–10 letters and digits, starting with a letter')
    throw error
  }
  const keepLast = wholeNumber(input, 'keepLast', DR_DEFAULTS.keepLast, 1)
  const snapshotRetentionDays = wholeNumber(
    input,
    'snapshotRetentionDays',
    DR_DEFAULTS.snapshotRetentionDays,
    1,
    65_535,
  )
  if (!isRecord(input.sources))
    throw new JobInputError('sources', 'is required: { "diskIDs": […], "instanceIDs": […] }')
  const diskIDs = idList(input.sources, 'diskIDs')
  const instanceIDs = idList(input.sources, 'instanceIDs')
  if (diskIDs.length + instanceIDs.length === 0)
    throw new JobInputError(
      'sources',
      'names no disk and no instance (give sources.diskIDs and/or sources.instanceIDs)',
    )
  if (!Array.isArray(input.destinations) || input.destinations.length === 0)
    throw new JobInputError('destinations', 'is required: one or more region ids to copy the images to')
  const wanted: string[] = []
  input.destinations.forEach((destination, index) => {
    if (typeof destination !== 'string' || destination === '')
      throw new JobInputError(`destinations[${index}]`, 'must be a region id')
    if (destination === regionID)
      throw new JobInputError(`destinations[${index}]`, 'is the source region; a DR copy goes to another region')
    if (!wanted.includes(destination)) wanted.push(destination)
  })

  const [supported, disks] = await Promise.all([supportedDestinations({ regionID }), collect(listDisks({ regionID }))])
  const destinations = wanted.filter((d) => supported.includes(d))
  const unsupported = wanted.filter((d) => !supported.includes(d))
  const sources: DrSource[] = []
  const missing: DrPlan['missing'] = []
  const add = (sourceID: string, kind: DrSource['kind'], disk: ListedDisk) => {
    if (sources.some((s) => s.diskID === disk.diskID)) return // an instance's system disk named twice: one image
    sources.push({
      sourceID,
      kind,
      diskID: disk.diskID,
      ...(disk.diskName ? { diskName: disk.diskName } : {}),
      instanceID: disk.instanceID ?? null,
      imageName: drImageName(prefix, disk.diskID, runId),
      sourceKey: drSourceKey(disk.diskID),
    })
  }
  for (const diskID of diskIDs) {
    const disk = disks.find((d) => d.diskID === diskID)
    if (disk) add(diskID, 'disk', disk)
    else missing.push({ sourceID: diskID, kind: 'disk', reason: `disk not found in region ${regionID}` })
  }
  for (const instanceID of instanceIDs) {
    const system = disks.find((d) => d.instanceID === instanceID && isSystem(d.isSystemVolume))
    if (system) add(instanceID, 'instance', system)
    else
      missing.push({
        sourceID: instanceID,
        kind: 'instance',
        reason: `no system disk of this instance in region ${regionID}`,
      })
  }
  return { regionID, prefix, keepLast, snapshotRetentionDays, sources, destinations, unsupported, missing }
}

function isSystem(value: unknown): boolean {
  return value === true || value === 'true'
}

function wholeNumber(
  input: Record<string, unknown>,
  field: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = input[field]
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new JobInputError(
      field,
      `must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`,
    )
  return value
}

function idList(sources: Record<string, unknown>, field: 'diskIDs' | 'instanceIDs'): string[] {
  const value = sources[field]
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new JobInputError(`sources.${field}`, 'must be an array of ids')
  const ids: string[] = []
  value.forEach((id, index) => {
    if (typeof id !== 'string' || id === '') throw new JobInputError(`sources.${field}[${index}]`, 'must be an id')
    if (!ids.includes(id)) ids.push(id)
  })
  return ids
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}
