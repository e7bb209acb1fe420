import { describe, expect, it } from 'vitest'
import { planImageCopies, type SourceImage } from './plan-image-copies'

const images: Record<string, SourceImage> = {
  'img-1': { imageID: 'img-1', imageName: 'web-base', imageStatus: 'active', imageVisibility: 'private' },
  'img-sdk': { imageID: 'img-sdk', imageName: 'old_name 2019', status: 'active', visibility: 'private' },
  'img-saving': { imageID: 'img-saving', imageName: 'x', imageStatus: 'saving', imageVisibility: 'private' },
  'img-public': { imageID: 'img-public', imageName: 'centos', imageStatus: 'active', imageVisibility: 'public' },
  'img-full': {
    imageID: 'img-full',
    imageName: 'whole',
    imageStatus: 'active',
    imageVisibility: 'private',
    imageType: 'full_ecs_image',
  },
}
const deps = {
  getImage: async ({ imageID }: { regionID: string; imageID: string }) => images[imageID],
  supportedDestinations: async () => ['r2', 'r3'],
}

describe('planImageCopies', () => {
  it('plans one copy per distinct destination, keeping the source name', async () => {
    const plan = await planImageCopies({ regionID: 'r1', imageID: 'img-1', destinations: ['r2', 'r3', 'r2'] }, deps)
    expect(plan.copies).toEqual([
      { regionID: 'r1', imageID: 'img-1', destinationRegionID: 'r2', imageName: 'web-base' },
      { regionID: 'r1', imageID: 'img-1', destinationRegionID: 'r3', imageName: 'web-base' },
    ])
  })

  it('reads the SDK field names too and makes an old name valid', async () => {
    const plan = await planImageCopies({ regionID: 'r1', imageID: 'img-sdk', destinations: ['r2'] }, deps)
    expect(plan.copies[0]!.imageName).toBe('old-name-2019')
  })

  it.each([
    [{ regionID: 'r1', imageID: 'img-1', destinations: [] }, 'input.destinations must be a non-empty array'],
    [
      { regionID: 'r1', imageID: 'img-1', destinations: ['r2', 'r9'] },
      'input.destinations[1] r9 is not a supported copy destination for region r1 (supported: r2, r3)',
    ],
    [{ regionID: 'r1', imageID: 'img-1', destinations: ['r1'] }, 'input.destinations[0] is the source region'],
    [{ regionID: 'r1', imageID: 'img-1', destinations: ['r2'], copyName: '-x' }, 'input.copyName must be'],
    [{ regionID: 'r1', imageID: 'nope', destinations: ['r2'] }, 'input.imageID nope was not found in region r1'],
    [{ regionID: 'r1', imageID: 'img-saving', destinations: ['r2'] }, 'is saving; only an active image'],
    [{ regionID: 'r1', imageID: 'img-public', destinations: ['r2'] }, 'only private images'],
    [{ regionID: 'r1', imageID: 'img-full', destinations: ['r2'] }, 'full-ECS image'],
  ])('refuses %j before copying anything', async (input, message) => {
    await expect(planImageCopies(input, deps)).rejects.toThrow(message)
  })
})
