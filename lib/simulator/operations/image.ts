/** Images — ctimage-global (shared/ctyun-api.md §3.4). */
import { SimApiError, success } from '../envelope'
import { ERROR } from '../error-codes'
import { lifecycleAt } from '../lifecycle'
import type { SimOperation } from '../operation'
import { requireInRegion } from '../lookup'
import { paginate } from '../params'
import type { OperationInput } from '../runtime'
import { regionOf } from '../runtime'
import type { ImageRecord } from '../state'
import { imageView } from '../views'

const VISIBILITY_BY_CODE: Record<string, ImageRecord['imageVisibility']> = {
  '0': 'private',
  '1': 'public',
  '2': 'shared',
}
// imageName rule from the doc: 2-32 chars of A-Za-z0-9-, starts with a letter, does not end with '-'.
const IMAGE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,30}[A-Za-z0-9]$/

function checkImageName({ runtime, now }: OperationInput, regionID: string, name: string): void {
  if (!IMAGE_NAME.test(name)) {
    throw new SimApiError(
      ERROR.parameter,
      'imageName must be 2-32 characters of A-Z a-z 0-9 -, start with a letter and not end with -',
    )
  }
  const taken = [...runtime.state.images.values()].some(
    (i) =>
      i.regionID === regionID &&
      i.imageVisibility === 'private' &&
      i.imageName === name &&
      lifecycleAt(i.lifecycle, now).status !== 'error',
  )
  if (taken)
    throw new SimApiError(ERROR.imageNameExists, `a private image named "${name}" already exists in region ${regionID}`)
}

function newImage(
  input: OperationInput,
  fields: Pick<ImageRecord, 'regionID' | 'imageName' | 'imageSource' | 'sourceServerID' | 'description'> &
    Partial<ImageRecord>,
): ImageRecord {
  const { runtime, now } = input
  const failed = runtime.faults.lifecycleFails(input.operation)
  const image: ImageRecord = {
    imageID: runtime.ids.uuid(),
    imageVisibility: 'private',
    imageType: null,
    osType: 'linux',
    osDistro: 'CentOS',
    osVersion: '7.9',
    architecture: 'x86_64',
    diskSize: 40,
    imageSize: 2_147_483_648,
    createdAt: now,
    ...fields,
    lifecycle: {
      startedAt: now,
      phases: [
        { status: 'queued', ms: runtime.durations.imageQueuedMs },
        { status: 'saving', ms: runtime.durations.imageSavingMs },
      ],
      final: failed ? 'error' : 'active',
    },
  }
  runtime.state.images.set(image.imageID, image)
  return image
}

/** What every create operation does once its source checks out: check the name, start the image, reply with it. */
function createImage(
  input: OperationInput,
  regionID: string,
  imageName: string,
  fields: Pick<ImageRecord, 'imageSource' | 'sourceServerID'> & Partial<ImageRecord>,
) {
  checkImageName(input, regionID, imageName)
  const image = newImage(input, {
    regionID,
    imageName,
    description: input.params.optional('description') ?? '',
    ...fields,
  })
  return { images: [imageView(image, input.now)] }
}

function activeSource(input: OperationInput, regionID: string): ImageRecord {
  const imageID = input.params.required('imageID')
  const image = input.runtime.state.images.get(imageID)
  if (!image || image.regionID !== regionID)
    throw new SimApiError(ERROR.imageNotFound, `image ${imageID} not found in region ${regionID}`)
  if (image.imageVisibility !== 'private')
    throw new SimApiError(ERROR.parameter, `image ${imageID} is not a private image; only private images can be copied`)
  const status = lifecycleAt(image.lifecycle, input.now).status
  if (status !== 'active')
    throw new SimApiError(ERROR.imageNotActive, `image ${imageID} is ${status}; only active images can be copied`)
  return image
}

/** A private copy of `source` named by `imageName`, made in `toRegionID` (the same region for image.copy). */
function startCopy(input: OperationInput, source: ImageRecord, fromRegionID: string, toRegionID: string): void {
  const { params } = input
  const imageName = params.required('imageName')
  checkImageName(input, toRegionID, imageName)
  checkNoCopyInFlight(input, source, toRegionID)
  newImage(input, {
    ...copyFields(source),
    regionID: toRegionID,
    imageName,
    description: params.optional('description') ?? source.description,
    copiedFrom: { imageID: source.imageID, regionID: fromRegionID },
  })
}

/** One in-flight copy per source image per destination region (§3.4). */
function checkNoCopyInFlight(input: OperationInput, source: ImageRecord, destinationRegionID: string): void {
  const inFlight = [...input.runtime.state.images.values()].find(
    (i) =>
      i.copiedFrom?.imageID === source.imageID &&
      i.regionID === destinationRegionID &&
      !lifecycleAt(i.lifecycle, input.now).done,
  )
  if (inFlight)
    throw new SimApiError(
      ERROR.imageCopyInProgress,
      `image ${source.imageID} is already being copied to region ${destinationRegionID}`,
    )
}

export const imageOperations: SimOperation[] = [
  {
    name: 'image.list',
    service: 'ctimage',
    methods: ['GET'],
    path: '/v4/image/list',
    handle({ params, runtime, now }) {
      const region = regionOf(runtime, params)
      // Doc default is 1 (public); the old SDK sends `visibility` instead (§3.4).
      const code = params.optional('imageVisibilityCode') ?? params.optional('visibility') ?? '1'
      const visibility = VISIBILITY_BY_CODE[code]
      if (!visibility && !['3', '4', '5', '6'].includes(code))
        throw new SimApiError(ERROR.parameter, 'imageVisibilityCode must be 0-6')
      const name = params.optional('imageName')
      const imageType = params.optional('imageType')
      const queryContent = params.optional('queryContent')
      const matches = [...runtime.state.images.values()].filter(
        (i) =>
          i.regionID === region.regionID &&
          i.imageVisibility === visibility &&
          lifecycleAt(i.lifecycle, now).status !== 'deleted' &&
          (!name || i.imageName.includes(name)) &&
          (!imageType || (imageType === 'others' ? i.imageType !== 'data_disk_image' : i.imageType === imageType)) &&
          (!queryContent || i.imageName.includes(queryContent) || i.imageID.includes(queryContent)),
      )
      const { page, totalCount, currentCount, totalPage } = paginate(matches, params, { defaultSize: 10, maxSize: 200 })
      return success({ images: page.map((i) => imageView(i, now)), currentCount, totalCount, totalPage })
    },
  },
  {
    name: 'image.detail',
    service: 'ctimage',
    methods: ['GET'],
    path: '/v4/image/detail',
    handle({ params, runtime, now }) {
      const region = regionOf(runtime, params)
      const imageID = params.required('imageID')
      const image = runtime.state.images.get(imageID)
      if (!image || image.regionID !== region.regionID) {
        // errorFree (default true): an image unusable in the region is an empty success (§3.4).
        if (params.bool('errorFree') === false)
          throw new SimApiError(ERROR.imageNotFound, `image ${imageID} not found in region ${region.regionID}`)
        return success({ images: [] })
      }
      return success({ images: [imageView(image, now)] })
    },
  },
  {
    name: 'image.create',
    service: 'ctimage',
    methods: ['POST'],
    path: '/v4/image/create',
    idempotent: true,
    handle(input) {
      const { params, runtime } = input
      const region = regionOf(runtime, params)
      const imageName = params.required('imageName')
      const instanceID = params.required('instanceID')
      requireInRegion(runtime.state.instances, instanceID, region.regionID, ERROR.instanceNotFound, 'instance')
      const systemDisk = [...runtime.state.disks.values()].find((d) => d.instanceID === instanceID && d.isSystemVolume)
      return success(
        createImage(input, region.regionID, imageName, {
          imageSource: 'cloud_server',
          sourceServerID: instanceID,
          diskSize: systemDisk?.diskSize ?? 40,
        }),
      )
    },
  },
  {
    name: 'image.createFromDataDisk',
    service: 'ctimage',
    methods: ['POST'],
    path: '/v4/image/create-from-data-disk',
    idempotent: true,
    handle(input) {
      const { params, runtime } = input
      const region = regionOf(runtime, params)
      const imageName = params.required('imageName')
      const instanceID = params.required('instanceID')
      const dataDiskID = params.required('dataDiskID')
      const disk = requireInRegion(runtime.state.disks, dataDiskID, region.regionID, ERROR.diskNotFound, 'disk')
      if (disk.isSystemVolume || disk.instanceID !== instanceID) {
        throw new SimApiError(
          ERROR.parameter,
          `dataDiskID ${dataDiskID} must be a data disk attached to instance ${instanceID}`,
        )
      }
      return success(
        createImage(input, region.regionID, imageName, {
          imageType: 'data_disk_image',
          imageSource: 'cloud_server',
          sourceServerID: instanceID,
          diskSize: disk.diskSize,
        }),
      )
    },
  },
  {
    name: 'image.createFromEcs',
    service: 'ctimage',
    methods: ['POST'],
    path: '/v4/image/create-from-ecs',
    idempotent: true,
    handle(input) {
      const { params, runtime } = input
      const region = regionOf(runtime, params)
      const imageName = params.required('imageName')
      const instanceID = params.required('instanceID')
      requireInRegion(runtime.state.instances, instanceID, region.regionID, ERROR.instanceNotFound, 'instance')
      return success(
        createImage(input, region.regionID, imageName, {
          imageType: 'full_ecs_image',
          imageSource: 'full_ecs',
          sourceServerID: instanceID,
        }),
      )
    },
  },
  {
    // Takes an ECS (云主机) snapshot, not an EBS (云硬盘) one (doc api 18057, §8.8): an EBS snapshot id is refused by name.
    name: 'image.createFromSnapshot',
    service: 'ctimage',
    methods: ['POST'],
    path: '/v4/image/create-from-ecs-snapshot',
    idempotent: true,
    handle(input) {
      const { params, runtime } = input
      const region = regionOf(runtime, params)
      const imageName = params.required('imageName')
      const snapshotID = params.required('snapshotID')
      if (runtime.state.snapshots.has(snapshotID) && !runtime.state.ecsSnapshots.has(snapshotID)) {
        throw new SimApiError(
          ERROR.parameter,
          `snapshotID ${snapshotID} is an EBS (云硬盘) snapshot; create-from-ecs-snapshot takes an ECS (云主机) snapshot id`,
        )
      }
      const snapshot = requireInRegion(
        runtime.state.ecsSnapshots,
        snapshotID,
        region.regionID,
        ERROR.ecsSnapshotNotFound,
        'ECS snapshot',
      )
      if (snapshot.status !== 'available')
        throw new SimApiError(ERROR.parameter, `ECS snapshot ${snapshotID} is ${snapshot.status}, not available`)
      const systemDisk = [...runtime.state.disks.values()].find(
        (d) => d.instanceID === snapshot.instanceID && d.isSystemVolume,
      )
      return success(
        createImage(input, region.regionID, imageName, {
          imageSource: 'snapshot',
          sourceServerID: snapshot.instanceID,
          diskSize: systemDisk?.diskSize ?? 40,
        }),
      )
    },
  },
  {
    name: 'ebs.createImage',
    service: 'ebs',
    methods: ['POST'],
    path: '/v4/ebs/create-image-ebs',
    idempotent: true,
    handle(input) {
      const { params, runtime } = input
      const region = regionOf(runtime, params)
      const imageName = params.required('imageName')
      const disk = requireInRegion(
        runtime.state.disks,
        params.required('diskID'),
        region.regionID,
        ERROR.diskNotFound,
        'disk',
      )
      const created = createImage(input, region.regionID, imageName, {
        imageType: disk.isSystemVolume ? null : 'data_disk_image',
        imageSource: 'cloud_server',
        sourceServerID: disk.instanceID,
        diskSize: disk.diskSize,
      })
      // The EBS doc example nests the envelope in {httpstatus, httpresult} (shared/ctyun-api.md §3.4).
      return { ...success(created), nestInHttpResult: true }
    },
  },
  {
    name: 'image.crossRegionCopy',
    service: 'ctimage',
    methods: ['POST'],
    path: '/v4/image/cross-region-copy',
    idempotent: true,
    handle(input) {
      const { params, runtime } = input
      const region = regionOf(runtime, params)
      const destination = regionOf(runtime, params, 'destinationRegionID')
      if (!region.copyDestinations.includes(destination.regionID)) {
        throw new SimApiError(
          ERROR.imageCopyUnsupportedRegion,
          `images of region ${region.regionID} cannot be copied to region ${destination.regionID}`,
        )
      }
      const source = activeSource(input, region.regionID)
      if (source.imageType === 'full_ecs_image')
        throw new SimApiError(ERROR.parameter, 'full_ecs_image images cannot be copied across regions')
      startCopy(input, source, region.regionID, destination.regionID)
      // No new image ID is returned (§3.4): callers find the copy by name in the destination.
      return success({})
    },
  },
  {
    name: 'image.copy',
    service: 'ctimage',
    methods: ['POST'],
    path: '/v4/image/copy',
    idempotent: true,
    handle(input) {
      const { params, runtime } = input
      const region = regionOf(runtime, params)
      startCopy(input, activeSource(input, region.regionID), region.regionID, region.regionID)
      return success({})
    },
  },
  {
    // POST /v4/image/delete {regionID, imageID}: not in the fact sheet's table; path and body from the official SDKs
    // (ctyun-sdk-go, the Java SDK's DeletePrivateImageRequest). Assumed here: only a private image that is not being
    // made, and is not the source of a copy in flight, can be deleted, and it is gone at once (detail: empty, §8.8).
    name: 'image.delete',
    service: 'ctimage',
    methods: ['POST'],
    path: '/v4/image/delete',
    handle(input) {
      const { params, runtime, now } = input
      const region = regionOf(runtime, params)
      const imageID = params.required('imageID')
      const image = runtime.state.images.get(imageID)
      if (!image || image.regionID !== region.regionID)
        throw new SimApiError(ERROR.imageNotFound, `image ${imageID} not found in region ${region.regionID}`)
      if (image.imageVisibility !== 'private')
        throw new SimApiError(
          ERROR.parameter,
          `image ${imageID} is not a private image; only private images can be deleted`,
        )
      const { status, done } = lifecycleAt(image.lifecycle, now)
      if (!done) throw new SimApiError(ERROR.imageNotActive, `image ${imageID} is ${status}; it cannot be deleted yet`)
      const copying = [...runtime.state.images.values()].some(
        (i) => i.copiedFrom?.imageID === imageID && !lifecycleAt(i.lifecycle, now).done,
      )
      if (copying)
        throw new SimApiError(ERROR.imageCopyInProgress, `image ${imageID} is being copied; it cannot be deleted yet`)
      runtime.state.images.delete(imageID)
      return success({})
    },
  },
  {
    name: 'image.supportedDestinations',
    service: 'ctimage',
    methods: ['GET'],
    path: '/v4/image/list-supported-dest-crr-regions',
    handle({ params, runtime }) {
      const region = regionOf(runtime, params)
      return success({ regions: region.copyDestinations })
    },
  },
]

function copyFields(source: ImageRecord) {
  const { imageType, imageSource, osType, osDistro, osVersion, architecture, diskSize, imageSize, sourceServerID } =
    source
  return { imageType, imageSource, osType, osDistro, osVersion, architecture, diskSize, imageSize, sourceServerID }
}
