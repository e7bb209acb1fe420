import { afterEach, describe, expect, it } from 'vitest'
import { createCtyunClient } from '../../lib/ctyun/client'
import { HD1, NM8, XN1, startJobHarness, type JobHarness } from './job-harness'

import { PRIVATE_IMAGE as GOLDEN } from '../../lib/simulator/default-fixture-ids'
let harness: JobHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const imagesNamed = (h: JobHarness, name: string) =>
  [...h.sim.simulator.state.images.values()].filter((i) => i.imageName === name)

describe('image-copy', () => {
  it('copies to every destination, waits until active, and returns the new ids per region', async () => {
    harness = await startJobHarness()
    const run = await harness.run('image-copy', { regionID: HD1, imageID: GOLDEN, destinations: [NM8, XN1, NM8] })
    expect(run.error).toBeUndefined()
    const output = run.output as { sourceImageID: string; copies: Array<{ regionID: string; imageID: string }> }
    expect(output.sourceImageID).toBe(GOLDEN)
    expect(output.copies.map((c) => c.regionID)).toEqual([NM8, XN1])
    const copies = imagesNamed(harness, 'web-golden-202601').filter((i) => i.regionID !== HD1)
    expect(copies.map((c) => [c.regionID, c.imageID]).sort()).toEqual(
      output.copies.map((c) => [c.regionID, c.imageID]).sort(),
    )
    expect(harness.calls('image.crossRegionCopy')).toBe(2) // one per distinct destination
  })

  it('never copies one image to one region twice: a re-run and a concurrent run reuse the copy', async () => {
    harness = await startJobHarness()
    const input = { regionID: HD1, imageID: GOLDEN, destinations: [NM8] }
    const [a, b] = await Promise.all([harness.run('image-copy', input), harness.run('image-copy', input)])
    const again = await harness.run('image-copy', input)
    for (const run of [a, b, again]) expect(run.status).toBe('SUCCEEDED')
    const ids = [a, b, again].map((run) => (run.output as { copies: Array<{ imageID: string }> }).copies[0]!.imageID)
    expect(new Set(ids).size).toBe(1)
    expect(imagesNamed(harness, 'web-golden-202601').filter((i) => i.regionID === NM8)).toHaveLength(1)
  })

  // No source names the "busy" or "name taken" codes (shared/ctyun-api.md §8.3): the simulator spells them in ways no
  // code of ours knows, and the job must still decide from what the destination holds.
  const unknownCodes = { imageCopyInProgress: 'Image.Unknown.Busy', imageNameExists: 'Image.Unknown.Taken' } as const

  it('ends with one copy per destination when concurrent runs meet busy and duplicate answers in codes it does not know', async () => {
    // Slow listings, so that both runs are likely to look at the destinations before either copy starts.
    harness = await startJobHarness({ errorCodes: unknownCodes, faults: { 'image.list': { latencyMs: 30 } } })
    const input = { regionID: HD1, imageID: GOLDEN, destinations: [NM8, XN1] }
    const [a, b] = await Promise.all([harness.run('image-copy', input), harness.run('image-copy', input)])
    const again = await harness.run('image-copy', input)
    for (const run of [a, b, again]) expect(run.error).toBeUndefined()
    for (const region of [NM8, XN1])
      expect(imagesNamed(harness, 'web-golden-202601').filter((i) => i.regionID === region)).toHaveLength(1)
    const ids = (run: typeof a) =>
      (run.output as { copies: Array<{ regionID: string; imageID: string }> }).copies.map((c) => c.imageID).sort()
    expect(ids(b)).toEqual(ids(a))
    expect(ids(again)).toEqual(ids(a))
  })

  it('adopts the copy another caller started between its look and its copy (duplicate answer in an unknown code)', async () => {
    // Another caller gets there first, every time: right before the job's copy request reaches the cloud, the same
    // copy is started by hand, so the job's own copy is refused as a duplicate, spelt in a code it does not know.
    let other: ReturnType<typeof createCtyunClient> | undefined
    harness = await startJobHarness(
      { errorCodes: unknownCodes },
      {
        wrapFetch: (fetch) => async (input, init) => {
          const url = String(input)
          if (url.includes('/v4/image/cross-region-copy') && init?.body) {
            const body = JSON.parse(new TextDecoder().decode(init.body as Uint8Array)) as Record<string, string>
            await other!.image.copyImageToRegion({
              regionID: body.regionID!,
              destinationRegionID: body.destinationRegionID!,
              imageID: body.imageID!,
              imageName: body.imageName!,
            })
          }
          return fetch(input, init)
        },
      },
    )
    other = createCtyunClient({ credentials: harness.sim.credentials, endpoint: harness.sim.url })
    const run = await harness.run('image-copy', { regionID: HD1, imageID: GOLDEN, destinations: [NM8, XN1] })
    expect(run.error).toBeUndefined()
    const refused = harness.sim.simulator.calls
      .snapshot()
      .recent.filter((c) => c.operation === 'image.crossRegionCopy' && c.outcome === 'Image.Unknown.Taken')
    expect(refused).toHaveLength(2)
    for (const region of [NM8, XN1])
      expect(imagesNamed(harness, 'web-golden-202601').filter((i) => i.regionID === region)).toHaveLength(1)
    const copies = (run.output as { copies: Array<{ regionID: string; imageID: string }> }).copies
    for (const copy of copies)
      expect(harness.sim.simulator.state.images.get(copy.imageID)).toMatchObject({
        regionID: copy.regionID,
        imageName: 'web-golden-202601',
      })
  })

  it('waits for a copy of the same image in flight under another name, then copies (busy answer in an unknown code)', async () => {
    harness = await startJobHarness({ errorCodes: unknownCodes })
    const other = await harness.run('image-copy', {
      regionID: HD1,
      imageID: GOLDEN,
      destinations: [NM8],
      copyName: 'golden-first',
    })
    expect(other.status).toBe('SUCCEEDED')
    // Start another copy by hand and leave it in flight, then run the job: its copy is refused until that one is done.
    const client = harness.client
    await client.image.copyImageToRegion({
      regionID: HD1,
      destinationRegionID: NM8,
      imageID: GOLDEN,
      imageName: 'golden-by-hand',
    })
    const run = await harness.run('image-copy', { regionID: HD1, imageID: GOLDEN, destinations: [NM8] })
    expect(run.error).toBeUndefined()
    const inNm8 = [...harness.sim.simulator.state.images.values()]
      .filter((i) => i.regionID === NM8 && i.copiedFrom?.imageID === GOLDEN)
      .map((i) => i.imageName)
      .sort()
    expect(inNm8).toEqual(['golden-by-hand', 'golden-first', 'web-golden-202601'])
    expect(
      harness.sim.simulator.calls
        .snapshot()
        .recent.some((c) => c.operation === 'image.crossRegionCopy' && c.outcome === 'Image.Unknown.Busy'),
    ).toBe(true)
  })

  it('survives server errors and throttling, still one copy per region', async () => {
    harness = await startJobHarness({
      seed: 5,
      faults: { '*': { serverErrorRate: 0.2, throttleRate: 0.2, throttleMode: 'both', retryAfterSeconds: 0 } } as never,
    })
    const run = await harness.run('image-copy', { regionID: HD1, imageID: GOLDEN, destinations: [NM8, XN1] })
    expect(run.error).toBeUndefined()
    for (const region of [NM8, XN1])
      expect(imagesNamed(harness, 'web-golden-202601').filter((i) => i.regionID === region)).toHaveLength(1)
  })

  it('refuses an unsupported destination before copying anything', async () => {
    harness = await startJobHarness()
    const run = await harness.run('image-copy', { regionID: NM8, imageID: GOLDEN, destinations: [XN1] })
    expect(run.status).toBe('FAILED')
    expect(run.error?.error).toBe('Job.InvalidInput')
    expect(harness.calls('image.crossRegionCopy')).toBe(0)
  })
})
