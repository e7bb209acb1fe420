import { describe, expect, it } from 'vitest'
import { JobInputError } from './job-input-error'
import { LABEL_READ_CONCURRENCY, type DiskInfo } from './label-selection'
import { prepareBackup } from './prepare-backup'

const runId = '0f8e6c2a-4b1d-4c3e-9a7b-1234567890ab'
// As list-ebs returns them: no labels (§8.1).
const regionDisks = [
  { diskID: 'd1', diskName: 'root', instanceID: 'i1', isSystemVolume: true },
  { diskID: 'd2', instanceID: 'i1', isSystemVolume: false },
  { diskID: 'd3', instanceID: 'i2', isSystemVolume: false },
  { diskID: 'd4', isSystemVolume: false },
]
// As info-ebs shows them in a region that supports labels.
const infos: Record<string, DiskInfo> = {
  d1: { labels: [{ key: 'backup', value: 'nightly' }] },
  d2: { labels: [{ key: 'backup', value: 'nightly' }] },
  d3: {
    labels: [
      { key: 'backup', value: 'nightly' },
      { key: 'app', value: 'db' },
    ],
  },
  d4: { labels: [] },
}
let listed: string[] = []
let infoCalls: string[] = []
async function* listDisks({ regionID }: { regionID: string }) {
  listed.push(regionID)
  yield* regionDisks
}
async function getDisk({ diskID }: { regionID: string; diskID: string }): Promise<DiskInfo> {
  infoCalls.push(diskID)
  return infos[diskID]!
}
const deps = { runId, listDisks, getDisk }

describe('prepareBackup', () => {
  it('fills the defaults and lists every disk of the region, with no info-ebs call', async () => {
    listed = []
    infoCalls = []
    const plan = await prepareBackup({ regionID: 'r1' }, deps)
    expect(listed).toEqual(['r1'])
    expect(infoCalls).toEqual([])
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
    expect(plan.selection).toEqual({ listed: 4, candidates: 4, infoEbsCalls: 0, selected: 4 })
  })

  it('selects by label through info-ebs, reading only the disks the volume filter left, and skips backups on request', async () => {
    infoCalls = []
    const plan = await prepareBackup(
      {
        regionID: 'r1',
        disks: { label: { key: 'backup', value: 'nightly' }, volume: 'data' },
        backup: false,
        retention: { keepLast: 3 },
      },
      deps,
    )
    expect(plan.disks.map((d) => d.diskID)).toEqual(['d2', 'd3'])
    expect(infoCalls.sort()).toEqual(['d2', 'd3', 'd4'])
    expect(plan.selection).toEqual({ listed: 4, candidates: 3, infoEbsCalls: 3, selected: 2 })
    expect(plan.instances).toEqual([])
    expect(plan.retention).toEqual({ keepLast: 3 })
    // The plan keeps what the later steps need, not the info-ebs replies.
    expect(JSON.stringify(plan)).not.toContain('labels')
  })

  it('reads labels only of the named disks when IDs and a label are both given', async () => {
    infoCalls = []
    const plan = await prepareBackup(
      { regionID: 'r1', disks: { diskIDs: ['d3', 'd4', 'gone'], label: { key: 'app' } } },
      deps,
    )
    expect(infoCalls.sort()).toEqual(['d3', 'd4'])
    expect(plan.disks.map((d) => d.diskID)).toEqual(['d3'])
    expect(plan.missing).toEqual(['gone'])
  })

  it('trusts info-ebs, not the list, for labels', async () => {
    const stale = async function* () {
      yield { diskID: 'd4', isSystemVolume: false, labels: [{ key: 'backup', value: 'nightly' }] }
    }
    const plan = await prepareBackup(
      { regionID: 'r1', disks: { label: { key: 'backup' } } },
      { ...deps, listDisks: stale },
    )
    expect(plan.disks).toEqual([])
  })

  it('fails a label selection in a region that reports no labels (no labels field on any disk), pointing to diskIDs', async () => {
    const noLabels = async () => ({ diskID: 'x' }) as DiskInfo
    const error = await prepareBackup(
      { regionID: 'r-nolabels', disks: { label: { key: 'backup', value: 'nightly' } } },
      { ...deps, getDisk: noLabels },
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JobInputError)
    expect(error).toMatchObject({ name: 'Job.InvalidInput', field: 'disks.label' })
    expect((error as Error).message).toBe(
      'input.disks.label cannot select disks in region r-nolabels: the region does not report disk labels (info-ebs returned no labels ' +
        'field for any of the 4 candidate disks; CTyun returns labels only where the resource pool supports them). Select the disks by disks.diskIDs instead.',
    )
  })

  it('selects nothing, successfully, where the region reports labels and no disk carries the asked one', async () => {
    // One disk with an empty list, the others without the field (a server may omit an empty list): labels are reported.
    const someReported = async ({ diskID }: { diskID: string }): Promise<DiskInfo> =>
      diskID === 'd4' ? { labels: [] } : {}
    const plan = await prepareBackup(
      { regionID: 'r1', disks: { label: { key: 'backup' } } },
      { ...deps, getDisk: someReported },
    )
    expect(plan.disks).toEqual([])
    expect(plan.selection).toEqual({ listed: 4, candidates: 4, infoEbsCalls: 4, selected: 0 })
    // A null labels field is a reported (empty) one too.
    const nulls = await prepareBackup(
      { regionID: 'r1', disks: { label: { key: 'backup' } } },
      { ...deps, getDisk: async () => ({ labels: null }) },
    )
    expect(nulls.disks).toEqual([])
  })

  it('makes no info-ebs call, and does not fail, when no candidate is left to read', async () => {
    infoCalls = []
    const plan = await prepareBackup(
      { regionID: 'r1', disks: { diskIDs: ['gone'], label: { key: 'backup' } } },
      { ...deps, getDisk: async () => ({}) },
    )
    expect(plan.disks).toEqual([])
    expect(plan.missing).toEqual(['gone'])
    expect(plan.selection.infoEbsCalls).toBe(0)
  })

  it(`reads labels at most ${LABEL_READ_CONCURRENCY} at a time`, async () => {
    const many = Array.from({ length: 13 }, (_, i) => ({ diskID: `m${i}`, isSystemVolume: false }))
    let inFlight = 0
    let maxInFlight = 0
    const slow = async ({ diskID }: { diskID: string }): Promise<DiskInfo> => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      // Let every worker that can start do so before this call ends.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
      inFlight--
      return { labels: Number(diskID.slice(1)) % 2 ? [{ key: 'backup' }] : [] }
    }
    const plan = await prepareBackup(
      { regionID: 'r1', disks: { label: { key: 'backup' } } },
      {
        ...deps,
        listDisks: async function* () {
          yield* many
        },
        getDisk: slow,
      },
    )
    expect(maxInFlight).toBe(LABEL_READ_CONCURRENCY)
    expect(plan.selection.infoEbsCalls).toBe(13)
    expect(plan.disks.map((d) => d.diskID)).toEqual(['m1', 'm3', 'm5', 'm7', 'm9', 'm11'])
  })

  it('reports named disks the region does not have', async () => {
    const plan = await prepareBackup({ regionID: 'r1', disks: { diskIDs: ['d3', 'nope'] } }, deps)
    expect(plan.disks.map((d) => d.diskID)).toEqual(['d3'])
    expect(plan.missing).toEqual(['nope'])
  })

  it.each([
    [{}, 'input.regionID is required'],
    [{ regionID: 'r1', snapshotPrefix: 'bad prefix' }, 'input.snapshotPrefix'],
    [
      { regionID: 'r1', snapshotPrefix: '1nightly' },
      'input.snapshotPrefix "1nightly" must be 1–26 characters of A-Z a-z 0-9 _ -, starting with a letter',
    ],
    [{ regionID: 'r1', disks: { label: { key: 'backup', value: 7 } } }, 'input.disks.label.value must be a string'],
    [{ regionID: 'r1', retention: { keepLast: -2 } }, 'input.retention.keepLast must be a whole number'],
    [{ regionID: 'r1', retention: { days: 3 } }, 'input.retention.days is not a retention setting'],
    [{ regionID: 'r1', backup: 'yes' }, 'input.backup must be true or false'],
    [{ regionID: 'r1', disks: { volume: 'boot' } }, 'input.disks.volume must be'],
    [{ regionID: 'r1', disks: ['d1'] }, 'input.disks must be an object'],
  ])('names the bad field in %j without calling the cloud', async (input, message) => {
    listed = []
    infoCalls = []
    const error = await prepareBackup(input, deps).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JobInputError)
    expect((error as Error).name).toBe('Job.InvalidInput')
    expect((error as Error).message).toContain(message)
    expect(listed).toEqual([])
    expect(infoCalls).toEqual([])
  })
})
