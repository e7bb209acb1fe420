/**
 * Image 镜像 (ctimage-global): list, detail, create (from an instance's system disk, a data disk, an ECS snapshot,
 * or an EBS disk via the EBS host), cross-region and same-region copy (shared/ctyun-api.md §3.4).
 *
 * Field names disagree between sources: the official SDK/TF clients read `status`, `visibility`, `size`; the doc
 * catalog says `imageStatus`, `imageVisibility`, `imageSize`. `normalizeImage` reads both and fills the doc names.
 */
import type { CtyunCaller } from '../caller'
import { TF_WAITS } from '../poll-schedule'
import type { ProbeResult, WaitOptions } from '../wait'
import { DEFAULT_WAIT_MS, waitFor } from '../wait'
import { countOf, paginateByPageNo } from '../paginate'
import { CtyunApiError, CtyunHttpError, CtyunInputError } from '../errors'
import { defined, requireParams } from './require-params'

export interface Image {
  imageID: string
  imageName?: string
  /** Normalised from `imageStatus` or `status`. */
  imageStatus?: string
  imageVisibility?: string
  imageSize?: number
  imageType?: string | null
  [field: string]: unknown
}

/** Fills `imageStatus`/`imageVisibility`/`imageSize` from the SDK names when only those are present. */
export function normalizeImage(raw: Record<string, unknown>): Image {
  return {
    ...raw,
    imageID: String(raw.imageID ?? raw.id ?? ''),
    imageStatus: (raw.imageStatus ?? raw.status) as string | undefined,
    imageVisibility: (raw.imageVisibility ?? raw.visibility) as string | undefined,
    imageSize: (raw.imageSize ?? raw.size) as number | undefined,
  }
}

/** Terminal failures; `active` is done; everything else (queued, saving, syncing, importing, …) keeps waiting. */
export const FAILED_IMAGE_STATUSES: readonly string[] = [
  'error',
  'killed',
  'deleted',
  'deleting',
  'pending_delete',
  'deactivated',
  'rejected',
]

/**
 * What a copy of an image keeps (doc api 18060 copies the image itself): a same-named image in the destination that
 * differs from the source in one of these is not its copy. No copy ID is returned and no field names the source
 * image (§3.4, §7), so this is how a copy is told from another image; fields one side lacks are not compared.
 */
const COPY_KEPT_FIELDS = ['imageType', 'osType', 'osDistro', 'osVersion', 'architecture', 'diskSize'] as const

/** The first field in which `candidate` cannot be a copy of `source` ("osDistro Ubuntu, not CentOS"), or undefined. */
export function copyMismatch(source: Image, candidate: Image): string | undefined {
  for (const field of COPY_KEPT_FIELDS) {
    const want = source[field]
    const have = candidate[field]
    if (want === undefined || have === undefined) continue
    // imageType null means a system-disk image (doc §3.4).
    if ((want ?? null) !== (have ?? null)) return `${field} ${JSON.stringify(have)}, not ${JSON.stringify(want)}`
  }
  return undefined
}

/** Still being made: neither active nor failed (queued, saving, syncing, …). */
function inFlight(image: Image): boolean {
  const status = String(image.imageStatus ?? '')
  return status !== 'active' && !FAILED_IMAGE_STATUSES.includes(status)
}

export interface ImageCopyParams {
  /** The source image's region. */
  regionID: string
  /** Where the copy goes; `regionID` itself for a same-region copy (`/v4/image/copy`, doc api 19685). */
  destinationRegionID: string
  imageID: string
  imageName: string
  description?: string
  projectID?: string
  /** Same-region copy only: the key to encrypt with. */
  cmkID?: string
}

/**
 * What `startImageCopy` found or did: `started` (the copy call was accepted), `adopted` (a copy of this image under
 * this name was there already, or appeared), or `blocked` (the copy was refused while another copy of this image —
 * under another name — is in flight to the destination: one at a time per source and destination, doc api 18060).
 */
export type ImageCopyStart =
  | { outcome: 'started'; destinationRegionID: string; imageName: string }
  | { outcome: 'adopted'; destinationRegionID: string; imageName: string; image: Image }
  | { outcome: 'blocked'; destinationRegionID: string; imageName: string; by: Image }

/** Doc constraint for imageName: 2-32 chars of `[A-Za-z0-9-]`, starts with a letter, does not end with `-`. */
const IMAGE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,30}[A-Za-z0-9]$/

function checkImageName(name: string): void {
  if (!IMAGE_NAME.test(name))
    throw new CtyunInputError(
      'imageName',
      'must be 2-32 characters of A-Z a-z 0-9 -, start with a letter and not end with -',
    )
}

export interface ListImagesParams {
  regionID: string
  /** 0 private, 1 public (default), 2 shared, … (doc api 4763). */
  imageVisibilityCode?: number
  imageName?: string
  imageType?: string
  imageStatus?: string
  azName?: string
  projectID?: string
  queryContent?: string
  pageSize?: number
}

interface CreateCommon {
  regionID: string
  imageName: string
  description?: string
  projectID?: string
  labels?: { labelKey: string; labelValue: string }[]
}

/** `Image.ImageCheck.NotFound` (TF error_code.go; §2.3, §8.8), in either spelling CTyun uses for a code. */
function isImageNotFound(code: string): boolean {
  return code.toLowerCase() === 'image.imagecheck.notfound'
}

function imagesOf(reply: Record<string, unknown> | undefined): Image[] {
  const images = (reply?.images ?? []) as Record<string, unknown>[]
  return Array.isArray(images) ? images.map(normalizeImage) : []
}

export function createImageService(caller: CtyunCaller) {
  /** GET `/v4/image/list`, every page (pageSize default 50, max 200). */
  function listImages(params: ListImagesParams): AsyncGenerator<Image, void, undefined> {
    requireParams('image.listImages', params, ['regionID'])
    const { pageSize = 50, ...filters } = params
    return paginateByPageNo(
      async (pageNo, size) => {
        const reply = await caller.request<Record<string, unknown>>({
          service: 'image',
          method: 'GET',
          path: '/v4/image/list',
          query: defined({ ...filters, pageNo, pageSize: size }),
        })
        return { items: imagesOf(reply), totalCount: countOf(reply?.totalCount), totalPage: countOf(reply?.totalPage) }
      },
      { pageSize },
    )
  }

  /**
   * GET `/v4/image/detail` with `errorFree=false`: by default (true) an image that no longer exists comes back as an
   * empty list, indistinguishable from one not listed yet; with false it is `Image.ImageCheck.NotFound` (doc api
   * 4764, §8.8), which a wait can fail on at once. Undefined when the image is not there.
   */
  async function getImage(params: { regionID: string; imageID: string }): Promise<Image | undefined> {
    return (await lookUpImage(params)).image
  }

  async function lookUpImage(params: { regionID: string; imageID: string }): Promise<{ image?: Image; gone: boolean }> {
    requireParams('image.getImage', params, ['regionID', 'imageID'])
    try {
      const reply = await caller.request<Record<string, unknown>>({
        service: 'image',
        method: 'GET',
        path: '/v4/image/detail',
        query: { regionID: params.regionID, imageID: params.imageID, errorFree: 'false' },
      })
      const image = imagesOf(reply)[0]
      return { image, gone: false }
    } catch (error) {
      if (error instanceof CtyunApiError && isImageNotFound(error.errorCode)) return { gone: true }
      throw error
    }
  }

  async function create<P extends CreateCommon>(
    path: string,
    service: 'image' | 'ebs',
    operation: string,
    params: P,
    required: (keyof P & string)[],
  ): Promise<Image> {
    requireParams(operation, params, ['regionID', 'imageName', ...required])
    checkImageName(params.imageName)
    // These creates take no clientToken, so a retry could create a second image: not retried (writes rule).
    const reply = await caller.request<Record<string, unknown>>({
      service,
      method: 'POST',
      path,
      body: defined(params),
    })
    const image = imagesOf(reply)[0]
    if (!image?.imageID) throw new CtyunInputError('imageID', `${operation}: the reply carried no image`)
    return image
  }

  /** One poll: active done; an error status, or an image that no longer exists (§8.8), failed; else pending. */
  async function probeImage(params: { regionID: string; imageID: string }): Promise<ProbeResult<Image>> {
    const { image, gone } = await lookUpImage(params)
    if (gone)
      return {
        state: 'failed',
        status: 'not-found',
        reason: `image ${params.imageID} no longer exists in region ${params.regionID}`,
      }
    if (!image) return { state: 'pending', status: 'not-found' }
    return statusProbe(image)
  }

  function statusProbe(image: Image): ProbeResult<Image> {
    const status = String(image.imageStatus ?? 'unknown')
    if (status === 'active') return { state: 'done', status, value: image }
    if (FAILED_IMAGE_STATUSES.includes(status)) return { state: 'failed', status, value: image }
    return { state: 'pending', status, value: image }
  }

  /** Finds a private image by exact name in a region (copies return no id: §3.4, §7; the list's name filter is not exact). */
  async function findImageByName(params: { regionID: string; imageName: string }): Promise<Image | undefined> {
    requireParams('image.findImageByName', params, ['regionID', 'imageName'])
    for await (const image of listImages({
      regionID: params.regionID,
      imageVisibilityCode: 0,
      imageName: params.imageName,
    })) {
      if (image.imageName === params.imageName) return image
    }
    return undefined
  }

  /**
   * One step towards a copy of `imageID` named `imageName` in the destination, decided from what the destination
   * holds, never from an error code (§8.3: no source names the "busy" or "name taken" codes):
   * 1. a copy of this image under this name is there (in flight or active) → adopted;
   * 2. else the copy call; if CTyun refuses it, the destination is read again: the named copy now there (another run
   *    started it a moment ago) → adopted; another copy of this image in flight → blocked (wait for it, then call
   *    again); neither → the call is made once more (the blocking copy may have just finished), and a second
   *    refusal that nothing explains is thrown as it came.
   * A same-named image that is not a copy of this image (copyMismatch) is an input error naming `imageName`.
   */
  async function startImageCopy(params: ImageCopyParams): Promise<ImageCopyStart> {
    requireParams('image.startImageCopy', params, ['regionID', 'destinationRegionID', 'imageID', 'imageName'])
    checkImageName(params.imageName)
    const { destinationRegionID } = params
    const sameRegion = destinationRegionID === params.regionID
    const { imageName } = params
    const source = await getImage({ regionID: params.regionID, imageID: params.imageID })
    if (!source)
      throw new CtyunInputError('imageID', `image ${params.imageID} was not found in region ${params.regionID}`)
    const where = { destinationRegionID, imageName }

    const ours = async (): Promise<Image | undefined> => {
      const named = await findImageByName({ regionID: destinationRegionID, imageName })
      if (!named) return undefined
      const mismatch = named.imageID === source.imageID ? 'it is the source image itself' : copyMismatch(source, named)
      if (mismatch) {
        throw new CtyunInputError(
          'imageName',
          `a private image named "${imageName}" (${named.imageID}) already exists in region ${destinationRegionID} and is not a copy of image ${source.imageID} (${mismatch}); give the copy another name`,
        )
      }
      return FAILED_IMAGE_STATUSES.includes(String(named.imageStatus)) ? undefined : named
    }

    const before = await ours()
    if (before) return { outcome: 'adopted', ...where, image: before }
    const { regionID, imageID, description, projectID, cmkID } = params
    const common = { regionID, imageID, imageName, description, projectID }
    // Neither call takes a clientToken, so neither is retried blindly (a retry could start a second copy).
    const requestCopy = () =>
      sameRegion
        ? caller.request({
            service: 'image',
            method: 'POST',
            path: '/v4/image/copy',
            body: defined({ ...common, cmkID }),
          })
        : caller.request({
            service: 'image',
            method: 'POST',
            path: '/v4/image/cross-region-copy',
            body: defined({ ...common, destinationRegionID }),
          })

    for (let call = 1; ; call++) {
      try {
        await requestCopy()
        return { outcome: 'started', ...where }
      } catch (error) {
        // A refusal (HTTP 200 + 900, or a 4xx envelope): read the destination again. Transport errors and 5xx leave
        // the outcome unknown; they are thrown, and the next start finds the copy by name if it was made.
        const refused =
          error instanceof CtyunApiError || (error instanceof CtyunHttpError && error.status < 500 && !!error.errorCode)
        if (!refused) throw error
        const now = await ours()
        if (now) return { outcome: 'adopted', ...where, image: now }
        const blocker = await copyInFlight(source, imageName, destinationRegionID)
        if (blocker) return { outcome: 'blocked', ...where, by: blocker }
        // Nothing explains the refusal. The copy that caused it may have finished between the refusal and the
        // re-read, so the call is made once more (a refusal started nothing, and no copy by this name exists);
        // refused again with nothing to explain it, the refusal is thrown as it came.
        if (call >= 2) throw error
      }
    }
  }

  /** Another copy of `source` (under another name than `imageName`) in flight to the destination. */
  async function copyInFlight(source: Image, imageName: string, regionID: string): Promise<Image | undefined> {
    for await (const image of listImages({ regionID, imageVisibilityCode: 0 })) {
      if (
        image.imageID !== source.imageID &&
        image.imageName !== imageName &&
        inFlight(image) &&
        !copyMismatch(source, image)
      )
        return image
    }
    return undefined
  }

  /** One poll of a copy: look the copy up by name in the destination region, then by status. */
  async function probeImageCopy(params: {
    destinationRegionID: string
    imageName: string
  }): Promise<ProbeResult<Image>> {
    const image = await findImageByName({ regionID: params.destinationRegionID, imageName: params.imageName })
    return image ? statusProbe(image) : { state: 'pending', status: 'not-found' }
  }

  return {
    listImages,
    getImage,
    findImageByName,
    /** POST `/v4/image/create`: a system-disk image of an instance (doc api 4765). */
    createImageFromInstance: (
      params: CreateCommon & {
        instanceID: string
        enableImageIntegrityCheck?: boolean
        maximumRAM?: number
        minimumRAM?: number
      },
    ) => create('/v4/image/create', 'image', 'image.createImageFromInstance', params, ['instanceID']),
    /** POST `/v4/image/create-from-data-disk` (doc api 5230). */
    createImageFromDataDisk: (params: CreateCommon & { dataDiskID: string; instanceID: string }) =>
      create('/v4/image/create-from-data-disk', 'image', 'image.createImageFromDataDisk', params, [
        'dataDiskID',
        'instanceID',
      ]),
    /** POST `/v4/image/create-from-ecs-snapshot` (doc api 18057, multi-AZ pools): an ECS (云主机) snapshot id, not an EBS one (§8.8). */
    createImageFromSnapshot: (params: CreateCommon & { snapshotID: string }) =>
      create('/v4/image/create-from-ecs-snapshot', 'image', 'image.createImageFromSnapshot', params, ['snapshotID']),
    /** POST ebs-global `/v4/ebs/create-image-ebs` (EBS doc 18938; its nested reply is unwrapped by the envelope). */
    createImageFromDisk: (params: CreateCommon & { diskID: string }) =>
      create('/v4/ebs/create-image-ebs', 'ebs', 'image.createImageFromDisk', params, ['diskID']),
    /** POST `/v4/image/cross-region-copy` (doc api 18060): returns nothing; wait with `probeImageCopy`. */
    async copyImageToRegion(params: Omit<ImageCopyParams, 'cmkID'>): Promise<void> {
      requireParams('image.copyImageToRegion', params, ['regionID', 'destinationRegionID', 'imageID', 'imageName'])
      checkImageName(params.imageName)
      await caller.request({
        service: 'image',
        method: 'POST',
        path: '/v4/image/cross-region-copy',
        body: defined(params),
      })
    },
    /** POST `/v4/image/copy` (doc api 19685), same region: returns nothing; wait with `probeImageCopy`. */
    async copyImage(params: {
      regionID: string
      imageID: string
      imageName: string
      cmkID?: string
      description?: string
      projectID?: string
    }): Promise<void> {
      requireParams('image.copyImage', params, ['regionID', 'imageID', 'imageName'])
      checkImageName(params.imageName)
      await caller.request({ service: 'image', method: 'POST', path: '/v4/image/copy', body: defined(params) })
    },
    /**
     * POST `/v4/image/delete` {regionID, imageID}: deletes a private image. Not in the fact sheet's table; the path and
     * body are the official SDKs' (ctyun-sdk-go ctimage image delete, the Java SDK's DeletePrivateImageRequest). Its
     * reply is not relied on: callers decide from the image's state read again (`getImage`: undefined when gone).
     */
    async deleteImage(params: { regionID: string; imageID: string }): Promise<void> {
      requireParams('image.deleteImage', params, ['regionID', 'imageID'])
      await caller.request({ service: 'image', method: 'POST', path: '/v4/image/delete', body: defined(params) })
    },
    /** GET `/v4/image/list-supported-dest-crr-regions` (doc api 18059): region ids a copy may go to. */
    async listCopyDestinations(params: { regionID: string }): Promise<string[]> {
      requireParams('image.listCopyDestinations', params, ['regionID'])
      const reply = await caller.request<{ regions?: unknown[] }>({
        service: 'image',
        method: 'GET',
        path: '/v4/image/list-supported-dest-crr-regions',
        query: { regionID: params.regionID },
      })
      // Read as ids; tolerate objects carrying a regionID.
      return (reply?.regions ?? []).map((r) =>
        typeof r === 'object' && r !== null ? String((r as { regionID?: unknown }).regionID) : String(r),
      )
    },
    startImageCopy,
    probeImage,
    probeImageCopy,
    waitForImage: (params: { regionID: string; imageID: string }, options?: WaitOptions) =>
      waitFor(() => probeImage(params), `image ${params.imageID} → active`, {
        initialDelayMs: 5_000,
        maxDelayMs: 30_000,
        timeoutMs: Math.max(DEFAULT_WAIT_MS, TF_WAITS.imageMs),
        ...options,
      }),
    waitForImageCopy: (params: { destinationRegionID: string; imageName: string }, options?: WaitOptions) =>
      waitFor(
        () => probeImageCopy(params),
        `image copy "${params.imageName}" in ${params.destinationRegionID} → active`,
        {
          initialDelayMs: 5_000,
          maxDelayMs: 30_000,
          timeoutMs: Math.max(DEFAULT_WAIT_MS, TF_WAITS.imageMs),
          ...options,
        },
      ),
  }
}
