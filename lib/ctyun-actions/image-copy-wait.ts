/**
 * `ctyun:image:copyImageToRegion.sync` and `ctyun:image:copyImage.sync`: copy an image (to another region, or within
 * its own), then wait until the copy is active.
 *
 * Copies take no clientToken and return no id (shared/ctyun-api.md §3.4), so the copy is known by its name in the
 * destination, and every decision is made from what the destination holds (lib/ctyun image.startImageCopy): a run
 * resumed after a crash, a retry, or a second run at the same moment adopts the copy that is there instead of making
 * another; a copy refused because another copy of the image is in flight waits for that one, then copies.
 */
import type { CtyunClient, ImageCopyParams } from '../ctyun'
import type { ProbeOutcome } from '../engine'
import { orFail } from './wait-outcomes'

export interface ImageCopyWaitHandle {
  destinationRegionID: string
  imageName: string
  /** Set while the copy waits for another copy of the same image in flight to the destination: that image's id… */
  blockedBy?: string
  /** …and the copy to start once it is done. */
  copy?: ImageCopyParams
}

export function imageCopyWait(client: CtyunClient, kind: 'cross-region' | 'same-region') {
  async function start(copy: ImageCopyParams): Promise<ImageCopyWaitHandle> {
    const started = await client.image.startImageCopy(copy)
    const handle = { destinationRegionID: started.destinationRegionID, imageName: started.imageName }
    return started.outcome === 'blocked' ? { ...handle, blockedBy: started.by.imageID, copy } : handle
  }

  return {
    start(input: Record<string, unknown>): Promise<ImageCopyWaitHandle> {
      // A same-region copy's destination is its own region; a cross-region one must name it (or requireParams says so).
      const copy = (kind === 'same-region'
        ? { ...input, destinationRegionID: input.regionID }
        : input) as unknown as ImageCopyParams
      return start(copy)
    },

    async probe(handle: ImageCopyWaitHandle): Promise<ProbeOutcome> {
      if (handle.blockedBy && handle.copy) {
        const blocker = await client.image.probeImage({
          regionID: handle.destinationRegionID,
          imageID: handle.blockedBy,
        })
        if (blocker.state === 'pending')
          return { state: 'pending', status: `waiting for copy ${handle.blockedBy} in flight (${blocker.status})` }
        // Done, failed or gone: the way is clear, so start (or adopt) this copy now.
        const next = await start(handle.copy)
        return {
          state: 'pending',
          status: next.blockedBy ? `waiting for copy ${next.blockedBy} in flight` : 'copy started',
          handle: next,
        }
      }
      return orFail(
        await client.image.probeImageCopy(handle),
        `image copy "${handle.imageName}" in ${handle.destinationRegionID}`,
      )
    },
  }
}
