import { describe, expect, it } from 'vitest'
import { JobInputError } from './job-input-error'
import { prepareBackup } from './prepare-backup'

const runId = '0f8e6c2a-4b1d-4c3e-9a7b-1234567890ab'
const regionDisks = [
  { diskID: 'd1', diskName: 'root', instanceID: 'i1', isSystemVolume: true },
  { diskID: 'd2', instanceID: 'i1', isSystemVolume: false, labels: [{ key: 'backup', value: 'nightly' }] },
  { diskID: 'd3', instanceID: 'i2', isSystemVolume: false, labels: [{ key: 'backup', value: 'nightly' }] },
  { diskID: 'd4', isSystemVolume: false },
]
let listed: string[] = []
async function* listDisks({ regionID }: { regionID: string }) {
  listed.push(regionID)
  yield* regionDisks
}

describe('prepareBackup', () => {
  it('fills the defaults and lists every disk of the region', async () => {
    listed = []
    const plan = await prepareBackup({ regionID: 'r1' }, { runId, listDisks })
    expect(listed).toEqual(['r1'])
    expect(plan).toMatchObject({
      regionID: 'r1',
      snapshotPrefix: 'ctflow-nightly',
      snapshotName: `ctflow-nightly-${runId}`,
      retention: { maxAgeDays: 7 },
      backup: true,
      missing: [],
      instances: ['i1', 'i2'],
    })
    expect(plan.disks[3]).toEqual({ diskID: 'd4', diskName: null, instanceID: null, isSystemVolume: false })
  })

  it('selects by label and volume, and skips backups on request', async () => {
    const plan = await prepareBackup(
      { regionID: 'r1', disks: { label: { key: 'backup', value: 'nightly' }, volume: 'data' }, backup: false, retention: { keepLast: 3 } },
      { runId, listDisks },
    )
    expect(plan.disks.map((d) => d.diskID)).toEqual(['d2', 'd3'])
    expect(plan.instances).toEqual([])
    expect(plan.retention).toEqual({ keepLast: 3 })
  })

  it('reports named disks the region does not have', async () => {
    const plan = await prepareBackup({ regionID: 'r1', disks: { diskIDs: ['d3', 'nope'] } }, { runId, listDisks })
    expect(plan.disks.map((d) => d.diskID)).toEqual(['d3'])
    expect(plan.missing).toEqual(['nope'])
  })

  it.each([
    [{}, 'input.regionID is required'],
    [{ regionID: 'r1', snapshotPrefix: 'bad prefix' }, 'input.snapshotPrefix'],
    [{ regionID: 'r1', retention: { keepLast: -2 } }, 'input.retention.keepLast must be a whole number'],
    [{ regionID: 'r1', retention: { days: 3 } }, 'input.retention.days is not a retention setting'],
    [{ regionID: 'r1', backup: 'yes' }, 'input.backup must be true or false'],
    [{ regionID: 'r1', disks: { volume: 'boot' } }, 'input.disks.volume must be'],
    [{ regionID: 'r1', disks: ['d1'] }, 'input.disks must be an object'],
  ])('names the bad field in %j without calling the cloud', async (input, message) => {
    listed = []
    const error = await prepareBackup(input, { runId, listDisks }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JobInputError)
    expect((error as Error).name).toBe('Job.InvalidInput')
    expect((error as Error).message).toContain(message)
    expect(listed).toEqual([])
  })
})
