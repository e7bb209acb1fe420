import { describe, expect, it } from 'vitest'
import { selectByLabel, type DiskInfo } from './label-selection'

const candidates = [{ diskID: 'a' }, { diskID: 'b' }, { diskID: 'c' }]

describe('selectByLabel', () => {
  it('keeps the candidates whose info-ebs labels carry the label, in list order, one call each', async () => {
    const infos: Record<string, DiskInfo> = {
      a: { labels: [{ key: 'k', value: 'v' }] },
      b: { labels: [] },
      c: { labels: [{ labelKey: 'k', labelValue: 'v' }] },
    }
    const asked: string[] = []
    const result = await selectByLabel(
      candidates,
      { key: 'k', value: 'v' },
      {
        regionID: 'r1',
        getDisk: async ({ regionID, diskID }) => (asked.push(`${regionID}/${diskID}`), infos[diskID]!),
      },
    )
    expect(result).toEqual({ disks: [{ diskID: 'a' }, { diskID: 'c' }], infoEbsCalls: 3 })
    expect(asked.sort()).toEqual(['r1/a', 'r1/b', 'r1/c'])
  })

  it('fails as bad input when no candidate has a labels field, and names the region and the way out', async () => {
    await expect(
      selectByLabel(candidates, { key: 'k' }, { regionID: 'r-x', getDisk: async () => ({}) }),
    ).rejects.toMatchObject({
      name: 'Job.InvalidInput',
      field: 'disks.label',
      message: expect.stringMatching(
        /region r-x: the region does not report disk labels .* 3 candidate disks.*Select the disks by disks\.diskIDs instead\.$/,
      ),
    })
  })

  it('lets an info-ebs failure through, after the calls in flight end', async () => {
    let inFlight = 0
    const getDisk = async ({ diskID }: { diskID: string }): Promise<DiskInfo> => {
      inFlight++
      await new Promise((resolve) => setImmediate(resolve))
      inFlight--
      if (diskID === 'a') throw Object.assign(new Error('HTTP 503'), { name: 'CtyunHttpError' })
      return { labels: [] }
    }
    await expect(selectByLabel(candidates, { key: 'k' }, { regionID: 'r1', getDisk, concurrency: 2 })).rejects.toThrow(
      'HTTP 503',
    )
    expect(inFlight).toBe(0)
  })
})
