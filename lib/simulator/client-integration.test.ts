/**
 * The lib/ctyun client against the simulator over real HTTP: every simulated operation is driven through the
 * client's signed `call`/`request`, orders and jobs are followed to completion, and faults (5xx, 429 + Retry-After,
 * throttle code, dropped connections, lifecycles ending in error) meet the client's retry policy.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { CtyunClient } from '../ctyun/client'
import { createCtyunClient } from '../ctyun/client'
import type { CtyunService } from '../ctyun/endpoints'
import { CTYUN_SERVICES } from '../ctyun/endpoints'
import type { SimService } from './operation'
import type { RunningSimulator } from './server'
import { startSimulator } from './server'
import {
  HD1,
  NM8,
  WEB01,
  DB01,
  DISK_WEB_SYSTEM,
  DISK_DB_DATA,
  PRIVATE_IMAGE,
  POLICY_WEB,
  SPARE_EIP,
} from './default-fixture-ids'

const SERVICE: Record<SimService, CtyunService> = {
  ctecs: 'ecs',
  ebs: 'ebs',
  ctimage: 'image',
  ctvpc: 'vpc',
  ctcbr: 'cbr',
  cda: 'cda',
}

let sim: RunningSimulator
let client: CtyunClient
let delays: number[]

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11 })
  const endpoints = Object.fromEntries(CTYUN_SERVICES.map((s) => [s, sim.url])) as Record<CtyunService, string>
  client = createCtyunClient({
    credentials: sim.credentials,
    endpoints,
    // Delays are captured, not slept: the test takes no time and asserts the exact schedule.
    retryHooks: { sleep: async (ms) => void delays.push(ms) },
  })
})
afterAll(async () => {
  await sim.close()
})
beforeEach(() => {
  delays = []
  sim.simulator.reset()
  sim.simulator.faults.set({})
})

const op = (name: string) => {
  const found = sim.simulator.operations.find((o) => o.name === name)
  if (!found) throw new Error(`no operation ${name}`)
  return { service: SERVICE[found.service], method: found.methods[0]!, path: found.path }
}
const get = <T = any>(name: string, query: Record<string, string | number | boolean>) =>
  client.request<T>({ ...op(name), query })
const post = <T = any>(name: string, body: Record<string, unknown>, clientToken?: boolean | string) =>
  client.request<T>({ ...op(name), body, clientToken })

describe('the client drives every simulated operation over HTTP', () => {
  it('covers every operation, following orders and jobs to their end', async () => {
    const advance = (ms: number) => sim.simulator.clock.advance(ms)
    const d = sim.simulator.durations

    expect((await get('regions.list', {})).regionList.length).toBe(3)
    expect((await post('ecs.listInstances', { regionID: HD1, pageNo: 1, pageSize: 10 })).totalCount).toBe(3)
    expect((await get('ecs.showInstance', { regionID: HD1, instanceID: WEB01 })).instanceName).toBe('web-01')
    expect(
      (await post('ecs.instanceStatusList', { regionID: HD1, instanceIDList: `${WEB01},${DB01}` })).statusList,
    ).toHaveLength(2)
    expect((await get('ebs.listDisks', { regionID: HD1, pageNo: 1, pageSize: 50 })).diskTotal).toBe(6)
    expect((await get('ebs.showDisk', { regionID: HD1, diskID: DISK_WEB_SYSTEM })).isSystemVolume).toBe(true)

    // First snapshot of a disk: order in progress → order query-uuid → snapshot id (§3.2 path 1).
    const first = await client.call<any>({
      ...op('ebs.createSnapshot'),
      body: { regionID: HD1, diskID: DISK_WEB_SYSTEM, snapshotName: 'first', retentionPolicy: 'forever' },
      clientToken: true,
    })
    expect(first.kind).toBe('order-in-progress')
    const orderID = (first as { masterOrderID: string }).masterOrderID
    expect((await get('ecs.orderQueryUuid', { masterOrderID: orderID })).orderStatus).toBe('14')
    advance(d.orderMs)
    const [snapshotID] = (await get('ecs.orderQueryUuid', { masterOrderID: orderID })).instanceIDList
    expect((await get('order.queryUuid', { masterOrderId: orderID })).resourceUuid).toEqual([snapshotID])
    advance(d.snapshotMs)
    expect((await get('ebs.listSnapshots', { regionID: HD1, snapshotID })).snapshotList[0].snapshotStatus).toBe(
      'available',
    )

    // Later snapshots: snapshotJobID → /v4/job/info (§3.2 path 2).
    const { snapshotJobID } = await post(
      'ebs.createSnapshot',
      { regionID: HD1, diskID: DISK_WEB_SYSTEM, snapshotName: 'second', retentionPolicy: 'custom', retentionTime: 3 },
      true,
    )
    advance(d.jobMs)
    const job = await get('ecs.jobInfo', { regionID: HD1, jobID: snapshotJobID })
    expect(job).toMatchObject({ status: 1, jobStatus: 'success' })
    expect((await get('ecs.queryAsyncResult', { regionID: HD1, jobID: snapshotJobID })).jobStatus).toBe(1)
    advance(d.snapshotMs)
    const deleted = await post(
      'ebs.deleteSnapshots',
      { regionID: HD1, diskID: DISK_WEB_SYSTEM, snapshotIDs: [job.ID] },
      true,
    )
    expect(deleted.notFoundList).toEqual([])

    // Images: create, detail, list, destinations, cross-region and same-region copies.
    const image = (await post('image.create', { regionID: HD1, instanceID: WEB01, imageName: 'web-img' }, true))
      .images[0]
    advance(d.imageQueuedMs + d.imageSavingMs)
    expect((await get('image.detail', { regionID: HD1, imageID: image.imageID })).images[0].imageStatus).toBe('active')
    expect((await get('image.supportedDestinations', { regionID: HD1 })).regions).toContain(NM8)
    const WEB_DATA = '5d0c1e2f-0002-4c7a-8e4b-a1b2c3d4e502'
    expect(
      (
        await post('image.createFromDataDisk', {
          regionID: HD1,
          instanceID: WEB01,
          dataDiskID: WEB_DATA,
          imageName: 'web-data-img',
        })
      ).images[0].imageType,
    ).toBe('data_disk_image')
    expect(
      (await post('image.createFromEcs', { regionID: HD1, instanceID: WEB01, imageName: 'web-full-img' })).images[0]
        .imageType,
    ).toBe('full_ecs_image')
    // create-from-ecs-snapshot takes an ECS (云主机) snapshot (the fixture's), not the EBS snapshot made above (§8.8).
    await expect(
      post('image.createFromSnapshot', { regionID: HD1, snapshotID, imageName: 'web-snap-img' }),
    ).rejects.toMatchObject({ errorCode: 'Openapi.Parameter.Error' })
    const ECS_SNAPSHOT = 'c3e5a7b9-0001-4d2f-8a6c-1e3b5d7f9a01'
    expect(
      (await post('image.createFromSnapshot', { regionID: HD1, snapshotID: ECS_SNAPSHOT, imageName: 'web-snap-img' }))
        .images[0].imageSource,
    ).toBe('snapshot')
    // The nested {httpstatus, httpresult} reply of the EBS create-image doc is unwrapped by the client's envelope.
    expect(
      (await post('ebs.createImage', { regionID: HD1, diskID: DISK_WEB_SYSTEM, imageName: 'web-disk-img' })).images[0]
        .imageStatus,
    ).toBe('queued')
    expect(
      await post(
        'image.crossRegionCopy',
        { regionID: HD1, destinationRegionID: NM8, imageID: PRIVATE_IMAGE, imageName: 'golden-nm8' },
        true,
      ),
    ).toEqual({})
    expect(
      await post('image.copy', { regionID: HD1, imageID: image.imageID, imageName: 'web-img-copy' }, true),
    ).toEqual({})
    const copies = await get('image.list', { regionID: NM8, imageVisibilityCode: 0, imageName: 'golden-nm8' })
    expect(copies.images.map((i: any) => i.imageStatus)).toEqual(['queued'])
    // Delete: refused while the image is being made, then gone (detail: empty) once it is active.
    const diskImage = (await get('image.list', { regionID: HD1, imageVisibilityCode: 0, imageName: 'web-disk-img' }))
      .images[0]
    await expect(post('image.delete', { regionID: HD1, imageID: diskImage.imageID })).rejects.toMatchObject({
      errorCode: expect.any(String),
    })
    advance(d.imageQueuedMs + d.imageSavingMs)
    expect(await post('image.delete', { regionID: HD1, imageID: diskImage.imageID })).toEqual({})
    expect((await get('image.detail', { regionID: HD1, imageID: diskImage.imageID })).images).toEqual([])

    // CBR: policy list → execute now → task list → backup snapshots.
    expect((await get('cbr.listRepositories', { regionID: HD1 })).backupStorageCount).toBe(1)
    expect(
      (await get('cbr.listPolicies', { regionID: HD1, backupSrcInstanceID: WEB01 })).backupPolicyList[0].backupPolicyID,
    ).toBe(POLICY_WEB)
    const { backupTaskID } = await post(
      'cbr.actionPolicy',
      { regionID: HD1, backupPolicyID: POLICY_WEB, backupPolicyOp: 3 },
      true,
    )
    advance(d.backupPreparingMs + d.backupExecutingMs)
    const tasks = await get('cbr.listTasks', { regionID: HD1, backupSrcInstanceID: WEB01 })
    expect(tasks.bakupTaskCount).toBe(1)
    expect(tasks.backupTaskList[0]).toMatchObject({ backupTaskID, backupTaskStatusCode: 'Completed' })
    expect(
      (await get('cbr.listBackupSnapshots', { regionID: HD1, backupPolicyID: POLICY_WEB })).backupSnapshotTotal,
    ).toBe(2)

    // EIP: create (order), show, lists, associate, disassociate, delete.
    const eip = await post('eip.create', { regionID: HD1, cycleType: 'on_demand', name: 'it-eip' }, true)
    advance(d.orderMs)
    expect((await get('ecs.orderQueryUuid', { masterOrderID: eip.masterOrderID })).instanceIDList).toEqual([eip.eipID])
    expect((await get('eip.show', { regionID: HD1, eipID: eip.eipID })).status).toBe('DOWN')
    expect(
      (await client.request<any>({ ...op('eip.list'), body: { regionID: HD1 }, idempotent: true })).totalCount,
    ).toBe(3)
    const legacy = await client.call<any>({ ...op('eip.listLegacy'), body: { regionID: HD1 }, idempotent: true })
    expect(legacy.kind === 'ok' && (legacy.envelope as any).totalCount).toBe(3)
    await post('eip.associate', { regionID: HD1, eipID: SPARE_EIP, associationID: DB01, associationType: 1 }, true)
    advance(d.eipBindingMs)
    expect((await get('eip.show', { regionID: HD1, eipID: SPARE_EIP })).status).toBe('ACTIVE')
    await post('eip.disassociate', { regionID: HD1, eipID: SPARE_EIP }, true)
    advance(d.eipBindingMs)
    expect((await post('eip.delete', { regionID: HD1, eipID: SPARE_EIP }, true)).masterOrderID).toBeTruthy()

    // CDA: the doc's GET with query.
    expect(
      (await get('cda.listGateways', { pageNo: 1, pageSize: 10, account: 'ops@example.com', regionID: HD1 }))
        .lineGatewayList,
    ).toHaveLength(1)

    const called = sim.simulator.calls.snapshot().byOperation
    const missing = sim.simulator.operations.map((o) => o.name).filter((name) => !called[name])
    expect(missing).toEqual([])
  })

  it('turns business errors into CtyunApiError with the error code, never the secret key', async () => {
    const error = await get('ecs.showInstance', { regionID: HD1, instanceID: 'nope' }).catch((e) => e)
    expect(error.name).toBe('CtyunApiError')
    expect(error.errorCode).toBe('Ecs.Instance.NotFound')
    const text = JSON.stringify({ message: error.message, ...error })
    expect(text).not.toContain(sim.credentials.secretKey)
  })

  it('fails with a signature error (no retry) when the client holds a wrong secret key', async () => {
    const endpoints = Object.fromEntries(CTYUN_SERVICES.map((s) => [s, sim.url])) as Record<CtyunService, string>
    const wrong = createCtyunClient({
      credentials: { ...sim.credentials, secretKey: 'not-the-right-secret' },
      endpoints,
      retryHooks: { sleep: async (ms) => void delays.push(ms) },
    })
    const error: any = await wrong.request({ ...op('regions.list') }).catch((e: unknown) => e)
    expect(error.errorCode ?? error.message).toMatch(/Openapi\.Auth\.SignatureMismatch/)
    expect(sim.simulator.calls.count('regions.list')).toBe(1)
    expect(JSON.stringify({ m: error.message, ...error })).not.toContain('not-the-right-secret')
  })
})

describe('faults against the client retry policy', () => {
  it('survives two HTTP 503s and succeeds on the third attempt', async () => {
    sim.simulator.faults.set({ 'ebs.listDisks': { serverErrorRate: 1, times: 2 } })
    const result = await client.call<any>({ ...op('ebs.listDisks'), query: { regionID: HD1 } })
    expect(result.attempts).toBe(3)
    expect(delays).toHaveLength(2)
    expect(sim.simulator.calls.count('ebs.listDisks')).toBe(3)
  })

  it('honours Retry-After on HTTP 429 and retries the throttle error code', async () => {
    sim.simulator.faults.set({
      'regions.list': { throttleRate: 1, throttleMode: 'http429', retryAfterSeconds: 2, times: 1 },
    })
    await client.request(op('regions.list'))
    expect(delays[0]).toBeGreaterThanOrEqual(2000)
    sim.simulator.faults.set({ 'regions.list': { throttleRate: 1, throttleMode: 'errorCode', times: 2 } })
    const result = await client.call(op('regions.list'))
    expect(result.attempts).toBe(3)
  })

  it('retries a dropped connection on a read, and a write only with the same clientToken', async () => {
    sim.simulator.faults.set({
      'ebs.showDisk': { dropRate: 1, times: 1 },
      'ebs.createSnapshot': { dropRate: 1, times: 1 },
    })
    expect(
      (await client.call({ ...op('ebs.showDisk'), query: { regionID: HD1, diskID: DISK_DB_DATA } })).attempts,
    ).toBe(2)
    const created = await client.call<any>({
      ...op('ebs.createSnapshot'),
      body: { regionID: HD1, diskID: DISK_DB_DATA, snapshotName: 'after-drop', retentionPolicy: 'forever' },
      clientToken: true,
    })
    expect(created.attempts).toBe(2)
    // The dropped attempt was never processed, so exactly one snapshot exists for it.
    const snaps = sim.simulator.state.snapshots
    expect([...snaps.values()].filter((s) => s.snapshotName === 'after-drop')).toHaveLength(1)
  })

  it('a job-flow snapshot create whose reply is lost after the server acted yields exactly one snapshot (§8.2)', async () => {
    // db-01-data has snapshots: the job flow, where CTyun does not honour the clientToken.
    sim.simulator.faults.set({ 'ebs.createSnapshot': { lostReplyRate: 1, times: 1 } })
    const creation = await client.ebs.createSnapshot({
      regionID: HD1,
      diskID: DISK_DB_DATA,
      snapshotName: 'lost-reply',
      retentionPolicy: 'forever',
    })
    const made = [...sim.simulator.state.snapshots.values()].filter((s) => s.snapshotName === 'lost-reply')
    expect(made).toHaveLength(1)
    expect(creation).toMatchObject({ flow: 'adopted', snapshotID: made[0]!.snapshotID })
    expect(sim.simulator.calls.count('ebs.createSnapshot')).toBe(1)
  })

  it('an EIP associate whose reply is lost is not sent again once the EIP shows it bound to the instance', async () => {
    sim.simulator.faults.set({ 'eip.associate': { lostReplyRate: 1, times: 1 } })
    await client.eip.associateEip(
      { regionID: HD1, eipID: SPARE_EIP, associationID: DB01, associationType: 1 },
      { sleep: async (ms) => void sim.simulator.clock.advance(ms) },
    )
    await client.eip.waitForEip(
      { regionID: HD1, eipID: SPARE_EIP, target: 'bound', associationID: DB01 },
      { sleep: async (ms) => void sim.simulator.clock.advance(ms) },
    )
    // The lost attempt bound it; the look before the retry saw it binding (changing), waited, and found it bound.
    expect(sim.simulator.calls.count('eip.associate')).toBe(1)
    expect(sim.simulator.state.eips.get(SPARE_EIP)!.binding.associationID).toBe(DB01)
  })

  it('replays a retried write that the server did process (clientToken), creating one resource', async () => {
    sim.simulator.faults.set({ 'eip.create': { latencyMs: 0 } })
    const token = 'fixed-token-1'
    const body = { regionID: HD1, cycleType: 'on_demand', name: 'twice-eip' }
    const a = await post('eip.create', body, token)
    const b = await post('eip.create', body, token)
    expect(b.eipID).toBe(a.eipID)
    expect([...sim.simulator.state.eips.values()].filter((e) => e.name === 'twice-eip')).toHaveLength(1)
  })

  it('reports a lifecycle that ends in error: the job fails and the snapshot is in error', async () => {
    sim.simulator.faults.set({ 'ebs.createSnapshot': { lifecycleErrorRate: 1 } })
    const { snapshotJobID } = await post(
      'ebs.createSnapshot',
      { regionID: HD1, diskID: DISK_DB_DATA, snapshotName: 'doomed', retentionPolicy: 'forever' },
      true,
    )
    sim.simulator.clock.advance(sim.simulator.durations.jobMs + sim.simulator.durations.snapshotMs)
    const job = await get('ecs.jobInfo', { regionID: HD1, jobID: snapshotJobID })
    expect(job).toMatchObject({ status: 2, jobStatus: 'fail' })
    expect((await get('ebs.listSnapshots', { regionID: HD1, snapshotID: job.ID })).snapshotList[0].snapshotStatus).toBe(
      'error',
    )
  })
})
