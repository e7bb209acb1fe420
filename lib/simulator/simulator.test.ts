import { describe, expect, it } from 'vitest'
import { formatEopDate } from '../ctyun/eop-date'
import { DEMO_CREDENTIALS } from './demo-credentials'
import type { Simulator } from './simulator'
import { createSimulator } from './simulator'
import type { RawSignedRequest } from './test-support'
import { signedRequestParts } from './test-support'
import {
  HD1,
  NM8,
  XN1,
  WEB01,
  DB01,
  DISK_WEB_DATA,
  DISK_DB_DATA,
  DISK_XN1_ARCHIVE,
  DISK_XN1_LOGS,
  PRIVATE_IMAGE,
} from './default-fixture-ids'

type Reply = { status: number; headers: Headers; body: any }

async function call(
  sim: Simulator,
  request: Omit<RawSignedRequest, 'credentials'> & { credentials?: RawSignedRequest['credentials'] },
): Promise<Reply> {
  const { url, init } = signedRequestParts({ credentials: DEMO_CREDENTIALS, ...request })
  const res = await sim.app.request(url, init)
  return { status: res.status, headers: res.headers, body: await res.json() }
}
const get = (sim: Simulator, path: string, query: Record<string, string | number>) => call(sim, { path, query })
const post = (sim: Simulator, path: string, body: unknown) => call(sim, { path, body: JSON.stringify(body) })
const requestArgs = (path: string, body: unknown) => {
  const { url, init } = signedRequestParts({ credentials: DEMO_CREDENTIALS, path, body: JSON.stringify(body) })
  return [url, init] as const
}

describe('authentication', () => {
  it('answers a well-signed call with 800 and a wrong SK with 401 SignatureMismatch', async () => {
    const sim = createSimulator()
    const ok = await get(sim, '/v4/region/list-regions', {})
    expect(ok.status).toBe(200)
    expect(ok.body.statusCode).toBe(800)
    expect(ok.body.returnObj.regionList.map((r: any) => r.regionID)).toContain(HD1)
    const bad = await call(sim, {
      path: '/v4/region/list-regions',
      credentials: { ...DEMO_CREDENTIALS, secretKey: 'wrong' },
    })
    expect(bad.status).toBe(401)
    expect(bad.body).toMatchObject({ statusCode: 900, errorCode: 'Openapi.Auth.SignatureMismatch' })
    expect(JSON.stringify(bad.body)).not.toContain(DEMO_CREDENTIALS.secretKey)
  })

  it('rejects a stale date, an unknown key and a missing header with their own codes', async () => {
    const sim = createSimulator()
    const stale = await call(sim, {
      path: '/v4/region/list-regions',
      date: formatEopDate(new Date(Date.now() - 2 * 3_600_000 - 8 * 3_600_000), 'beijing'),
    })
    expect(stale.body.errorCode).toBe('Openapi.Auth.DateExpired')
    const unknown = await call(sim, {
      path: '/v4/region/list-regions',
      credentials: { accessKey: 'someone-else', secretKey: 'x' },
    })
    expect(unknown.body.errorCode).toBe('Openapi.Auth.UnknownAccessKey')
    const res = await sim.app.request('/v4/region/list-regions')
    expect(res.status).toBe(401)
    expect((await res.json()).errorCode).toBe('Openapi.Auth.MissingHeader')
  })

  it('accepts header names in any case, a UTC date and empty-valued params', async () => {
    const sim = createSimulator()
    const upper = await call(sim, {
      path: '/v4/region/list-regions',
      headerCase: (n) => n.toUpperCase(),
      date: formatEopDate(new Date(), 'utc'),
    })
    expect(upper.body.statusCode).toBe(800)
    // GET with a JSON body needs real HTTP (fetch refuses it): see server.test.ts.
    const empty = await get(sim, '/v4/image/list', {
      regionID: HD1,
      azName: '',
      flavorName: '',
      queryContent: '',
      status: '',
    })
    expect(empty.body.statusCode).toBe(800)
    expect(empty.body.returnObj.images.length).toBeGreaterThan(0)
  })

  it('routes by Host when it names a service, and answers unknown paths with 404', async () => {
    const sim = createSimulator()
    const wrongHost = await call(sim, {
      path: '/v4/ebs/list-ebs',
      query: { regionID: HD1 },
      extraHeaders: { host: 'ctimage-global.ctapi.ctyun.cn' },
    })
    expect(wrongHost.status).toBe(404)
    const rightHost = await call(sim, {
      path: '/v4/ebs/list-ebs',
      query: { regionID: HD1 },
      extraHeaders: { host: 'ebs-global.ctapi.ctyun.cn' },
    })
    expect(rightHost.body.statusCode).toBe(800)
    const missing = await get(sim, '/v4/nothing/here', {})
    expect(missing.status).toBe(404)
  })
})

describe('fixture-seeded state', () => {
  it('lists disks with system/data flags, instances, images, EIPs, CBR policies and CDA gateways', async () => {
    const sim = createSimulator()
    const disks = (await get(sim, '/v4/ebs/list-ebs', { regionID: HD1, pageSize: 100 })).body.returnObj
    expect(disks.totalCount).toBe(6)
    const webData = disks.diskList.find((d: any) => d.diskID === DISK_WEB_DATA)
    expect(webData).toMatchObject({ isSystemVolume: false, instanceID: WEB01, diskStatus: 'in-use' })
    const instances = (await post(sim, '/v4/ecs/list-instances', { regionID: HD1, pageNo: 1, pageSize: 10 })).body
      .returnObj
    expect(instances.totalCount).toBe(3)
    expect(instances.results.find((i: any) => i.instanceID === WEB01).floatingIP).toBe('36.111.10.21')
    const shown = await get(sim, '/v4/ecs/instance-details', { regionID: HD1, instanceID: 'nope' })
    expect(shown.body).toMatchObject({
      statusCode: 900,
      errorCode: 'Ecs.Instance.NotFound',
      error: 'Ecs.Instance.NotFound',
    })
    const privateImages = (await get(sim, '/v4/image/list', { regionID: HD1, imageVisibilityCode: 0 })).body.returnObj
      .images
    expect(privateImages.map((i: any) => i.imageID)).toEqual([PRIVATE_IMAGE])
    expect(privateImages[0]).toMatchObject({ imageStatus: 'active', status: 'active', imageVisibility: 'private' })
    const eips = (await post(sim, '/v4/eip/new-list', { regionID: HD1 })).body.returnObj
    expect(eips.eips.map((e: any) => e.status).sort()).toEqual(['ACTIVE', 'DOWN'])
    const policies = (await get(sim, '/v4/backup/query-backup-policy', { regionID: HD1 })).body.returnObj
    expect(policies.backupPolicyTotal).toBe(2)
    const gateways = (
      await get(sim, '/v4/cda/gateway/list', { pageNo: 1, pageSize: 10, account: 'ops@example.com', regionID: HD1 })
    ).body.returnObj
    expect(gateways.totalCount).toBe(1)
    expect(gateways.lineGatewayList[0].vrfName).toBe('vrf-hd1-ops-01')
    // regionID is required in practice (§8.5): without it, a parameter error that names it.
    const noRegion = (await get(sim, '/v4/cda/gateway/list', { pageNo: 1, pageSize: 10, account: 'ops@example.com' }))
      .body
    expect(noRegion).toMatchObject({
      statusCode: 900,
      errorCode: 'Openapi.Parameter.Error',
      message: 'regionID is required',
    })
  })

  it('lists disks without labels; info-ebs shows them, except in a region without label support (no labels field)', async () => {
    const sim = createSimulator()
    // §8.1: list-ebs items carry no labels at all, whatever the disk has.
    const listed = (await get(sim, '/v4/ebs/list-ebs', { regionID: HD1, pageSize: 100 })).body.returnObj
      .diskList as any[]
    expect(listed).toHaveLength(6)
    expect(listed.filter((d) => 'labels' in d)).toEqual([])
    // info-ebs has them where the pool supports labels: an unlabelled disk shows an empty list, not a missing field.
    const webData = (await get(sim, '/v4/ebs/info-ebs', { regionID: HD1, diskID: DISK_WEB_DATA })).body.returnObj
    expect(webData.labels).toEqual([
      expect.objectContaining({ key: 'backup', value: 'nightly' }),
      expect.objectContaining({ key: 'app', value: 'web' }),
    ])
    const dbSystem = (
      await get(sim, '/v4/ebs/info-ebs', { regionID: HD1, diskID: '5d0c1e2f-0003-4c7a-8e4b-a1b2c3d4e503' })
    ).body.returnObj
    expect(dbSystem.labels).toEqual([])
    // 西南1 does not support labels: its disks list and show with no labels field.
    const xn1 = (await get(sim, '/v4/ebs/list-ebs', { regionID: XN1 })).body.returnObj.diskList as any[]
    expect(xn1.map((d) => d.diskID).sort()).toEqual([DISK_XN1_ARCHIVE, DISK_XN1_LOGS])
    for (const diskID of [DISK_XN1_ARCHIVE, DISK_XN1_LOGS]) {
      const shown = (await get(sim, '/v4/ebs/info-ebs', { regionID: XN1, diskID })).body
      expect(shown.statusCode).toBe(800)
      expect(shown.returnObj.diskID).toBe(diskID)
      expect('labels' in shown.returnObj).toBe(false)
    }
  })

  it('ignores an instanceID on list-ebs, which has no such filter: every disk of the region comes back', async () => {
    const sim = createSimulator()
    const all = (await get(sim, '/v4/ebs/list-ebs', { regionID: HD1, pageSize: 100 })).body.returnObj
    const withInstance = (await get(sim, '/v4/ebs/list-ebs', { regionID: HD1, pageSize: 100, instanceID: WEB01 })).body
      .returnObj
    expect(withInstance.totalCount).toBe(6)
    expect(withInstance.diskList.map((d: any) => d.diskID)).toEqual(all.diskList.map((d: any) => d.diskID))
    expect(withInstance.diskList.some((d: any) => d.instanceID !== WEB01)).toBe(true)
  })

  it('names the JSON path of a bad fixture', () => {
    const regions = [{ regionID: 'r1', regionName: 'R', labelsSupported: false }]
    expect(() =>
      createSimulator({ fixture: { regions: [{ regionID: 'r1', regionName: 'R', labelsSupported: 'no' }] } }),
    ).toThrow('$.regions[0].labelsSupported must be true or false')
    expect(() =>
      createSimulator({
        fixture: {
          regions,
          disks: [{ diskID: 'd', regionID: 'r1', diskName: 'x', labels: [{ key: 'k', value: 'v' }] }],
        },
      }),
    ).toThrow('$.disks[0].labels: region "r1" has labelsSupported: false')
    expect(() =>
      createSimulator({
        fixture: {
          regions: [{ regionID: 'r1', regionName: 'R' }],
          disks: [{ diskID: 'd', regionID: 'r2', diskName: 'x' }],
        },
      }),
    ).toThrow(/\$\.disks\[0\]\.regionID names region "r2"/)
    expect(() => createSimulator({ fixture: { regions: [{ regionName: 'R' }] } })).toThrow(
      '$.regions[0].regionID must be a non-empty string',
    )
  })
})

describe('EBS snapshots', () => {
  it("makes a disk's first snapshot through an order and later ones through a job, creating → available", async () => {
    const sim = createSimulator()
    const first = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', {
      regionID: HD1,
      diskID: DISK_WEB_DATA,
      snapshotName: 'snap-1',
      retentionPolicy: 'forever',
      clientToken: 't-1',
    })
    expect(first.body).toMatchObject({ statusCode: 900, errorCode: 'ebs.order.inProgress' })
    const orderID = first.body.returnObj.masterOrderID
    const pending = await get(sim, '/v4/ecs/order/query-uuid', { masterOrderID: orderID })
    expect(pending.body.returnObj).toEqual({ orderStatus: '14', instanceIDList: [] })
    sim.clock.advance(sim.durations.orderMs)
    const done = (await get(sim, '/v4/ecs/order/query-uuid', { masterOrderID: orderID })).body.returnObj
    expect(done.orderStatus).toBe('3')
    const snapshotID = done.instanceIDList[0]
    const creating = (await get(sim, '/v4/ebs_snapshot/list-ebs-snap', { regionID: HD1, snapshotID })).body.returnObj
      .snapshotList[0]
    expect(creating.snapshotStatus).toBe('creating')
    sim.clock.advance(sim.durations.snapshotMs)
    const available = (await get(sim, '/v4/ebs_snapshot/list-ebs-snap', { regionID: HD1, snapshotID })).body.returnObj
      .snapshotList[0]
    expect(available).toMatchObject({ snapshotStatus: 'available', diskID: DISK_WEB_DATA, volumeAttr: 'data' })

    const second = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', {
      regionID: HD1,
      diskID: DISK_WEB_DATA,
      snapshotName: 'snap-2',
      retentionPolicy: 'custom',
      retentionTime: 7,
    })
    expect(second.body.statusCode).toBe(800)
    const jobID = second.body.returnObj.snapshotJobID
    expect((await get(sim, '/v4/job/info', { regionID: HD1, jobID })).body.returnObj).toMatchObject({
      status: 0,
      jobStatus: 'executing',
    })
    sim.clock.advance(sim.durations.jobMs)
    const job = (await get(sim, '/v4/job/info', { regionID: HD1, jobID })).body.returnObj
    expect(job).toMatchObject({ status: 1, jobStatus: 'success' })
    expect(job.ID).not.toBe(snapshotID)
  })

  it('replays the same reply for the same clientToken and body, and refuses the token with another body', async () => {
    const sim = createSimulator()
    const before = sim.state.snapshots.size
    const body = {
      regionID: HD1,
      diskID: DISK_WEB_DATA,
      snapshotName: 'snap-1',
      retentionPolicy: 'forever',
      clientToken: 'tok-A',
    }
    const a = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', body)
    const b = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', body)
    expect(b.body.returnObj.masterOrderID).toBe(a.body.returnObj.masterOrderID)
    expect(sim.state.snapshots.size).toBe(before + 1) // exactly one more
    const c = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', { ...body, snapshotName: 'other' })
    expect(c.body.errorCode).toBe('Openapi.ClientToken.Conflict')
  })

  it('honours a replayed clientToken on the order flow only: a replay on the job flow makes a second snapshot (§8.2)', async () => {
    const sim = createSimulator()
    const named = (name: string) => [...sim.state.snapshots.values()].filter((s) => s.snapshotName === name)
    // The first snapshot of web-01-data is an order: the replay is the same order, and no second snapshot.
    const first = {
      regionID: HD1,
      diskID: DISK_WEB_DATA,
      snapshotName: 'first',
      retentionPolicy: 'forever',
      clientToken: 'tok-order',
    }
    const order = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', first)
    expect((await post(sim, '/v4/ebs_snapshot/create-ebs-snap', first)).body.returnObj.masterOrderID).toBe(
      order.body.returnObj.masterOrderID,
    )
    expect(named('first')).toHaveLength(1)
    // db-01-data has snapshots already: the job flow. Replayed while the first is still creating, it is refused as busy;
    // replayed once that one is available, it makes another.
    const later = {
      regionID: HD1,
      diskID: DISK_DB_DATA,
      snapshotName: 'later',
      retentionPolicy: 'forever',
      clientToken: 'tok-job',
    }
    const job = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', later)
    expect(job.body.returnObj).toHaveProperty('snapshotJobID')
    expect((await post(sim, '/v4/ebs_snapshot/create-ebs-snap', later)).body).toMatchObject({
      statusCode: 900,
      errorCode: 'ebs.ebsInfo.statusNotAllowed',
    })
    sim.clock.advance(sim.durations.jobMs + sim.durations.snapshotMs)
    const again = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', later)
    expect(again.body.returnObj.snapshotJobID).not.toBe(job.body.returnObj.snapshotJobID)
    expect(named('later')).toHaveLength(2)
  })

  it('refuses a snapshot while another of the same disk is creating, and names bad parameters', async () => {
    const sim = createSimulator()
    await post(sim, '/v4/ebs_snapshot/create-ebs-snap', {
      regionID: HD1,
      diskID: DISK_DB_DATA,
      snapshotName: 'a1',
      retentionPolicy: 'forever',
    })
    const busy = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', {
      regionID: HD1,
      diskID: DISK_DB_DATA,
      snapshotName: 'a2',
      retentionPolicy: 'forever',
    })
    expect(busy.body.errorCode).toBe('ebs.ebsInfo.statusNotAllowed')
    const badName = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', {
      regionID: HD1,
      diskID: DISK_WEB_DATA,
      snapshotName: '-x',
      retentionPolicy: 'forever',
    })
    expect(badName.body).toMatchObject({ errorCode: 'Openapi.Parameter.Error' })
    expect(badName.body.message).toContain('snapshotName')
    const noRegion = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', { diskID: DISK_WEB_DATA })
    expect(noRegion.body.message).toBe('regionID is required')
  })

  it('refuses a snapshot name that starts with a digit: a letter first (TF 只能以英文字母开头, §8.10)', async () => {
    const sim = createSimulator()
    const digit = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', {
      regionID: HD1,
      diskID: DISK_WEB_DATA,
      snapshotName: '1nightly-x',
      retentionPolicy: 'forever',
    })
    expect(digit.body).toMatchObject({
      statusCode: 900,
      errorCode: 'Openapi.Parameter.Error',
      message: expect.stringContaining('starting with a letter'),
    })
    expect([...sim.state.snapshots.values()].filter((s) => s.diskID === DISK_WEB_DATA)).toEqual([])
    const letter = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', {
      regionID: HD1,
      diskID: DISK_WEB_DATA,
      snapshotName: 'n1ghtly-x',
      retentionPolicy: 'forever',
    })
    expect(letter.body.errorCode).toBe('ebs.order.inProgress')
  })

  it('deletes snapshots through a job and reports ones not found or not allowed', async () => {
    const sim = createSimulator()
    const listIDs = async () =>
      (
        (await get(sim, '/v4/ebs_snapshot/list-ebs-snap', { regionID: HD1, diskID: DISK_DB_DATA })).body.returnObj
          .snapshotList as any[]
      ).map((s) => s.snapshotID)
    const fixtureIDs = await listIDs()
    const created = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', {
      regionID: HD1,
      diskID: DISK_DB_DATA,
      snapshotName: 'fresh',
      retentionPolicy: 'forever',
    })
    const job = (await get(sim, '/v4/job/info', { regionID: HD1, jobID: created.body.returnObj.snapshotJobID })).body
      .returnObj
    const reply = await post(sim, '/v4/ebs_snapshot/delete-ebs-snap', {
      regionID: HD1,
      diskID: DISK_DB_DATA,
      snapshotIDs: ['9e8d7c6b-0001-4a5b-9c8d-7e6f5a4b3c01', job.ID, 'missing'],
    })
    expect(reply.body.returnObj).toMatchObject({ notAllowedList: [job.ID], notFoundList: ['missing'] })
    sim.clock.advance(sim.durations.jobMs)
    const left = await listIDs()
    const expected = [...fixtureIDs.filter((id) => id !== '9e8d7c6b-0001-4a5b-9c8d-7e6f5a4b3c01'), job.ID]
    expect(left.sort()).toEqual(expected.sort())
    expect(left).not.toContain('9e8d7c6b-0001-4a5b-9c8d-7e6f5a4b3c01')
  })
})

describe('images', () => {
  it('creates images from an instance, a data disk, a whole ECS, a snapshot and a disk, each with its source fields', async () => {
    const sim = createSimulator()
    const SNAPSHOT_DB_DATA = '9e8d7c6b-0001-4a5b-9c8d-7e6f5a4b3c01'
    const ECS_SNAPSHOT_DB01 = 'c3e5a7b9-0001-4d2f-8a6c-1e3b5d7f9a01'
    // The EBS operation nests its envelope in {httpstatus, httpresult}.
    const imageOf = (reply: Reply) => (reply.body.httpresult ?? reply.body).returnObj.images[0]
    const made = [
      await post(sim, '/v4/image/create', {
        regionID: HD1,
        instanceID: WEB01,
        imageName: 'from-vm',
        description: 'd1',
      }),
      await post(sim, '/v4/image/create-from-data-disk', {
        regionID: HD1,
        instanceID: WEB01,
        dataDiskID: DISK_WEB_DATA,
        imageName: 'from-data',
      }),
      await post(sim, '/v4/image/create-from-ecs', { regionID: HD1, instanceID: DB01, imageName: 'from-ecs' }),
      await post(sim, '/v4/image/create-from-ecs-snapshot', {
        regionID: HD1,
        snapshotID: ECS_SNAPSHOT_DB01,
        imageName: 'from-snap',
      }),
      await post(sim, '/v4/ebs/create-image-ebs', { regionID: HD1, diskID: DISK_DB_DATA, imageName: 'from-disk' }),
    ].map((reply) => {
      const { imageName, imageType, imageSource, sourceServerID, diskSize, description, imageStatus, imageVisibility } =
        imageOf(reply)
      return { imageName, imageType, imageSource, sourceServerID, diskSize, description, imageStatus, imageVisibility }
    })
    const fresh = { imageStatus: 'queued', imageVisibility: 'private' }
    expect(made).toEqual([
      {
        ...fresh,
        imageName: 'from-vm',
        imageType: null,
        imageSource: 'cloud_server',
        sourceServerID: WEB01,
        diskSize: 40,
        description: 'd1',
      },
      {
        ...fresh,
        imageName: 'from-data',
        imageType: 'data_disk_image',
        imageSource: 'cloud_server',
        sourceServerID: WEB01,
        diskSize: 100,
        description: '',
      },
      {
        ...fresh,
        imageName: 'from-ecs',
        imageType: 'full_ecs_image',
        imageSource: 'full_ecs',
        sourceServerID: DB01,
        diskSize: 40,
        description: '',
      },
      {
        ...fresh,
        imageName: 'from-snap',
        imageType: null,
        imageSource: 'snapshot',
        sourceServerID: DB01,
        diskSize: 40,
        description: '',
      },
      {
        ...fresh,
        imageName: 'from-disk',
        imageType: 'data_disk_image',
        imageSource: 'cloud_server',
        sourceServerID: DB01,
        diskSize: 500,
        description: '',
      },
    ])
    const badName = await post(sim, '/v4/image/create-from-ecs', {
      regionID: HD1,
      instanceID: DB01,
      imageName: '9-starts-with-a-digit',
    })
    expect(badName.body).toMatchObject({ statusCode: 900, errorCode: 'Openapi.Parameter.Error' })
    // create-from-ecs-snapshot takes an ECS (云主机) snapshot id; an EBS snapshot id is refused, naming it (§8.8).
    const ebsSnapshot = await post(sim, '/v4/image/create-from-ecs-snapshot', {
      regionID: HD1,
      snapshotID: SNAPSHOT_DB_DATA,
      imageName: 'from-ebs-snap',
    })
    expect(ebsSnapshot.body).toMatchObject({
      statusCode: 900,
      errorCode: 'Openapi.Parameter.Error',
      message: expect.stringContaining(`snapshotID ${SNAPSHOT_DB_DATA} is an EBS`),
    })
    const taken = await post(sim, '/v4/ebs/create-image-ebs', {
      regionID: HD1,
      diskID: DISK_DB_DATA,
      imageName: 'from-vm',
    })
    expect(taken.body.httpresult ?? taken.body).toMatchObject({
      statusCode: 900,
      errorCode: 'Image.ImageName.Duplicate',
    })
  })

  it('creates an image queued → saving → active and copies it across regions once at a time', async () => {
    const sim = createSimulator()
    const created = await post(sim, '/v4/image/create', { regionID: HD1, instanceID: WEB01, imageName: 'web-new' })
    const image = created.body.returnObj.images[0]
    expect(image.imageStatus).toBe('queued')
    sim.clock.advance(sim.durations.imageQueuedMs)
    expect(
      (await get(sim, '/v4/image/detail', { regionID: HD1, imageID: image.imageID })).body.returnObj.images[0]
        .imageStatus,
    ).toBe('saving')
    sim.clock.advance(sim.durations.imageSavingMs)
    expect(
      (await get(sim, '/v4/image/detail', { regionID: HD1, imageID: image.imageID })).body.returnObj.images[0]
        .imageStatus,
    ).toBe('active')

    expect(
      (await get(sim, '/v4/image/list-supported-dest-crr-regions', { regionID: HD1 })).body.returnObj.regions,
    ).toContain(NM8)
    const copy = await post(sim, '/v4/image/cross-region-copy', {
      regionID: HD1,
      destinationRegionID: NM8,
      imageID: PRIVATE_IMAGE,
      imageName: 'golden-nm8',
    })
    expect(copy.body).toMatchObject({ statusCode: 800, returnObj: {} })
    const again = await post(sim, '/v4/image/cross-region-copy', {
      regionID: HD1,
      destinationRegionID: NM8,
      imageID: PRIVATE_IMAGE,
      imageName: 'golden-nm8-b',
    })
    expect(again.body.errorCode).toBe('Image.ImageCopy.InProgress')
    const inDest = (
      await get(sim, '/v4/image/list', { regionID: NM8, imageVisibilityCode: 0, imageName: 'golden-nm8' })
    ).body.returnObj.images
    expect(inDest).toHaveLength(1)
    expect(inDest[0].imageStatus).toBe('queued')
    const sameRegion = await post(sim, '/v4/image/copy', {
      regionID: HD1,
      imageID: PRIVATE_IMAGE,
      imageName: 'golden-copy',
    })
    expect(sameRegion.body.statusCode).toBe(800)
    const duplicate = await post(sim, '/v4/image/copy', {
      regionID: HD1,
      imageID: image.imageID,
      imageName: 'golden-copy',
    })
    expect(duplicate.body.errorCode).toBe('Image.ImageName.Duplicate')
  })

  it('answers image detail for a missing image with an empty list by default and Image.ImageCheck.NotFound with errorFree=false (§8.8)', async () => {
    const sim = createSimulator()
    expect((await get(sim, '/v4/image/detail', { regionID: HD1, imageID: 'no-such-image' })).body).toMatchObject({
      statusCode: 800,
      returnObj: { images: [] },
    })
    expect(
      (await get(sim, '/v4/image/detail', { regionID: HD1, imageID: 'no-such-image', errorFree: 'false' })).body,
    ).toMatchObject({ statusCode: 900, errorCode: 'Image.ImageCheck.NotFound' })
  })
})

describe('error codes', () => {
  it('spells assumed codes as told, with their UpperCamel twin, and refuses to respell a sourced one', async () => {
    const sim = createSimulator({
      errorCodes: { imageCopyInProgress: 'Image.Copy.Busy', throttled: 'Openapi.Flow.Control' },
    })
    await post(sim, '/v4/image/cross-region-copy', {
      regionID: HD1,
      destinationRegionID: NM8,
      imageID: PRIVATE_IMAGE,
      imageName: 'golden-a',
    })
    const busy = await post(sim, '/v4/image/cross-region-copy', {
      regionID: HD1,
      destinationRegionID: NM8,
      imageID: PRIVATE_IMAGE,
      imageName: 'golden-b',
    })
    expect(busy.body).toMatchObject({ statusCode: 900, errorCode: 'Image.Copy.Busy', error: 'Image.Copy.Busy' })
    sim.faults.set({ '*': { throttleRate: 1, throttleMode: 'errorCode' } })
    expect((await get(sim, '/v4/region/list-regions', {})).body).toMatchObject({
      errorCode: 'Openapi.Flow.Control',
      description: '请求过于频繁',
    })
    expect(() => createSimulator({ errorCodes: { imageNotFound: 'Image.Gone' } })).toThrow(/sourced/)
    expect(() => createSimulator({ errorCodes: { nope: 'A.B' } as never })).toThrow(/no such simulator error/)
  })
})

describe('CBR', () => {
  it('executes a policy now: Preparing → Executing with rising percent → Completed, leaving a backup snapshot', async () => {
    const sim = createSimulator()
    const policyID = '7f3a9b2c4d5e6f708192a3b4c5d6e702'
    const action = await post(sim, '/v4/backup/action-backup-policy', {
      regionID: HD1,
      backupPolicyID: policyID,
      backupPolicyOp: 3,
    })
    expect(action.body.returnObj.status).toBe('success')
    const taskID = action.body.returnObj.backupTaskID
    const task = async () => {
      const list = (await get(sim, '/v4/backup/query-task-backup', { regionID: HD1, backupSrcInstanceID: DB01 })).body
        .returnObj
      expect(list).toHaveProperty('bakupTaskCount')
      return list.backupTaskList.find((t: any) => t.backupTaskID === taskID)
    }
    expect((await task()).backupTaskStatusCode).toBe('Preparing')
    sim.clock.advance(sim.durations.backupPreparingMs + sim.durations.backupExecutingMs / 4)
    const early = await task()
    sim.clock.advance(sim.durations.backupExecutingMs / 2)
    const later = await task()
    expect([early.backupTaskStatusCode, later.backupTaskStatusCode]).toEqual(['Executing', 'Executing'])
    expect(later.backupTaskPercent).toBeGreaterThan(early.backupTaskPercent)
    const before = (await get(sim, '/v4/backup/query-backup-snapshot', { regionID: HD1, backupPolicyID: policyID }))
      .body.returnObj.backupSnapshotTotal
    expect(before).toBe(0)
    sim.clock.advance(sim.durations.backupExecutingMs)
    const done = await task()
    expect(done).toMatchObject({ backupTaskStatusCode: 'Completed', backupTaskPercent: 100 })
    const after = (await get(sim, '/v4/backup/query-backup-snapshot', { regionID: HD1, backupPolicyID: policyID })).body
      .returnObj
    expect(after.backupSnapshotList.map((s: any) => s.backupSnapID)).toEqual([done.backupSnapID])
  })
})

describe('list-ebs-snap paging (§8.7)', () => {
  it('ignores maxResults without nextToken, and pages from a nextToken', async () => {
    const sim = createSimulator()
    const all = (await get(sim, '/v4/ebs_snapshot/list-ebs-snap', { regionID: HD1 })).body.returnObj
    expect(all.snapshotList.length).toBeGreaterThan(1)
    const capped = (await get(sim, '/v4/ebs_snapshot/list-ebs-snap', { regionID: HD1, maxResults: 1 })).body.returnObj
    expect([capped.snapshotList.length, capped.nextToken]).toEqual([all.snapshotList.length, ''])
    const paged = (await get(sim, '/v4/ebs_snapshot/list-ebs-snap', { regionID: HD1, maxResults: 1, nextToken: '0' }))
      .body.returnObj
    expect(paged.snapshotList.map((s: any) => s.snapshotID)).toEqual([all.snapshotList[0].snapshotID])
    expect(paged.nextToken).toBe('1')
  })
})

describe('CBR lists (no documented paging, §8.4)', () => {
  it('page by their own size whatever pageSize is asked, honour pageNo, and match policy names fuzzily', async () => {
    const sim = createSimulator()
    const policyID = '7f3a9b2c4d5e6f708192a3b4c5d6e702'
    for (let i = 0; i < 13; i++)
      await post(sim, '/v4/backup/action-backup-policy', { regionID: HD1, backupPolicyID: policyID, backupPolicyOp: 3 })
    const page = async (pageNo: number) =>
      (await get(sim, '/v4/backup/query-task-backup', { regionID: HD1, pageNo, pageSize: 50 })).body.returnObj
    const [first, second] = [await page(1), await page(2)]
    expect([first.backupTaskList.length, second.backupTaskList.length, first.bakupTaskCount]).toEqual([10, 3, 13])
    const ids = [...first.backupTaskList, ...second.backupTaskList].map((t: any) => t.backupTaskID)
    expect(new Set(ids).size).toBe(13)
    // An undocumented backupTaskID filter is not honoured: the whole list comes back.
    expect(
      (await get(sim, '/v4/backup/query-task-backup', { regionID: HD1, backupTaskID: ids[0] })).body.returnObj
        .bakupTaskCount,
    ).toBe(13)
    const policies = (
      await get(sim, '/v4/backup/query-backup-policy', { regionID: HD1, backupPolicyName: '-01-daily' })
    ).body.returnObj
    expect(policies.backupPolicyList.map((p: any) => p.backupPolicyName).sort()).toEqual([
      'db-01-daily',
      'web-01-daily',
    ])
  })
})

describe('EIP', () => {
  it('creates through an order, binds via BANDING_OR_UNBANGDING → ACTIVE, refuses double binding and deleting while bound', async () => {
    const sim = createSimulator()
    const created = (
      await post(sim, '/v4/eip/create', { regionID: HD1, cycleType: 'on_demand', name: 'new-eip', clientToken: 'e-1' })
    ).body.returnObj
    const order = () => get(sim, '/v4/ecs/order/query-uuid', { masterOrderID: created.masterOrderID })
    expect((await order()).body.returnObj.orderStatus).toBe('14')
    sim.clock.advance(sim.durations.orderMs)
    expect((await order()).body.returnObj.instanceIDList).toEqual([created.eipID])
    const show = async () => (await get(sim, '/v4/eip/show', { regionID: HD1, eipID: created.eipID })).body.returnObj
    expect((await show()).status).toBe('DOWN')
    const bind = { regionID: HD1, eipID: created.eipID, associationID: DB01, associationType: 1 }
    expect((await post(sim, '/v4/eip/associate', bind)).body.statusCode).toBe(800)
    expect((await show()).status).toBe('BANDING_OR_UNBANGDING')
    expect((await post(sim, '/v4/eip/associate', bind)).body.errorCode).toBe('Openapi.Eip.StatusNotAllowed')
    sim.clock.advance(sim.durations.eipBindingMs)
    expect(await show()).toMatchObject({ status: 'ACTIVE', associationID: DB01 })
    expect((await post(sim, '/v4/eip/associate', bind)).body.errorCode).toBe('Openapi.Eip.AlreadyBound')
    expect((await post(sim, '/v4/eip/delete', { regionID: HD1, eipID: created.eipID })).body.errorCode).toBe(
      'Openapi.Eip.InUse',
    )
    expect((await post(sim, '/v4/eip/disassociate', { regionID: HD1, eipID: created.eipID })).body.statusCode).toBe(800)
    sim.clock.advance(sim.durations.eipBindingMs)
    expect((await show()).status).toBe('DOWN')
    const deleted = await post(sim, '/v4/eip/delete', { regionID: HD1, eipID: created.eipID, clientToken: 'd-1' })
    expect(deleted.body.returnObj).toHaveProperty('masterOrderID')
    expect((await get(sim, '/v4/eip/show', { regionID: HD1, eipID: created.eipID })).body.errorCode).toBe(
      'Openapi.Eip.NotFound',
    )
  })

  it('acts again on a replayed associate or disassociate (no order, so the clientToken promises nothing, §8.2)', async () => {
    const sim = createSimulator()
    const eipID = 'eip-8hq2mz4xcd'
    const show = async () => (await get(sim, '/v4/eip/show', { regionID: HD1, eipID })).body.returnObj
    const bind = { regionID: HD1, eipID, associationID: DB01, associationType: 1, clientToken: 'bind-1' }
    expect((await post(sim, '/v4/eip/associate', bind)).body.statusCode).toBe(800)
    sim.clock.advance(sim.durations.eipBindingMs)
    expect((await post(sim, '/v4/eip/associate', bind)).body).toMatchObject({
      statusCode: 900,
      errorCode: 'Openapi.Eip.AlreadyBound',
    })
    const unbind = { regionID: HD1, eipID, clientToken: 'unbind-1' }
    expect((await post(sim, '/v4/eip/disassociate', unbind)).body.statusCode).toBe(800)
    sim.clock.advance(sim.durations.eipBindingMs)
    expect((await post(sim, '/v4/eip/disassociate', unbind)).body).toMatchObject({
      statusCode: 900,
      errorCode: 'Openapi.Eip.NotBound',
    })
    // The first token again, now that the EIP is down: a new binding.
    expect((await post(sim, '/v4/eip/associate', bind)).body.statusCode).toBe(800)
    sim.clock.advance(sim.durations.eipBindingMs)
    expect(await show()).toMatchObject({ status: 'ACTIVE', associationID: DB01 })
  })
})

describe('faults', () => {
  it('injects 5xx, 429 with Retry-After, the throttle code and lifecycle errors, then stops after `times`', async () => {
    const sim = createSimulator({ faults: { 'regions.list': { serverErrorRate: 1, times: 1 } } })
    expect((await get(sim, '/v4/region/list-regions', {})).status).toBe(503)
    expect((await get(sim, '/v4/region/list-regions', {})).status).toBe(200)
    sim.faults.set({ 'regions.list': { throttleRate: 1, throttleMode: 'http429', retryAfterSeconds: 2 } })
    const throttled = await get(sim, '/v4/region/list-regions', {})
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get('retry-after')).toBe('2')
    sim.faults.set({ '*': { throttleRate: 1, throttleMode: 'errorCode' } })
    expect((await get(sim, '/v4/region/list-regions', {})).body).toMatchObject({
      statusCode: 900,
      errorCode: 'Openapi.RequestLimitExceeded',
    })
    sim.faults.set({ 'ebs.createSnapshot': { lifecycleErrorRate: 1 } })
    const created = await post(sim, '/v4/ebs_snapshot/create-ebs-snap', {
      regionID: HD1,
      diskID: DISK_DB_DATA,
      snapshotName: 'doomed',
      retentionPolicy: 'forever',
    })
    sim.clock.advance(sim.durations.jobMs + sim.durations.snapshotMs)
    const job = (await get(sim, '/v4/job/info', { regionID: HD1, jobID: created.body.returnObj.snapshotJobID })).body
      .returnObj
    expect(job.status).toBe(2)
    const snap = (await get(sim, '/v4/ebs_snapshot/list-ebs-snap', { regionID: HD1, snapshotID: job.ID })).body
      .returnObj.snapshotList[0]
    expect(snap.snapshotStatus).toBe('error')
    expect(sim.calls.snapshot().byOperation['regions.list']).toBe(4)
  })

  it('ends image, backup task and EIP binding lifecycles in error under lifecycleErrorRate', async () => {
    const sim = createSimulator({
      faults: {
        'image.create': { lifecycleErrorRate: 1 },
        'cbr.actionPolicy': { lifecycleErrorRate: 1 },
        'eip.associate': { lifecycleErrorRate: 1 },
      },
    })
    const image = (await post(sim, '/v4/image/create', { regionID: HD1, instanceID: WEB01, imageName: 'will-fail' }))
      .body.returnObj.images[0]
    const task = (
      await post(sim, '/v4/backup/action-backup-policy', {
        regionID: HD1,
        backupPolicyID: '7f3a9b2c4d5e6f708192a3b4c5d6e701',
        backupPolicyOp: 3,
      })
    ).body.returnObj
    await post(sim, '/v4/eip/associate', {
      regionID: HD1,
      eipID: 'eip-8hq2mz4xcd',
      associationID: DB01,
      associationType: 1,
    })
    sim.clock.advance(3_600_000)
    expect(
      (await get(sim, '/v4/image/detail', { regionID: HD1, imageID: image.imageID })).body.returnObj.images[0]
        .imageStatus,
    ).toBe('error')
    const failed = (
      await get(sim, '/v4/backup/query-task-backup', { regionID: HD1 })
    ).body.returnObj.backupTaskList.find((t: any) => t.backupTaskID === task.backupTaskID)
    expect(failed).toMatchObject({ backupTaskStatusCode: 'Failed', backupSnapID: '' })
    expect(failed.backupTaskErrMsg).toBeTruthy()
    expect((await get(sim, '/v4/eip/show', { regionID: HD1, eipID: 'eip-8hq2mz4xcd' })).body.returnObj.status).toBe(
      'ERROR',
    )
  })

  it('loses the reply of a call the server carried out (lostReplyRate), unlike dropRate which drops it unserved', async () => {
    const sim = createSimulator({ faults: { 'ebs.createSnapshot': { dropRate: 1, times: 1 } } })
    const body = { regionID: HD1, diskID: DISK_DB_DATA, snapshotName: 'lost', retentionPolicy: 'forever' }
    const named = () => [...sim.state.snapshots.values()].filter((s) => s.snapshotName === 'lost')
    // In-process there is no socket to close: the simulator answers 502 with no envelope.
    expect((await sim.app.request(...requestArgs('/v4/ebs_snapshot/create-ebs-snap', body))).status).toBe(502)
    expect(named()).toHaveLength(0)
    sim.faults.set({ 'ebs.createSnapshot': { lostReplyRate: 1, times: 1 } })
    expect((await sim.app.request(...requestArgs('/v4/ebs_snapshot/create-ebs-snap', body))).status).toBe(502)
    expect(named()).toHaveLength(1)
    expect(sim.calls.snapshot().byOperation['ebs.createSnapshot']).toBe(2)
  })

  it('answers business errors with another errorCode under businessErrorCode (a cloud that spells codes otherwise)', async () => {
    const sim = createSimulator({ faults: { 'eip.associate': { businessErrorCode: 'Vpc.Eip.Whatever' } } })
    const bind = { regionID: HD1, eipID: 'eip-8hq2mz4xcd', associationID: DB01, associationType: 1 }
    expect((await post(sim, '/v4/eip/associate', bind)).body.statusCode).toBe(800)
    expect((await post(sim, '/v4/eip/associate', bind)).body).toMatchObject({
      statusCode: 900,
      errorCode: 'Vpc.Eip.Whatever',
      error: 'Vpc.Eip.Whatever',
    })
    // Order-in-progress replies are no errors and keep their code.
    sim.faults.set({ 'ebs.createSnapshot': { businessErrorCode: 'X.Y.Z' } })
    expect(
      (
        await post(sim, '/v4/ebs_snapshot/create-ebs-snap', {
          regionID: HD1,
          diskID: DISK_WEB_DATA,
          snapshotName: 'o1',
          retentionPolicy: 'forever',
        })
      ).body.errorCode,
    ).toBe('ebs.order.inProgress')
    const bad = await sim.app.request('/_sim/faults', {
      method: 'PUT',
      body: JSON.stringify({ 'eip.associate': { businessErrorCode: '' } }),
    })
    expect((await bad.json()).message).toContain('faults["eip.associate"].businessErrorCode')
  })

  it('decides the same faults under the same seed', async () => {
    const outcomes = async (seed: number) => {
      const sim = createSimulator({ seed, faults: { '*': { serverErrorRate: 0.5 } } })
      const statuses: number[] = []
      for (let i = 0; i < 20; i++) statuses.push((await get(sim, '/v4/region/list-regions', {})).status)
      return statuses
    }
    const a = await outcomes(42)
    expect(await outcomes(42)).toEqual(a)
    expect(a).toContain(503)
    expect(a).toContain(200)
  })
})

describe('admin', () => {
  it('shows state and calls, changes faults with field-named errors, advances the clock and resets', async () => {
    const sim = createSimulator()
    await get(sim, '/v4/ebs/list-ebs', { regionID: HD1 })
    const calls = await (await sim.app.request('/_sim/calls')).json()
    expect(calls.byOperation['ebs.listDisks']).toBe(1)
    const bad = await sim.app.request('/_sim/faults', {
      method: 'PUT',
      body: JSON.stringify({ 'ebs.listDisks': { serverErrorRate: 2 } }),
    })
    expect(bad.status).toBe(400)
    expect((await bad.json()).message).toContain('faults["ebs.listDisks"].serverErrorRate')
    const good = await sim.app.request('/_sim/faults', {
      method: 'PUT',
      body: JSON.stringify({ 'ebs.listDisks': { latencyMs: 1 } }),
    })
    expect(await good.json()).toEqual({ 'ebs.listDisks': { latencyMs: 1 } })
    const advanced = await (
      await sim.app.request('/_sim/clock/advance', { method: 'POST', body: JSON.stringify({ ms: 5000 }) })
    ).json()
    expect(advanced.offsetMs).toBe(5000)
    await post(sim, '/v4/eip/create', { regionID: HD1, cycleType: 'on_demand', name: 'x-eip' })
    const state = await (await sim.app.request('/_sim/state')).json()
    expect(state.eips).toHaveLength(3)
    expect(state.disks[0]).toHaveProperty('snapshotServiceOpened')
    await sim.app.request('/_sim/reset', { method: 'POST' })
    expect((await (await sim.app.request('/_sim/state')).json()).eips).toHaveLength(2)
    expect(sim.calls.count()).toBe(0)
  })
})
