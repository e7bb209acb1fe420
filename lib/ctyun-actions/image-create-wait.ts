/**
 * `ctyun:image:createImageFromDisk.sync` and `ctyun:image:deleteImage.sync`: a private image made from an EBS disk
 * (create-image-ebs, EBS doc 18938) until it is active, and a private image deleted until it is gone.
 *
 * Neither call takes a clientToken, so neither is sent blind twice: the create looks for an image of its name in the
 * region first (names are unique among a region's private images, §3.4) and adopts it — a run resumed after a crash,
 * or a retry after a lost reply, finds the image its first try made. The delete reads the image first and after a
 * refusal: an image that is gone is deleted, whatever the reply said (§8.3: no decision rests on an error code).
 */
import { CtyunApiError, CtyunInputError, type CtyunClient, RESOURCE_SCHEDULE } from '../ctyun'
import type { ProbeOutcome } from '../engine'
import { firstWait, orFail, waitMore } from './wait-outcomes'

export interface ImageCreateHandle {
  regionID: string
  imageID: string
  imageName: string
  /** Whether the image was there already (made by an earlier try), for the record. */
  adopted?: boolean
}

export function imageCreateWait(client: CtyunClient) {
  async function begin(input: Record<string, unknown>): Promise<ImageCreateHandle> {
    const { regionID, diskID, imageName } = input
    for (const [field, value] of Object.entries({ regionID, diskID, imageName }))
      if (typeof value !== 'string' || value === '') throw new CtyunInputError(field, 'is required (a string)')
    const where = { regionID: regionID as string, imageName: imageName as string }
    const existing = await client.image.findImageByName(where)
    if (existing) return { ...where, imageID: existing.imageID, adopted: true }
    const image = await client.image.createImageFromDisk(input as never)
    return { ...where, imageID: image.imageID }
  }
  return {
    start: begin,
    call: begin,
    async probe(handle: ImageCreateHandle): Promise<ProbeOutcome> {
      return orFail(
        await client.image.probeImage({ regionID: handle.regionID, imageID: handle.imageID }),
        `image ${handle.imageName} (${handle.imageID}) in ${handle.regionID}`,
      )
    },
  }
}

export interface ImageDeleteHandle {
  regionID: string
  imageID: string
  waitedMs?: number
}

/** Statuses of an image on its way out: wait for it to be gone. */
const GOING = ['deleting', 'pending_delete', 'deleted']

export function imageDeleteWait(client: CtyunClient) {
  const gone = (handle: ImageDeleteHandle) => ({ imageID: handle.imageID, regionID: handle.regionID, deleted: true })
  async function begin(input: Record<string, unknown>): Promise<ImageDeleteHandle> {
    const { regionID, imageID } = input
    for (const [field, value] of Object.entries({ regionID, imageID }))
      if (typeof value !== 'string' || value === '') throw new CtyunInputError(field, 'is required (a string)')
    const target = { regionID: regionID as string, imageID: imageID as string }
    const image = await client.image.getImage(target)
    if (!image || GOING.includes(String(image.imageStatus))) return target
    try {
      await client.image.deleteImage(target)
    } catch (error) {
      if (!(error instanceof CtyunApiError)) throw error
      // Refused: gone or going after all (another run, a retry whose first try got through) is what was wanted.
      const again = await client.image.getImage(target)
      if (again && !GOING.includes(String(again.imageStatus))) throw error
    }
    return target
  }
  return {
    start: begin,
    async call(input: Record<string, unknown>) {
      return gone(await begin(input))
    },
    async probe(handle: ImageDeleteHandle): Promise<ProbeOutcome> {
      if (handle.waitedMs === undefined) {
        // Most deletes are over at once: look before the first wait.
        const image = await client.image.getImage(handle)
        if (!image) return { state: 'done', status: 'gone', value: gone(handle) }
        return firstWait(handle, RESOURCE_SCHEDULE)
      }
      const image = await client.image.getImage(handle)
      if (!image) return { state: 'done', status: 'gone', value: gone(handle) }
      return waitMore({ state: 'pending', status: String(image.imageStatus ?? 'unknown') }, handle, RESOURCE_SCHEDULE)
    },
  }
}
