import { describe, expect, it } from 'vitest'
import { createActionRegistry, type ActionContext } from '../engine/actions/registry'
import { JOB_ACTION_NAMES, registerJobActions } from './job-actions'

const runId = '0f8e6c2a-4b1d-4c3e-9a7b-1234567890ab'
const context: ActionContext = {
  clientToken: 't',
  runId,
  state: 'S',
  signal: new AbortController().signal,
  deadline: Date.now() + 10_000,
}
const now = Date.parse('2026-11-23T03:00:00Z')

function registry() {
  return registerJobActions(createActionRegistry(), {
    ebs: {
      async *listDisks() {
        yield { diskID: 'd1', instanceID: 'i1', isSystemVolume: false }
        yield { diskID: 'd2', instanceID: 'i1', isSystemVolume: false }
      },
      listDisksPage: async () => ({
        items: [
          { diskID: 'd1', instanceID: 'i1', isSystemVolume: false },
          { diskID: 'd2', instanceID: 'i1', isSystemVolume: false },
        ],
      }),
      getDisk: async ({ diskID }) => ({ labels: diskID === 'd2' ? [{ key: 'backup', value: 'nightly' }] : [] }),
      async *listSnapshots() {
        yield {
          snapshotID: 's-old',
          snapshotName: `nightly-${runId}`,
          createTime: '2026-11-01T00:00:00Z',
          diskID: 'd1',
        }
      },
    },
    cbr: {
      async *listPolicies() {
        yield { backupPolicyID: 'p1', backupPolicyName: 'daily', backupSrcInstanceID: 'i1' }
      },
    },
    image: {
      async *listImages() {},
      getImage: async ({ imageID }) => ({
        imageID,
        imageName: 'golden',
        imageStatus: 'active',
        imageVisibility: 'private',
      }),
      listCopyDestinations: async () => ['r2'],
    },
    now: () => now,
  })
}

async function call(name: string, input: unknown) {
  const action = registry().resolve(name)
  if (action?.kind !== 'call') throw new Error(`${name} is not a call action`)
  return action.call(input, context)
}

describe('job actions', () => {
  it('registers every ctflow action', () => {
    expect(registry().names()).toEqual([...JOB_ACTION_NAMES].sort())
  })

  it('prepare names snapshots after the run', async () => {
    const plan = (await call('ctflow:backup:prepare', { input: { regionID: 'r1' } })) as {
      snapshotName: string
      disks: number
      pages: unknown[]
    }
    expect(plan.snapshotName).toBe(`ctflow-nightly-${runId}`)
    expect(plan.disks).toBe(2)
    expect(plan.pages).toEqual([
      { page: 1, start: 0, end: 1, firstDiskID: 'd1', lastDiskID: 'd2', picks: [[0, 1]], count: 2, instances: ['i1'] },
    ])
  })

  it('a page re-reads its range of the listing and carries its item on with its disks', async () => {
    const plan = (await call('ctflow:backup:prepare', { input: { regionID: 'r1' } })) as { pages: unknown[] }
    const page = await call('ctflow:backup:readPage', {
      regionID: 'r1',
      snapshotName: `ctflow-nightly-${runId}`,
      snapshotPrefix: 'ctflow-nightly',
      ownNames: false,
      label: null,
      page: 1,
      range: plan.pages[0],
    })
    expect(page).toEqual({
      regionID: 'r1',
      snapshotName: `ctflow-nightly-${runId}`,
      snapshotPrefix: 'ctflow-nightly',
      ownNames: false,
      page: 1,
      disks: [
        { diskID: 'd1', diskName: null, instanceID: 'i1', isSystemVolume: false },
        { diskID: 'd2', diskName: null, instanceID: 'i1', isSystemVolume: false },
      ],
      instances: ['i1'],
    })
  })

  it('a page whose range moved reports its disks failed, counted', async () => {
    const range = {
      page: 2,
      start: 0,
      end: 1,
      firstDiskID: 'dX',
      lastDiskID: 'd2',
      picks: [[0, 1]],
      count: 2,
      instances: [],
    }
    const error = await call('ctflow:backup:readPage', {
      regionID: 'r1',
      snapshotName: `ctflow-nightly-${runId}`,
      snapshotPrefix: 'ctflow-nightly',
      page: 2,
      range,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'Backup.PageUnreadable' })
    const report = await call('ctflow:backup:unreadablePage', {
      page: 2,
      range,
      error: { Error: 'Backup.PageUnreadable', Cause: (error as Error).message },
    })
    expect(report).toMatchObject({ page: 2, summary: { disks: 2, failed: 2 }, failedNotListed: 2 })
  })

  it('prepare reads labels through the getDisk dependency', async () => {
    const plan = (await call('ctflow:backup:prepare', {
      input: { regionID: 'r1', disks: { label: { key: 'backup' } } },
    })) as { pages: Array<{ start: number; picks: unknown }>; selection: unknown }
    expect(plan.pages.map((p) => [p.start, p.picks])).toEqual([[1, [[0, 0]]]])
    expect(plan.selection).toEqual({ listed: 2, candidates: 2, infoEbsCalls: 2, selected: 1 })
  })

  it('plans retention on the engine clock', async () => {
    const old = { snapshotID: 's-old', snapshotName: `nightly-${runId}`, createTime: '2026-11-01T00:00:00Z' }
    const fresh = {
      snapshotID: 's-new',
      snapshotName: `nightly-${runId.replace('0f', '1f')}`,
      createTime: '2026-11-22T00:00:00Z',
    }
    const plan = await call('ctflow:backup:planRetention', {
      snapshots: [old, fresh],
      prefix: 'nightly',
      retention: { maxAgeDays: 7 },
      protect: [],
    })
    expect(plan).toMatchObject({ prune: ['s-old'], keep: ['s-new'] })
  })

  it('finds the policy of each instance and plans the prunes of the disks snapshotted tonight', async () => {
    expect(await call('ctflow:backup:findPolicies', { regionID: 'r1', instances: ['i1', 'i2'] })).toEqual([
      { instanceID: 'i1', policies: [{ backupPolicyID: 'p1', backupPolicyName: 'daily', backupSrcInstanceID: 'i1' }] },
      { instanceID: 'i2', policies: [] },
    ])
    const snapshots = [
      { diskID: 'd1', snapshotID: 's-new' },
      { diskID: 'd2', error: { Error: 'Ctyun.ResourceFailed' } },
    ]
    expect(
      await call('ctflow:backup:planPrunes', {
        regionID: 'r1',
        prefix: 'nightly',
        retention: { maxAgeDays: 7 },
        snapshots,
      }),
    ).toEqual([{ diskID: 'd1', prune: ['s-old'], kept: { 's-new': ['protected', 'maxAgeDays'] } }])
  })

  it('plans image copies and reports', async () => {
    expect(
      await call('ctflow:image:planCopies', { input: { regionID: 'r1', imageID: 'img', destinations: ['r2'] } }),
    ).toMatchObject({
      copies: [{ destinationRegionID: 'r2', imageName: 'golden' }],
    })
    expect(await call('ctflow:backup:report', { snapshots: [{ diskID: 'd1', snapshotID: 's1' }] })).toMatchObject({
      failed: false,
    })
  })

  it('names a Parameters field the workflow forgot', async () => {
    await expect(call('ctflow:backup:planRetention', { snapshots: [] })).rejects.toThrow(
      'input.prefix is missing from the Parameters of ctflow:backup:planRetention',
    )
    await expect(call('ctflow:backup:report', 'x')).rejects.toMatchObject({ name: 'Job.InvalidInput' })
  })
})
