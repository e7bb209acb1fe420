import { afterEach, describe, expect, it } from 'vitest'
import { HD1, NM8, XN1, startJobHarness, type JobHarness } from './job-harness'

import { PRIVATE_IMAGE as GOLDEN } from '../../lib/simulator/default-fixture-ids'
let harness: JobHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const imagesNamed = (h: JobHarness, name: string) => [...h.sim.simulator.state.images.values()].filter((i) => i.imageName === name)

describe('image-copy', () => {
  it('copies to every destination, waits until active, and returns the new ids per region', async () => {
    harness = await startJobHarness()
    const run = await harness.run('image-copy', { regionID: HD1, imageID: GOLDEN, destinations: [NM8, XN1, NM8] })
    expect(run.error).toBeUndefined()
    const output = run.output as { sourceImageID: string; copies: Array<{ regionID: string; imageID: string }> }
    expect(output.sourceImageID).toBe(GOLDEN)
    expect(output.copies.map((c) => c.regionID)).toEqual([NM8, XN1])
    const copies = imagesNamed(harness, 'web-golden-202601').filter((i) => i.regionID !== HD1)
    expect(copies.map((c) => [c.regionID, c.imageID]).sort()).toEqual(output.copies.map((c) => [c.regionID, c.imageID]).sort())
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

  it('survives server errors and throttling, still one copy per region', async () => {
    harness = await startJobHarness({ seed: 5, faults: { '*': { serverErrorRate: 0.2, throttleRate: 0.2, throttleMode: 'both', retryAfterSeconds: 0 } } as never })
    const run = await harness.run('image-copy', { regionID: HD1, imageID: GOLDEN, destinations: [NM8, XN1] })
    expect(run.error).toBeUndefined()
    for (const region of [NM8, XN1]) expect(imagesNamed(harness, 'web-golden-202601').filter((i) => i.regionID === region)).toHaveLength(1)
  })

  it('refuses an unsupported destination before copying anything', async () => {
    harness = await startJobHarness()
    const run = await harness.run('image-copy', { regionID: NM8, imageID: GOLDEN, destinations: [XN1] })
    expect(run.status).toBe('FAILED')
    expect(run.error?.error).toBe('Job.InvalidInput')
    expect(harness.calls('image.crossRegionCopy')).toBe(0)
  })
})
