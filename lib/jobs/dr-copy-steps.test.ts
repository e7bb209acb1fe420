import { describe, expect, it } from 'vitest'
import { drImageName, drRunKey, drSourceKey, ownDrRunKey } from './dr-image-name'
import { prepareDrCopy } from './dr-prepare'
import { planDrPrunes } from './dr-prune-plan'
import { buildDrReport } from './dr-report'

const RUN = '019ae4c2-7b10-7c3e-9a7b-000000000001'
const disks = [
  { diskID: 'd-sys', instanceID: 'vm-1', isSystemVolume: true },
  { diskID: 'd-data', instanceID: 'vm-1', isSystemVolume: false },
]
const deps = {
  runId: RUN,
  async *listDisks() {
    yield* disks
  },
  supportedDestinations: async () => ['nm8', 'xn1'],
}

describe('dr-copy image names', () => {
  it('name each source by a hash of its disk and each run by its time, within the IMS name rule', () => {
    const name = drImageName('ctflowdr', 'd-sys', RUN)
    expect(name).toBe(`ctflowdr-${drSourceKey('d-sys')}-019ae4c27b10`)
    expect(name.length).toBeLessThanOrEqual(32)
    expect(drImageName('abcdefghij', 'd-sys', RUN)).toHaveLength(32)
    expect(ownDrRunKey('ctflowdr', drSourceKey('d-sys'), name)).toBe(drRunKey(RUN))
    expect(ownDrRunKey('ctflowdr', drSourceKey('d-sys'), `${name}x`)).toBeUndefined()
    expect(ownDrRunKey('ctflowdr', drSourceKey('d-data'), name)).toBeUndefined()
  })
})

describe('prepareDrCopy', () => {
  it('resolves an instance to its system disk, splits the destinations, and lists what is missing', async () => {
    const plan = await prepareDrCopy(
      {
        regionID: 'hd1',
        sources: { diskIDs: ['d-data', 'gone'], instanceIDs: ['vm-1', 'vm-x'] },
        destinations: ['nm8', 'elsewhere', 'nm8'],
      },
      deps,
    )
    expect(plan.sources.map((s) => [s.sourceID, s.kind, s.diskID])).toEqual([
      ['d-data', 'disk', 'd-data'],
      ['vm-1', 'instance', 'd-sys'],
    ])
    expect(plan.destinations).toEqual(['nm8'])
    expect(plan.unsupported).toEqual(['elsewhere'])
    expect(plan.missing.map((m) => m.sourceID)).toEqual(['gone', 'vm-x'])
    expect(plan).toMatchObject({ prefix: 'ctflowdr', keepLast: 3, snapshotRetentionDays: 7 })
  })

  it.each([
    [{ regionID: 'hd1', sources: {}, destinations: ['nm8'] }, 'input.sources names no disk'],
    [{ regionID: 'hd1', sources: { diskIDs: ['d'] }, destinations: [] }, 'input.destinations is required'],
    [{ regionID: 'hd1', sources: { diskIDs: ['d'] }, destinations: ['hd1'] }, 'input.destinations[0] is the source'],
    [{ regionID: 'hd1', sources: { diskIDs: ['d'] }, destinations: ['nm8'], keepLast: 0 }, 'input.keepLast must'],
    [{ regionID: 'hd1', sources: { diskIDs: ['d'] }, destinations: ['nm8'], imagePrefix: '9x' }, 'input.imagePrefix'],
  ])('names the field of bad input %#', async (input, message) => {
    await expect(prepareDrCopy(input, deps)).rejects.toThrow(message)
  })
})

describe('planDrPrunes', () => {
  const key = drSourceKey('d-sys')
  const named = (runKey: string) => `ctflowdr-${key}-${runKey}`
  const listed = {
    hd1: [
      { imageID: 'i3', imageName: named('000000000003'), imageStatus: 'active' },
      { imageID: 'i1', imageName: named('000000000001'), imageStatus: 'active' },
      { imageID: 'i2', imageName: named('000000000002'), imageStatus: 'active' },
      { imageID: 'hand', imageName: `ctflowdr-${key}-manual`, imageStatus: 'active' },
      { imageID: 'other', imageName: `ctflowdr-${drSourceKey('d-data')}-000000000001`, imageStatus: 'active' },
    ],
    nm8: [
      { imageID: 'c1', imageName: named('000000000001'), imageStatus: 'active' },
      { imageID: 'c2', imageName: named('000000000002'), imageStatus: 'queued' },
    ],
  } as Record<string, Array<{ imageID: string; imageName: string; imageStatus: string }>>
  const listImages = async function* ({ regionID }: { regionID: string }) {
    yield* listed[regionID] ?? []
  }
  const input = {
    regionID: 'hd1',
    prefix: 'ctflowdr',
    sourceKey: key,
    keepLast: 2,
    imageName: named('000000000009'),
    imageID: 'planned-image-x',
    copies: [
      { regionID: 'nm8', imageID: 'c9' },
      { regionID: 'xn1', error: { Error: 'Ctyun.ResourceFailed' } },
    ],
  }

  it('keeps tonight’s and the newest others up to keepLast per region, deletes older own ones only', async () => {
    const plans = await planDrPrunes(input, { listImages })
    expect(plans.map((p) => p.regionID)).toEqual(['hd1', 'nm8']) // xn1's copy failed: not pruned
    expect(plans[0]).toEqual({
      regionID: 'hd1',
      delete: [
        { imageID: 'i2', imageName: named('000000000002') },
        { imageID: 'i1', imageName: named('000000000001') },
      ],
      kept: [named('000000000009'), named('000000000003')],
      busy: [],
    })
    // An older copy still being made is left alone, and said so.
    expect(plans[1]).toMatchObject({ delete: [{ imageID: 'c1' }], busy: [] })
  })

  it('leaves images that are still being made', async () => {
    const plans = await planDrPrunes({ ...input, keepLast: 1 }, { listImages })
    expect(plans[1]).toMatchObject({ delete: [{ imageID: 'c1' }], busy: [named('000000000002')] })
  })
})

describe('buildDrReport', () => {
  it('reports per source and destination and names every failed destination in the cause', () => {
    const { report, failed, cause } = buildDrReport({
      regionID: 'hd1',
      destinations: ['nm8', 'xn1'],
      unsupported: ['far'],
      sources: [
        {
          sourceID: 'd1',
          kind: 'disk',
          diskID: 'd1',
          imageID: 'img',
          snapshotID: 's',
          copies: [
            { regionID: 'nm8', imageID: 'c1' },
            { regionID: 'xn1', error: { Error: 'Ctyun.ResourceFailed', Cause: 'error' } },
          ],
          prunes: { regions: [{ regionID: 'nm8', delete: [], kept: ['a'], busy: [] }] },
          deleted: [],
        },
        { sourceID: 'd2', kind: 'disk', diskID: 'd2', error: { Error: 'Ctyun.NotFound' } },
      ],
    })
    expect(failed).toBe(true)
    expect(report.failedDestinations.sort()).toEqual(['far', 'nm8', 'xn1'])
    expect(report.sources[0]!.destinations.map((d) => [d.regionID, d.status])).toEqual([
      ['nm8', 'copied'],
      ['xn1', 'failed'],
      ['far', 'unsupported'],
    ])
    expect(cause).toMatch(/^destinations failed: .*xn1 \(d1, d2\)/)
    expect(cause).toContain('source d2: source: Ctyun.NotFound')
  })
})
