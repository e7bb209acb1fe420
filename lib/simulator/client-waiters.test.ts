/**
 * Every waiter of the lib/ctyun client against the simulator over real HTTP. The waiters' `sleep` advances the
 * simulator's lifecycle clock instead of sleeping, so realistic durations (minutes) pass in milliseconds while the
 * client polls exactly as it would against the cloud.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { CtyunClient } from '../ctyun/client'
import { createCtyunClient } from '../ctyun/client'
import type { CtyunService } from '../ctyun/endpoints'
import { CTYUN_SERVICES } from '../ctyun/endpoints'
import { CtyunResourceFailedError } from '../ctyun/errors'
import type { WaitOptions } from '../ctyun/wait'
import type { RunningSimulator } from './server'
import { startSimulator } from './server'
import { HD1, NM8, WEB01, DB01, DISK_WEB_DATA, DISK_DB_DATA, PRIVATE_IMAGE, POLICY_DB } from './default-fixture-ids'

let sim: RunningSimulator
let ctyun: CtyunClient
let polls: number
let retryDelays: number[]
/** Waiter options: sleeping moves the simulator's clock; the deadline is read from the same clock. */
let wait: WaitOptions

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, durations: 'realistic' })
  const endpoints = Object.fromEntries(CTYUN_SERVICES.map((s) => [s, sim.url])) as Record<CtyunService, string>
  ctyun = createCtyunClient({
    credentials: sim.credentials,
    endpoints,
    retryHooks: { sleep: async (ms) => void retryDelays.push(ms) },
  })
})
afterAll(async () => {
  await sim.close()
})
beforeEach(() => {
  sim.simulator.reset()
  sim.simulator.faults.set({})
  polls = 0
  retryDelays = []
  wait = {
    sleep: async (ms) => sim.simulator.clock.advance(ms),
    now: () => sim.simulator.clock.now(),
    onPoll: () => void polls++,
  }
})

describe('client waiters against the simulator (realistic durations, simulated time)', () => {
  it('creates a first snapshot via the order and a later one via the job, each waited to available', async () => {
    const first = await ctyun.ebs.createSnapshotAndWait(
      { regionID: HD1, diskID: DISK_WEB_DATA, snapshotName: 'nightly-1', retentionPolicy: 'custom', retentionTime: 7 },
      wait,
    )
    expect(first.snapshotStatus).toBe('available')
    expect(sim.simulator.calls.count('ecs.orderQueryUuid')).toBeGreaterThan(0)
    const second = await ctyun.ebs.createSnapshotAndWait(
      { regionID: HD1, diskID: DISK_WEB_DATA, snapshotName: 'nightly-2', retentionPolicy: 'forever' },
      wait,
    )
    expect(second.snapshotStatus).toBe('available')
    expect(sim.simulator.calls.count('ecs.jobInfo')).toBeGreaterThan(0)
    // Exactly one create call per snapshot, and exactly these two new snapshots on the disk.
    expect(sim.simulator.calls.count('ebs.createSnapshot')).toBe(2)
    const ofDisk = [...sim.simulator.state.snapshots.values()].filter((s) => s.diskID === DISK_WEB_DATA)
    expect(ofDisk.map((s) => s.snapshotID).sort()).toEqual([first.snapshotID, second.snapshotID].sort())
  })

  it('waits for an image to become active, and for cross-region and same-region copies found by name', async () => {
    const image = await ctyun.image.createImageFromInstance({
      regionID: HD1,
      instanceID: WEB01,
      imageName: 'web-img-1',
    })
    expect((await ctyun.image.waitForImage({ regionID: HD1, imageID: image.imageID }, wait)).imageStatus).toBe('active')
    expect(await ctyun.image.listCopyDestinations({ regionID: HD1 })).toContain(NM8)
    await ctyun.image.copyImageToRegion({
      regionID: HD1,
      destinationRegionID: NM8,
      imageID: PRIVATE_IMAGE,
      imageName: 'golden-nm8',
    })
    const copy = await ctyun.image.waitForImageCopy({ destinationRegionID: NM8, imageName: 'golden-nm8' }, wait)
    expect(copy).toMatchObject({ imageStatus: 'active', regionID: NM8 })
    await ctyun.image.copyImage({ regionID: HD1, imageID: image.imageID, imageName: 'web-img-1-copy' })
    expect(
      (await ctyun.image.waitForImageCopy({ destinationRegionID: HD1, imageName: 'web-img-1-copy' }, wait)).imageStatus,
    ).toBe('active')
    const fromDisk = await ctyun.image.createImageFromDisk({
      regionID: HD1,
      diskID: DISK_WEB_DATA,
      imageName: 'web-data-disk-img',
    })
    expect((await ctyun.image.waitForImage({ regionID: HD1, imageID: fromDisk.imageID }, wait)).imageStatus).toBe(
      'active',
    )
  })

  it('executes a CBR policy now and waits for the task to complete, leaving a backup', async () => {
    const [policy] = await toArray(ctyun.cbr.listPolicies({ regionID: HD1, backupSrcInstanceID: DB01 }))
    const { backupTaskID } = await ctyun.cbr.executePolicy({ regionID: HD1, backupPolicyID: policy!.backupPolicyID })
    const seen: number[] = []
    const task = await ctyun.cbr.waitForTask(
      { regionID: HD1, backupTaskID, backupSrcInstanceID: DB01 },
      {
        ...wait,
        onPoll: (result) =>
          void seen.push(Number((result.value as { backupTaskPercent?: number } | undefined)?.backupTaskPercent ?? 0)),
      },
    )
    expect(task.backupTaskStatusCode).toBe('Completed')
    expect(seen.at(-1)).toBe(100)
    expect(seen.some((p) => p > 0 && p < 100)).toBe(true)
    const backups = await toArray(ctyun.cbr.listBackups({ regionID: HD1, backupPolicyID: POLICY_DB }))
    expect(backups.map((b) => b.backupSnapID)).toEqual([task.backupSnapID])
  })

  it('creates an EIP through its order, binds, unbinds and deletes it with the waiters', async () => {
    const order = await ctyun.eip.createEip({
      regionID: HD1,
      name: 'flow-eip',
      cycleType: 'on_demand',
      bandwidth: 5,
    } as never)
    const { eipID } = await ctyun.eip.waitForCreate(order, wait)
    expect((await ctyun.eip.getEip({ regionID: HD1, eipID })).status).toBe('DOWN')
    await ctyun.eip.associateEip({ regionID: HD1, eipID, associationID: DB01, associationType: 1 })
    expect(
      (await ctyun.eip.waitForEip({ regionID: HD1, eipID, target: 'bound', associationID: DB01 }, wait)).status,
    ).toBe('ACTIVE')
    const [instance] = await toArray(ctyun.ecs.listInstances({ regionID: HD1, instanceIDList: DB01 } as never))
    expect(JSON.stringify(instance)).toContain((await ctyun.eip.getEip({ regionID: HD1, eipID })).eipAddress as string)
    await ctyun.eip.disassociateEip({ regionID: HD1, eipID })
    expect((await ctyun.eip.waitForEip({ regionID: HD1, eipID, target: 'unbound' }, wait)).status).toBe('DOWN')
    expect((await ctyun.eip.deleteEip({ regionID: HD1, eipID })).masterOrderID).toBeTruthy()
    expect((await toArray(ctyun.eip.listEips({ regionID: HD1 }))).map((e) => e.ID)).not.toContain(eipID)
  })

  it('reads regions, instances, disks (every page) and CDA gateways through the service objects', async () => {
    expect((await ctyun.regions.listRegions()).length).toBe(3)
    expect((await ctyun.ecs.getInstance({ regionID: HD1, instanceID: WEB01 })).instanceName).toBe('web-01')
    expect(await toArray(ctyun.ebs.listDisks({ regionID: HD1, pageSize: 2 }))).toHaveLength(6)
    expect(
      (await toArray(ctyun.cda.listGateways({ account: 'ops@example.com', regionID: HD1, pageSize: 1 }))).map(
        (g) => g.vrfName,
      ),
    ).toEqual(['vrf-hd1-ops-01'])
    expect(
      (await toArray(ctyun.cda.listGateways({ account: 'ops@example.com', regionID: NM8, style: 'post' }))).map(
        (g) => g.vrfName,
      ),
    ).toEqual(['vrf-nm8-dr-01'])
  })
})

describe('waiters under faults', () => {
  it('survives seeded 5xx and throttling on every operation while a snapshot is created and waited for', async () => {
    sim.simulator.faults.set({ '*': { serverErrorRate: 0.1, throttleRate: 0.05, throttleMode: 'both' } })
    const snapshot = await ctyun.ebs.createSnapshotAndWait(
      { regionID: HD1, diskID: DISK_DB_DATA, snapshotName: 'faulty-1', retentionPolicy: 'forever' },
      wait,
    )
    expect(snapshot.snapshotStatus).toBe('available')
    expect(retryDelays.length).toBeGreaterThan(0)
    const made = [...sim.simulator.state.snapshots.values()].filter((s) => s.snapshotName === 'faulty-1')
    expect(made).toHaveLength(1)
  })

  it('fails a waiter at once when the lifecycle ends in error, without polling past it', async () => {
    sim.simulator.faults.set({ 'image.create': { lifecycleErrorRate: 1 } })
    const image = await ctyun.image.createImageFromInstance({
      regionID: HD1,
      instanceID: WEB01,
      imageName: 'doomed-img',
    })
    const { imageQueuedMs, imageSavingMs } = sim.simulator.durations
    const startedAt = sim.simulator.clock.now()
    let lastStatus = ''
    const error = await ctyun.image
      .waitForImage(
        { regionID: HD1, imageID: image.imageID },
        { ...wait, onPoll: (r) => void (polls++, (lastStatus = r.status)) },
      )
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CtyunResourceFailedError)
    expect(lastStatus).toBe('error')
    // Failed on the first poll after the lifecycle ended: less than one (capped) poll interval later.
    expect(sim.simulator.clock.now() - startedAt - (imageQueuedMs + imageSavingMs)).toBeLessThanOrEqual(30_000)

    sim.simulator.faults.set({ 'ebs.createSnapshot': { lifecycleErrorRate: 1 } })
    const snapshotError = await ctyun.ebs
      .createSnapshotAndWait(
        { regionID: HD1, diskID: DISK_DB_DATA, snapshotName: 'doomed-snap', retentionPolicy: 'forever' },
        wait,
      )
      .catch((e: unknown) => e)
    expect(snapshotError).toBeInstanceOf(CtyunResourceFailedError)
  })
})

async function toArray<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) items.push(item)
  return items
}
