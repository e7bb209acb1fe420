import { ownDrRunKey } from './dr-image-name'

/**
 * Which DR images of one source the dr-copy job deletes (`ctflow:dr:planPrunes`): in the source region and in each
 * destination this run's copy reached, the newest `keepLast` of the job's images of this source are kept — this run's
 * among them, whether or not the listing shows it yet (a plan run made none) — and the older ones deleted. Only names
 * of the job's own form for this source count (dr-image-name.ts); every other image is left alone. A destination whose
 * copy failed tonight is not pruned (its older copies are the newest it has). Images still being made or copied are
 * not deleted (CTyun would refuse, and they may be another run's): they are listed in `busy`.
 */
export interface DrPruneRegion {
  regionID: string
  /** Images to delete, oldest last. */
  delete: Array<{ imageID: string; imageName: string }>
  /** The job's images of this source kept, newest first (names). */
  kept: string[]
  busy: string[]
}

interface ListedImage {
  imageID: string
  imageName?: string
  imageStatus?: string
}

type ListImages = (params: {
  regionID: string
  imageVisibilityCode: number
  imageName: string
}) => AsyncIterable<ListedImage>

const DELETABLE = ['active', 'error', 'killed', 'deactivated']

export async function planDrPrunes(
  input: {
    regionID: string
    prefix: string
    sourceKey: string
    keepLast: number
    imageName: string
    imageID?: string | null
    copies: Array<{ regionID: string; imageID?: string | null; error?: unknown }>
  },
  { listImages }: { listImages: ListImages },
): Promise<DrPruneRegion[]> {
  const regions = [
    ...(input.imageID ? [input.regionID] : []),
    ...input.copies.filter((c) => c.imageID && !c.error).map((c) => c.regionID),
  ]
  const plans: DrPruneRegion[] = []
  for (const regionID of regions) {
    const own: Array<{ image: ListedImage; key: string }> = []
    // The list's name filter is not exact (§3.4): it narrows, the exact form decides.
    for await (const image of listImages({
      regionID,
      imageVisibilityCode: 0,
      imageName: `${input.prefix}-${input.sourceKey}-`,
    })) {
      const key =
        image.imageName === undefined ? undefined : ownDrRunKey(input.prefix, input.sourceKey, image.imageName)
      if (key !== undefined && image.imageName !== input.imageName) own.push({ image, key })
    }
    own.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0)) // newest first
    const older = own.slice(Math.max(0, input.keepLast - 1))
    const kept = [input.imageName, ...own.slice(0, Math.max(0, input.keepLast - 1)).map((o) => o.image.imageName!)]
    plans.push({
      regionID,
      delete: older
        .filter((o) => DELETABLE.includes(String(o.image.imageStatus)))
        .map((o) => ({ imageID: o.image.imageID, imageName: o.image.imageName! })),
      kept,
      busy: older.filter((o) => !DELETABLE.includes(String(o.image.imageStatus))).map((o) => o.image.imageName!),
    })
  }
  return plans
}
