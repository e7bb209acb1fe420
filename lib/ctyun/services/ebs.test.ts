import { describe, expect, it } from 'vitest'
import { CtyunInputError, CtyunResourceFailedError } from '../errors'
import { collect } from '../paginate'
import { fail, ok } from '../testing/test-server'
import { useClientHarness } from '../testing/use-client-harness'

const h = useClientHarness()

const snapParams = {
  regionID: 'r1',
  diskID: 'd-1',
  snapshotName: 'nightly-01',
  retentionPolicy: 'custom',
  retentionTime: 7,
} as const

describe('ebs service', () => {
  it('lists disks page by page with GET query params', async () => {
    h.route({
      '/v4/ebs/list-ebs': (r) =>
        ok({
          diskList: r.query.get('pageNo') === '1' ? [{ diskID: 'a' }, { diskID: 'b' }] : [{ diskID: 'c' }],
          totalCount: 3,
        }),
    })
    const disks = await collect(h.client.ebs.listDisks({ regionID: 'r1', pageSize: 2, diskStatus: 'in-use' }))
    expect(disks.map((d) => d.diskID)).toEqual(['a', 'b', 'c'])
    const sent = h.sent('/v4/ebs/list-ebs')
    expect(sent.map((r) => [r.method, r.rawQuery])).toEqual([
      ['GET', 'diskStatus=in-use&pageNo=1&pageSize=2&regionID=r1'],
      ['GET', 'diskStatus=in-use&pageNo=2&pageSize=2&regionID=r1'],
    ])
  })

  it('refuses an instanceID filter, which list-ebs does not have (the cloud would return every disk), and sends nothing', async () => {
    const params = { regionID: 'r1', instanceID: 'i-1' } as Parameters<typeof h.client.ebs.listDisks>[0]
    expect(() => h.client.ebs.listDisks(params)).toThrow(
      new CtyunInputError(
        'instanceID',
        'is not a list-ebs filter (the API would ignore it and return every disk); filter the listed disks on instanceID',
      ),
    )
    expect(() => h.client.ebs.listDisks({ regionID: 'r1', diskName: 'x' } as never)).toThrow(
      expect.objectContaining({ field: 'diskName' }),
    )
    expect(h.server.requests).toHaveLength(0)
  })

  it('refuses a snapshot name that starts with a digit (a letter first, §8.10), and sends nothing', async () => {
    await expect(h.client.ebs.createSnapshot({ ...snapParams, snapshotName: '1nightly' })).rejects.toMatchObject({
      name: 'CtyunInputError',
      field: 'snapshotName',
      message: expect.stringContaining('starting with a letter'),
    })
    expect(h.server.requests).toHaveLength(0)
  })

  it('shows one disk', async () => {
    h.route({ '/v4/ebs/info-ebs': ok({ diskID: 'd-1', diskStatus: 'in-use' }) })
    expect(await h.client.ebs.getDisk({ regionID: 'r1', diskID: 'd-1' })).toMatchObject({ diskID: 'd-1' })
    expect(h.sent('/v4/ebs/info-ebs')[0]!.rawQuery).toBe('diskID=d-1&regionID=r1')
  })

  it('names a missing parameter and sends nothing', async () => {
    await expect(h.client.ebs.getDisk({ regionID: 'r1', diskID: '' })).rejects.toThrow(
      new CtyunInputError('diskID', 'required by ebs.getDisk'),
    )
    await expect(h.client.ebs.createSnapshot({ ...snapParams, snapshotName: 'bad name!' })).rejects.toMatchObject({
      field: 'snapshotName',
    })
    expect(h.server.requests).toHaveLength(0)
  })

  it('returns the order flow for a first snapshot (ebs.order.inProgress), with a clientToken in the body', async () => {
    h.route({
      '/v4/ebs_snapshot/create-ebs-snap': fail('ebs.order.inProgress', '订单处理中', {
        returnObj: { masterOrderID: 'mo-1', masterOrderNO: 'no-1' },
      }),
    })
    const creation = await h.client.ebs.createSnapshot(snapParams)
    expect(creation).toMatchObject({ flow: 'order', masterOrderID: 'mo-1' })
    const [request] = h.sent('/v4/ebs_snapshot/create-ebs-snap')
    expect(request!.method).toBe('POST')
    expect(request!.json).toEqual({ ...snapParams, clientToken: creation.clientToken })
  })

  it('returns the job flow for later snapshots', async () => {
    h.route({ '/v4/ebs_snapshot/create-ebs-snap': ok({ snapshotJobID: 'job-1', resources: [{ snapshotID: 's-9' }] }) })
    expect(await h.client.ebs.createSnapshot({ ...snapParams, clientToken: 'tok' })).toEqual({
      flow: 'job',
      snapshotJobID: 'job-1',
      snapshotID: 's-9',
      clientToken: 'tok',
    })
  })

  it('creates and waits through the order flow: order 14 → 3 with ids, snapshot creating → available', async () => {
    h.route({
      '/v4/ebs_snapshot/create-ebs-snap': fail('ebs.order.inProgress', '订单处理中', {
        returnObj: { masterOrderID: 'mo-1' },
      }),
      '/v4/ecs/order/query-uuid': (_r, n) =>
        ok(n === 0 ? { orderStatus: '14', instanceIDList: [] } : { orderStatus: '3', instanceIDList: ['s-1'] }),
      '/v4/ebs_snapshot/list-ebs-snap': (_r, n) =>
        ok({
          snapshotList: n === 0 ? [] : [{ snapshotID: 's-1', snapshotStatus: n === 1 ? 'creating' : 'available' }],
        }),
    })
    const snapshot = await h.client.ebs.createSnapshotAndWait(snapParams, h.wait)
    expect(snapshot).toMatchObject({ snapshotID: 's-1', snapshotStatus: 'available' })
    expect(h.sent('/v4/ecs/order/query-uuid')[0]!.rawQuery).toBe('masterOrderID=mo-1')
    expect(h.sent('/v4/ebs_snapshot/list-ebs-snap')[0]!.rawQuery).toBe('maxResults=100&regionID=r1&snapshotID=s-1')
    expect(h.waitDelays.length).toBe(3)
  })

  it('creates and waits through the job flow: job/info status 0 → 1 with ID', async () => {
    h.route({
      '/v4/ebs_snapshot/create-ebs-snap': ok({ snapshotJobID: 'job-1' }),
      '/v4/job/info': (_r, n) => ok(n === 0 ? { jobID: 'job-1', status: 0 } : { jobID: 'job-1', status: 1, ID: 's-2' }),
      '/v4/ebs_snapshot/list-ebs-snap': ok({ snapshotList: [{ snapshotID: 's-2', snapshotStatus: 'available' }] }),
    })
    expect(await h.client.ebs.createSnapshotAndWait(snapParams, h.wait)).toMatchObject({ snapshotID: 's-2' })
    expect(h.sent('/v4/job/info')[0]!.rawQuery).toBe('jobID=job-1&regionID=r1')
  })

  it('fails the wait at once when the snapshot goes to error', async () => {
    h.route({
      '/v4/ebs_snapshot/list-ebs-snap': ok({ snapshotList: [{ snapshotID: 's-3', snapshotStatus: 'error' }] }),
    })
    await expect(h.client.ebs.waitForSnapshot({ regionID: 'r1', snapshotID: 's-3' }, h.wait)).rejects.toBeInstanceOf(
      CtyunResourceFailedError,
    )
    expect(h.sent('/v4/ebs_snapshot/list-ebs-snap')).toHaveLength(1)
  })

  it('lists snapshots by nextToken', async () => {
    h.route({
      '/v4/ebs_snapshot/list-ebs-snap': (r) =>
        ok(
          r.query.get('nextToken')
            ? { snapshotList: [{ snapshotID: 's-b' }] }
            : { snapshotList: [{ snapshotID: 's-a' }], nextToken: 'n1' },
        ),
    })
    const snaps = await collect(h.client.ebs.listSnapshots({ regionID: 'r1', diskID: 'd-1' }))
    expect(snaps.map((s) => s.snapshotID)).toEqual(['s-a', 's-b'])
    expect(h.sent('/v4/ebs_snapshot/list-ebs-snap')[1]!.rawQuery).toBe(
      'diskID=d-1&maxResults=100&nextToken=n1&regionID=r1',
    )
  })

  it('drops repeated snapshots (a first page that held everything, then a token that repeats) and stops there', async () => {
    // maxResults counts only with nextToken (doc api 7909, §8.7): the first reply may hold every snapshot.
    const all = [{ snapshotID: 's-a' }, { snapshotID: 's-b' }, { snapshotID: 's-c' }]
    h.route({
      '/v4/ebs_snapshot/list-ebs-snap': (r) =>
        ok(
          r.query.get('nextToken') === 'n1'
            ? { snapshotList: all.slice(1), nextToken: 'n2' }
            : { snapshotList: all, nextToken: 'n1' },
        ),
    })
    const snaps = await collect(h.client.ebs.listSnapshots({ regionID: 'r1', diskID: 'd-1' }))
    expect(snaps.map((s) => s.snapshotID)).toEqual(['s-a', 's-b', 's-c'])
    expect(h.sent('/v4/ebs_snapshot/list-ebs-snap')).toHaveLength(2)
  })

  it('waits at least as long as TF for a snapshot to become available: 15 minutes by default (30 s × 30, §8.9)', async () => {
    h.route({
      '/v4/ebs_snapshot/list-ebs-snap': (_r, n) =>
        ok({ snapshotList: [{ snapshotID: 's-slow', snapshotStatus: n < 30 ? 'creating' : 'available' }] }),
    })
    expect(await h.client.ebs.waitForSnapshot({ regionID: 'r1', snapshotID: 's-slow' }, h.wait)).toMatchObject({
      snapshotStatus: 'available',
    })
    expect(h.waitDelays.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThan(600_000) // past the old 10-minute default
    h.route({
      '/v4/ebs_snapshot/list-ebs-snap': ok({ snapshotList: [{ snapshotID: 's-stuck', snapshotStatus: 'creating' }] }),
    })
    await expect(h.client.ebs.waitForSnapshot({ regionID: 'r1', snapshotID: 's-stuck' }, h.wait)).rejects.toMatchObject(
      { name: 'CtyunWaitTimeoutError', waitedMs: 900_000 },
    )
  })

  it('deletes snapshots with a JSON body', async () => {
    h.route({ '/v4/ebs_snapshot/delete-ebs-snap': ok({ snapshotJobID: 'j-d', notFoundList: [] }) })
    expect(await h.client.ebs.deleteSnapshots({ regionID: 'r1', diskID: 'd-1', snapshotIDs: ['s-1'] })).toMatchObject({
      snapshotJobID: 'j-d',
    })
    expect(h.sent('/v4/ebs_snapshot/delete-ebs-snap')[0]!.json).toEqual({
      regionID: 'r1',
      diskID: 'd-1',
      snapshotIDs: ['s-1'],
    })
  })

  it('a create whose reply is lost looks for the snapshot by its name on the disk and adopts it, sending nothing again (§8.2)', async () => {
    h.route({
      '/v4/ebs_snapshot/create-ebs-snap': { hangUp: true },
      // The name filter is a substring match and paging may repeat items (§8.7): exact match and repeats dropped here.
      '/v4/ebs_snapshot/list-ebs-snap': ok({
        snapshotList: [
          { snapshotID: 's-10', snapshotName: 'nightly-010', diskID: 'd-1', snapshotStatus: 'available' },
          { snapshotID: 's-1', snapshotName: 'nightly-01', diskID: 'd-1', snapshotStatus: 'creating' },
          { snapshotID: 's-1', snapshotName: 'nightly-01', diskID: 'd-1', snapshotStatus: 'creating' },
        ],
      }),
    })
    expect(await h.client.ebs.createSnapshot({ ...snapParams, clientToken: 'tok' })).toEqual({
      flow: 'adopted',
      snapshotID: 's-1',
      clientToken: 'tok',
    })
    expect(h.sent('/v4/ebs_snapshot/create-ebs-snap')).toHaveLength(1)
    expect(h.sent('/v4/ebs_snapshot/list-ebs-snap').map((r) => r.rawQuery)).toEqual([
      'diskID=d-1&maxResults=100&regionID=r1&snapshotName=nightly-01',
    ])
  })

  it('a create whose outcome is unknown (5xx, timeout) and whose snapshot is not there is sent again: same clientToken, fresh request id', async () => {
    h.route({
      '/v4/ebs_snapshot/create-ebs-snap': (_r, n) =>
        n === 0 ? { status: 502, body: '<html>bad gateway</html>' } : ok({ snapshotJobID: 'job-2' }),
      '/v4/ebs_snapshot/list-ebs-snap': ok({
        snapshotList: [{ snapshotID: 's-old', snapshotName: 'nightly-01', diskID: 'd-1', snapshotStatus: 'error' }],
      }),
    })
    // A snapshot of the name that failed is no snapshot to keep: a new one is made.
    expect(await h.client.ebs.createSnapshot(snapParams)).toMatchObject({ flow: 'job', snapshotJobID: 'job-2' })
    const sent = h.sent('/v4/ebs_snapshot/create-ebs-snap')
    expect(sent).toHaveLength(2)
    expect((sent[0]!.json as { clientToken: string }).clientToken).toBe(
      (sent[1]!.json as { clientToken: string }).clientToken,
    )
    expect(sent[0]!.headers['ctyun-eop-request-id']).not.toBe(sent[1]!.headers['ctyun-eop-request-id'])
    expect(h.sent('/v4/ebs_snapshot/list-ebs-snap')).toHaveLength(1)
  })

  it('a throttled create is retried without a look (nothing happened), and a refusal is not retried', async () => {
    h.route({
      '/v4/ebs_snapshot/create-ebs-snap': (_r, n) =>
        n === 0
          ? { status: 429, body: 'slow down' }
          : n === 1
            ? ok({ snapshotJobID: 'job-3' })
            : fail('ebs.ebsInfo.statusNotAllowed'),
      '/v4/ebs_snapshot/list-ebs-snap': ok({ snapshotList: [] }),
    })
    expect(await h.client.ebs.createSnapshot(snapParams)).toMatchObject({ flow: 'job', snapshotJobID: 'job-3' })
    await expect(h.client.ebs.createSnapshot(snapParams)).rejects.toMatchObject({
      name: 'CtyunApiError',
      errorCode: 'ebs.ebsInfo.statusNotAllowed',
    })
    expect(h.sent('/v4/ebs_snapshot/create-ebs-snap')).toHaveLength(3)
    expect(h.sent('/v4/ebs_snapshot/list-ebs-snap')).toHaveLength(0)
  })

  it('looks once more when even the last attempt was lost, so a caller that gives up knows the snapshot it made', async () => {
    h.route({
      '/v4/ebs_snapshot/create-ebs-snap': { hangUp: true },
      '/v4/ebs_snapshot/list-ebs-snap': (_r, n) =>
        ok({
          snapshotList:
            n < 3
              ? []
              : [{ snapshotID: 's-late', snapshotName: 'nightly-01', diskID: 'd-1', snapshotStatus: 'creating' }],
        }),
    })
    expect(await h.client.ebs.createSnapshot(snapParams)).toMatchObject({ flow: 'adopted', snapshotID: 's-late' })
    // 1 + 3 retries (the default policy), each retry after a look that found nothing; the final look finds it.
    expect(h.sent('/v4/ebs_snapshot/create-ebs-snap')).toHaveLength(4)
    expect(h.sent('/v4/ebs_snapshot/list-ebs-snap')).toHaveLength(4)
  })

  it('waits out a disk busy with an earlier snapshot (any code), then creates: createSnapshotAndWait', async () => {
    h.route({
      '/v4/ebs_snapshot/create-ebs-snap': (_r, n) =>
        n === 0 ? fail('Made.Up.Busy', '磁盘忙') : ok({ snapshotJobID: 'job-4' }),
      '/v4/ebs_snapshot/list-ebs-snap': (r) => {
        if (r.query.get('snapshotID'))
          return ok({ snapshotList: [{ snapshotID: 's-4', diskID: 'd-1', snapshotStatus: 'available' }] })
        if (r.query.get('snapshotName')) return ok({ snapshotList: [] })
        // The disk's snapshots: the old one deleting for two looks, then gone.
        const looks = h
          .sent('/v4/ebs_snapshot/list-ebs-snap')
          .filter((x) => !x.query.get('snapshotName') && !x.query.get('snapshotID')).length
        return ok({
          snapshotList: looks <= 2 ? [{ snapshotID: 's-old', diskID: 'd-1', snapshotStatus: 'deleting' }] : [],
        })
      },
      '/v4/job/info': ok({ jobID: 'job-4', status: 1, ID: 's-4' }),
    })
    expect(await h.client.ebs.createSnapshotAndWait(snapParams, h.wait)).toMatchObject({
      snapshotID: 's-4',
      snapshotStatus: 'available',
    })
    expect(h.sent('/v4/ebs_snapshot/create-ebs-snap')).toHaveLength(2)
  })

  it('passes on a refusal when the disk stays without a snapshot at work (once more first: the refusal may have raced its end)', async () => {
    h.route({
      '/v4/ebs_snapshot/create-ebs-snap': fail('Openapi.Parameter.Error', '参数错误'),
      '/v4/ebs_snapshot/list-ebs-snap': ok({
        snapshotList: [{ snapshotID: 's-a', diskID: 'd-1', snapshotStatus: 'available' }],
      }),
    })
    await expect(h.client.ebs.createSnapshotAndWait(snapParams, h.wait)).rejects.toMatchObject({
      errorCode: 'Openapi.Parameter.Error',
    })
    expect(h.sent('/v4/ebs_snapshot/create-ebs-snap')).toHaveLength(2)
    expect(h.waitDelays).toEqual([])
  })

  it('lists the snapshots of exactly one name, for all disks at once (the API filter is fuzzy)', async () => {
    h.route({
      '/v4/ebs_snapshot/list-ebs-snap': ok({
        snapshotList: [
          { snapshotID: 's-1', snapshotName: 'nightly-1', diskID: 'd-1' },
          { snapshotID: 's-2', snapshotName: 'nightly-1', diskID: 'd-2' },
          { snapshotID: 's-9', snapshotName: 'nightly-10', diskID: 'd-1' },
          { snapshotID: 's-2', snapshotName: 'nightly-1', diskID: 'd-2' },
        ],
      }),
    })
    const named = await h.client.ebs.listSnapshotsNamed({ regionID: 'r1', snapshotName: 'nightly-1' })
    expect(named.map((s) => s.snapshotID)).toEqual(['s-1', 's-2'])
    expect(h.sent('/v4/ebs_snapshot/list-ebs-snap')[0]!.rawQuery).toBe(
      'maxResults=100&regionID=r1&snapshotName=nightly-1',
    )
  })
})
