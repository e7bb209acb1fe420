// ecs, cda, regions, orders, jobs: what each sends and how each reads both reply shapes.
import { describe, expect, it } from 'vitest'
import { collect } from '../paginate'
import { ok } from '../testing/test-server'
import { useClientHarness } from '../testing/use-client-harness'
import { jobStateOf } from './jobs'

const h = useClientHarness()

describe('ecs', () => {
  it('lists instances over POST (a read, retried) and shows one', async () => {
    h.route({
      '/v4/ecs/list-instances': (_r, n) =>
        n === 0 ? { status: 502, body: 'x' } : ok({ results: [{ instanceID: 'vm-1' }], totalCount: 1, totalPage: 1 }),
      '/v4/ecs/instance-details': ok({ instanceID: 'vm-1', instanceStatus: 'running' }),
    })
    expect(
      (await collect(h.client.ecs.listInstances({ regionID: 'r1', state: 'active' }))).map((i) => i.instanceID),
    ).toEqual(['vm-1'])
    expect(h.sent('/v4/ecs/list-instances')).toHaveLength(2)
    expect(h.sent('/v4/ecs/list-instances')[1]!.json).toEqual({
      regionID: 'r1',
      state: 'active',
      pageNo: 1,
      pageSize: 50,
    })
    expect(await h.client.ecs.getInstance({ regionID: 'r1', instanceID: 'vm-1' })).toMatchObject({
      instanceStatus: 'running',
    })
  })
})

describe('cda', () => {
  it('lists gateways with GET + query (doc) by default and reads lineGatewayList', async () => {
    h.route({ '/v4/cda/gateway/list': ok({ lineGatewayList: [{ vrfName: 'gw-1' }], totalCount: 1 }) })
    expect(
      (await collect(h.client.cda.listGateways({ account: 'ops@example.com', regionID: 'r1' }))).map((g) => g.vrfName),
    ).toEqual(['gw-1'])
    expect(h.sent('/v4/cda/gateway/list')[0]).toMatchObject({
      method: 'GET',
      rawQuery: 'account=ops%40example.com&pageNo=1&pageSize=50&regionID=r1',
    })
  })

  it('can send the seed page style: POST with page and pageNo', async () => {
    h.route({ '/v4/cda/gateway/list': ok({ lineGatewayList: [], totalCount: 0 }) })
    await collect(h.client.cda.listGateways({ account: 'a@b.c', regionID: 'r1', style: 'post', pageSize: 10 }))
    expect(h.sent('/v4/cda/gateway/list')[0]).toMatchObject({
      method: 'POST',
      json: { account: 'a@b.c', regionID: 'r1', page: 1, pageNo: 1, pageSize: 10 },
    })
  })

  it('refuses a listing without regionID, naming the field, before sending (required in practice, §8.5)', async () => {
    await expect(
      (async () => collect(h.client.cda.listGateways({ account: 'a@b.c' } as never)))(),
    ).rejects.toMatchObject({ name: 'CtyunInputError', field: 'regionID' })
    expect(h.server.requests).toHaveLength(0)
  })

  it("reads TF's flat reply: one gateway's fields at the top level of the envelope (§8.5)", async () => {
    h.route({
      '/v4/cda/gateway/list': {
        body: {
          statusCode: 800,
          message: 'success',
          description: '成功',
          errorCode: '',
          count: 1,
          fuid: 'gw-9',
          vrfName: 'gw-9',
          accessPoint: '上海',
          account: 'a@b.c',
        },
      },
    })
    const gateways = await collect(h.client.cda.listGateways({ account: 'a@b.c', regionID: 'r1' }))
    expect(gateways).toEqual([{ fuid: 'gw-9', vrfName: 'gw-9', accessPoint: '上海', account: 'a@b.c' }])
    h.route({ '/v4/cda/gateway/list': ok({ fuid: 'gw-8', accessPoint: '北京' }) })
    expect(
      (await collect(h.client.cda.listGateways({ account: 'a@b.c', regionID: 'r1' }))).map((g) => g.vrfName),
    ).toEqual(['gw-8'])
  })
})

describe('regions', () => {
  it('lists regions', async () => {
    h.route({ '/v4/region/list-regions': ok({ regionList: [{ regionID: 'r1', zoneList: [] }] }) })
    expect(await h.client.regions.listRegions()).toEqual([{ regionID: 'r1', zoneList: [] }])
    expect(h.sent('/v4/region/list-regions')[0]!.rawQuery).toBe('')
  })
})

describe('orders', () => {
  it('reads both order shapes (instanceIDList and resourceUuid)', async () => {
    h.route({
      '/v4/ecs/order/query-uuid': (_r, n) =>
        ok(
          n === 0
            ? { orderStatus: '3', instanceIDList: ['a'] }
            : { orderStatus: 3, resourceType: 'VM', resourceUuid: ['b'] },
        ),
    })
    expect(await h.client.orders.queryOrder({ masterOrderID: 'm' })).toMatchObject({
      orderStatus: '3',
      resourceIDs: ['a'],
    })
    expect(await h.client.orders.queryOrder({ masterOrderID: 'm' })).toMatchObject({
      orderStatus: '3',
      resourceIDs: ['b'],
      resourceType: 'VM',
    })
  })

  it('keeps waiting while 完成 has no ids yet', async () => {
    h.route({ '/v4/ecs/order/query-uuid': ok({ orderStatus: '3', instanceIDList: [] }) })
    expect(await h.client.orders.probeOrder({ masterOrderID: 'm' })).toMatchObject({
      state: 'pending',
      status: '3 完成 (no resource ids yet)',
      doneWithoutIds: 1,
    })
  })

  it('polls an order that says 完成 without ids 3 more times, then fails with a reason (TF OrderLoop, §8.9)', async () => {
    h.route({ '/v4/ecs/order/query-uuid': ok({ orderStatus: '3', instanceIDList: [] }) })
    const error = await h.client.orders.waitForOrder({ masterOrderID: 'm-9' }, h.wait).catch((e: unknown) => e)
    expect(error).toMatchObject({
      name: 'CtyunResourceFailedError',
      message: expect.stringMatching(/m-9 reported 3 完成 with no resource ids on 4 polls/),
    })
    expect(h.sent('/v4/ecs/order/query-uuid')).toHaveLength(4)
  })

  it('takes the ids when they arrive on the last of those polls', async () => {
    h.route({ '/v4/ecs/order/query-uuid': (_r, n) => ok({ orderStatus: '3', instanceIDList: n < 3 ? [] : ['res-1'] }) })
    expect(await h.client.orders.waitForOrder({ masterOrderID: 'm' }, h.wait)).toMatchObject({ resourceIDs: ['res-1'] })
  })
})

describe('jobs', () => {
  it.each([
    [{ status: 0 }, 'pending'],
    [{ status: '1' }, 'done'],
    [{ status: 2 }, 'failed'],
    [{ jobStatus: 'executing' }, 'pending'],
    [{ jobStatus: 'running' }, 'pending'],
    [{ jobStatus: 'success' }, 'done'],
    [{ jobStatus: 'fail' }, 'failed'],
    [{ status: 7 }, 'failed'],
    [{}, 'failed'],
  ])('reads job status %j as %s', (raw, state) => {
    expect(jobStateOf(raw).state).toBe(state)
  })

  it('returns the resource id from ID or resourceId', async () => {
    h.route({
      '/v4/job/info': ok({ jobID: 'j', status: 1, resourceId: 'res-1' }),
      '/v4/ecs/query-async-result': ok({ jobStatus: 1 }),
    })
    expect(await h.client.jobs.probeJob({ regionID: 'r1', jobID: 'j' })).toMatchObject({
      state: 'done',
      value: { resourceID: 'res-1' },
    })
    expect(await h.client.jobs.asyncResult({ regionID: 'r1', jobID: 'j' })).toMatchObject({ state: 'done' })
  })
})
