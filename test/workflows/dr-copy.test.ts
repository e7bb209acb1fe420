import { afterEach, describe, expect, it } from 'vitest'
import type { RunRecord } from '../../lib/engine/run'
import { drSourceKey } from '../../lib/jobs/dr-image-name'
import type { DrReport } from '../../lib/jobs/dr-report'
import { DB01, DISK_DB_DATA, DISK_WEB_SYSTEM, WEB01 } from '../../lib/simulator/default-fixture-ids'
import { HD1, NM8, XN1, startJobHarness, type JobHarness } from './job-harness'

let harness: JobHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const images = (h: JobHarness) => [...h.sim.simulator.state.images.values()]
const drImagesOf = (h: JobHarness, diskID: string, regionID: string, prefix = 'ctflowdr') =>
  images(h).filter((i) => i.regionID === regionID && i.imageName.startsWith(`${prefix}-${drSourceKey(diskID)}-`))

/** A FAILED dr-copy run carries its report in the cause (`… Report: {…}`). */
function reportOf(run: RunRecord): DrReport {
  if (run.status === 'SUCCEEDED') return run.output as DrReport
  const cause = run.error?.cause ?? ''
  return JSON.parse(cause.slice(cause.indexOf('Report: ') + 'Report: '.length)) as DrReport
}

/** Makes every cross-region copy to `regionID` end in error, as the cloud would report a failed copy there. */
function failCopiesTo(regionID: string) {
  return (fetch: typeof globalThis.fetch): typeof globalThis.fetch =>
    async (request, init) => {
      const response = await fetch(request, init)
      for (const image of harness ? images(harness) : [])
        if (image.regionID === regionID && image.copiedFrom) image.lifecycle = { ...image.lifecycle, final: 'error' }
      return response
    }
}

describe('dr-copy', () => {
  it('images each source, copies it to every destination, and fails at the end naming the destination that failed', async () => {
    harness = await startJobHarness({}, { wrapFetch: failCopiesTo(XN1) })
    const run = await harness.run('dr-copy', {
      regionID: HD1,
      sources: { diskIDs: [DISK_DB_DATA], instanceIDs: [WEB01] },
      destinations: [NM8, XN1],
      keepLast: 2,
    })
    expect(run.status).toBe('FAILED')
    expect(run.error?.error).toBe('DR.CopyFailed')
    expect(run.error?.cause).toMatch(new RegExp(`^destinations failed: ${XN1} \\(${DISK_DB_DATA}, ${WEB01}\\)`))
    const report = reportOf(run)
    expect(report.failedDestinations).toEqual([XN1])
    expect(report.sources.map((s) => [s.sourceID, s.kind, s.diskID])).toEqual([
      [DISK_DB_DATA, 'disk', DISK_DB_DATA],
      [WEB01, 'instance', DISK_WEB_SYSTEM], // an instance by its system disk
    ])
    for (const source of report.sources) {
      expect(source.snapshotID).toEqual(expect.any(String))
      expect(source.imageID).toEqual(expect.any(String))
      const [nm8, xn1] = source.destinations
      // The failing destination did not stop the other.
      expect(nm8).toMatchObject({ regionID: NM8, status: 'copied', imageID: expect.any(String) })
      expect(xn1).toMatchObject({ regionID: XN1, status: 'failed', imageID: null })
      expect(xn1!.error).toContain('Ctyun.ResourceFailed')
      // One image per source here, one copy per destination, each made once.
      expect(drImagesOf(harness, source.diskID!, HD1)).toHaveLength(1)
      expect(drImagesOf(harness, source.diskID!, NM8).map((i) => i.imageID)).toEqual([nm8!.imageID])
      expect(drImagesOf(harness, source.diskID!, XN1)).toHaveLength(1)
    }
    expect(harness.calls('ebs.createImage')).toBe(2)
    expect(harness.calls('image.crossRegionCopy')).toBe(4)
    expect(report.summary).toMatchObject({ sources: 2, succeeded: 0, failed: 2, images: 2, copies: 2 })
  })

  it('keeps the newest keepLast DR images per source in each region, deletes older ones, never another name', async () => {
    harness = await startJobHarness()
    const input = { regionID: HD1, sources: { instanceIDs: [DB01] }, destinations: [NM8], keepLast: 2 }
    // An image by hand whose name looks close: not of the job's form, so never touched.
    const lookalike = `ctflowdr-${drSourceKey('5d0c1e2f-0003-4c7a-8e4b-a1b2c3d4e503')}-handmade`
    const seeded = {
      ...images(harness).find((i) => i.imageVisibility === 'private')!,
      imageID: 'hand-1',
      regionID: NM8,
    }
    harness.sim.simulator.state.images.set('hand-1', { ...seeded, imageName: lookalike })
    const names: string[] = []
    for (let night = 0; night < 3; night++) {
      const run = await harness.run('dr-copy', input)
      expect(run.error, `night ${night + 1}`).toBeUndefined()
      names.push(reportOf(run).sources[0]!.imageName!)
    }
    const systemDisk = '5d0c1e2f-0003-4c7a-8e4b-a1b2c3d4e503'
    for (const region of [HD1, NM8])
      expect(
        drImagesOf(harness, systemDisk, region)
          .map((i) => i.imageName)
          .sort(),
        region,
      ).toEqual(region === NM8 ? [names[1], names[2], lookalike].sort() : [names[1], names[2]].sort())
    expect(harness.sim.simulator.state.images.has('hand-1')).toBe(true)
  })

  it('refuses an unsupported destination without a call to it, copies to the others, then fails naming it', async () => {
    harness = await startJobHarness()
    const run = await harness.run('dr-copy', {
      regionID: HD1,
      sources: { diskIDs: [DISK_DB_DATA, 'no-such-disk'] },
      destinations: [NM8, 'cn-nowhere-1'],
    })
    expect(run.status).toBe('FAILED')
    expect(run.error?.cause).toContain('destinations failed: cn-nowhere-1')
    expect(run.error?.cause).toContain('disk no-such-disk: disk not found')
    const report = reportOf(run)
    expect(report.sources[0]!.destinations.map((d) => [d.regionID, d.status])).toEqual([
      [NM8, 'copied'],
      ['cn-nowhere-1', 'unsupported'],
    ])
    expect(harness.calls('image.crossRegionCopy')).toBe(1)
  })

  it('refuses bad input at start naming the field, with nothing created', async () => {
    harness = await startJobHarness()
    const error = await harness.engine
      .start({ workflow: 'dr-copy', input: { regionID: HD1, sources: {}, destinations: [] } })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'EngineInputError' })
    const run = await harness.run('dr-copy', {
      regionID: HD1,
      sources: { diskIDs: [DISK_DB_DATA] },
      destinations: [HD1],
    })
    expect(run.error).toMatchObject({ error: 'Job.InvalidInput' })
    expect(run.error?.cause).toContain('input.destinations[0] is the source region')
    expect(harness.calls('ebs.createSnapshot')).toBe(0)
  })
})
