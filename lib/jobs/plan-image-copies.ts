import { JobInputError, isRecord, requireString } from './job-input-error'

/**
 * The image-copy job's first step (`ctflow:image:planCopies`): checks the source image and every destination
 * before any copy starts, so a typo in the last region does not leave half the copies made.
 * - the image must be private, active, and not a full-ECS image (doc api 18060);
 * - each destination must be in `list-supported-dest-crr-regions` for the source region, and not the source itself;
 * - destinations are de-duplicated, so one run never copies one image to one region twice.
 * The copy keeps the source's name unless `copyName` is given: names are unique per region, so re-running the job
 * finds (and waits for) the copy it made before instead of making another.
 */
export interface ImageCopyInput {
  regionID: string
  imageID: string
  destinations: string[]
  copyName?: string
}

export interface PlannedCopy {
  regionID: string
  imageID: string
  destinationRegionID: string
  imageName: string
}

export interface SourceImage {
  imageID: string
  imageName?: string
  imageStatus?: string
  status?: string
  imageVisibility?: string
  visibility?: string
  imageType?: string | null
}

/** Image names: 2–32 of [A-Za-z0-9-], starting with a letter, not ending with `-` (doc api 4765). */
const IMAGE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,30}[A-Za-z0-9]$/

export async function planImageCopies(
  raw: unknown,
  deps: {
    getImage: (params: { regionID: string; imageID: string }) => Promise<SourceImage | undefined>
    supportedDestinations: (params: { regionID: string }) => Promise<string[]>
  },
): Promise<{ regionID: string; imageID: string; copies: PlannedCopy[] }> {
  if (!isRecord(raw)) throw new JobInputError('', 'must be a JSON object')
  const regionID = requireString(raw, 'regionID')
  const imageID = requireString(raw, 'imageID')
  const destinations = raw.destinations
  if (
    !Array.isArray(destinations) ||
    destinations.length === 0 ||
    destinations.some((d) => typeof d !== 'string' || d === '')
  ) {
    throw new JobInputError('destinations', 'must be a non-empty array of region IDs')
  }
  if (raw.copyName !== undefined && (typeof raw.copyName !== 'string' || !IMAGE_NAME.test(raw.copyName))) {
    throw new JobInputError(
      'copyName',
      'must be 2–32 characters of A-Z a-z 0-9 -, starting with a letter and not ending with -',
    )
  }
  destinations.forEach((d, i) => {
    if (d === regionID)
      throw new JobInputError(`destinations[${i}]`, `is the source region ${regionID}; use a same-region copy instead`)
  })

  const image = await deps.getImage({ regionID, imageID })
  if (!image) throw new JobInputError('imageID', `${imageID} was not found in region ${regionID}`)
  // Sources disagree on field names (doc imageStatus/imageVisibility, SDK status/visibility): read both.
  const status = image.imageStatus ?? image.status
  const visibility = image.imageVisibility ?? image.visibility
  if (status !== 'active')
    throw new JobInputError(
      'imageID',
      `${imageID} is ${status ?? 'of unknown status'}; only an active image can be copied`,
    )
  if (visibility !== undefined && visibility !== 'private')
    throw new JobInputError('imageID', `${imageID} is ${visibility}; only private images can be copied`)
  if (image.imageType === 'full_ecs_image')
    throw new JobInputError('imageID', `${imageID} is a full-ECS image, which cross-region copy does not support`)

  const supported = new Set(await deps.supportedDestinations({ regionID }))
  destinations.forEach((d, i) => {
    if (!supported.has(d))
      throw new JobInputError(
        `destinations[${i}]`,
        `${d} is not a supported copy destination for region ${regionID} (supported: ${[...supported].join(', ') || 'none'})`,
      )
  })
  const imageName = (raw.copyName as string | undefined) ?? copyNameFor(image.imageName ?? imageID)
  return {
    regionID,
    imageID,
    copies: [...new Set(destinations as string[])].map((destinationRegionID) => ({
      regionID,
      imageID,
      destinationRegionID,
      imageName,
    })),
  }
}

/** The source's name made valid as an image name (a source may predate the rule). */
function copyNameFor(name: string): string {
  let candidate = name
    .replace(/[^A-Za-z0-9-]/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .slice(0, 32)
    .replace(/-+$/, '')
  if (!IMAGE_NAME.test(candidate)) candidate = `copy-${candidate}`.slice(0, 32).replace(/-+$/, '')
  return IMAGE_NAME.test(candidate) ? candidate : 'ctflow-image-copy'
}
