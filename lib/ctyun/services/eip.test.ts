import { describe, expect, it } from 'vitest'
import { collect } from '../paginate'
import { fail, ok } from '../testing/test-server'
import { useClientHarness } from '../testing/use-client-harness'

const h = useClientHarness()

describe('eip service', () => {
  it('creates through the order flow and resolves the eipID from the order', async () => {
    h.route({
      '/v4/eip/create': (_r, n) =>
        n === 0
          ? { status: 503, body: 'busy' }
          : ok({ masterOrderID: 'mo-e', masterOrderNO: 'no-e', masterResourceStatus: 'starting' }),
      '/v4/ecs/order/query-uuid': (_r, n) =>
        ok(n === 0 ? { orderStatus: '14' } : { orderStatus: '3', instanceIDList: ['eip-abc'] }),
    })
    const order = await h.client.eip.createEip({
      regionID: 'r1',
      name: 'web-eip',
      cycleType: 'on_demand',
      bandwidth: 5,
    })
    const sent = h.sent('/v4/eip/create')
    expect(sent).toHaveLength(2)
    expect((sent[0]!.json as { clientToken: string }).clientToken).toBe(
      (sent[1]!.json as { clientToken: string }).clientToken,
    )
    expect(sent[1]!.json).toEqual({
      regionID: 'r1',
      name: 'web-eip',
      cycleType: 'on_demand',
      bandwidth: 5,
      clientToken: order.clientToken,
    })
    expect(await h.client.eip.waitForCreate(order, h.wait)).toEqual({ eipID: 'eip-abc' })
  })

  it('treats a create answered with order-in-progress as an order to poll', async () => {
    h.route({
      '/v4/eip/create': fail('Openapi.Order.Inprogress', '订单处理中', { returnObj: { masterOrderID: 'mo-p' } }),
    })
    expect(
      await h.client.eip.createEip({ regionID: 'r1', name: 'x1', cycleType: 'month', cycleCount: 1 }),
    ).toMatchObject({ masterOrderID: 'mo-p', inProgress: true })
  })

  it('fails the order wait at once on 施工失败', async () => {
    h.route({ '/v4/ecs/order/query-uuid': ok({ orderStatus: '5' }) })
    await expect(h.client.eip.waitForCreate({ masterOrderID: 'mo-f' }, h.wait)).rejects.toThrow(
      'order mo-f → resource ids failed with status "5 施工失败"',
    )
  })

  it('associates with a clientToken and waits until bound to that instance', async () => {
    h.route({
      '/v4/eip/associate': ok(),
      '/v4/eip/show': (_r, n) =>
        ok({
          ID: 'eip-1',
          status: n === 0 ? 'BANDING_OR_UNBANGDING' : 'ACTIVE',
          associationID: n === 0 ? null : 'vm-1',
        }),
    })
    await h.client.eip.associateEip({ regionID: 'r1', eipID: 'eip-1', associationID: 'vm-1', associationType: 1 })
    expect(h.sent('/v4/eip/associate')[0]!.json).toMatchObject({
      regionID: 'r1',
      eipID: 'eip-1',
      associationID: 'vm-1',
      associationType: 1,
      clientToken: expect.any(String),
    })
    expect(
      await h.client.eip.waitForEip({ regionID: 'r1', eipID: 'eip-1', target: 'bound', associationID: 'vm-1' }, h.wait),
    ).toMatchObject({ status: 'ACTIVE' })
    expect(h.sent('/v4/eip/show')[0]!.rawQuery).toBe('eipID=eip-1&regionID=r1')
  })

  it('a busy refusal with a code no source names re-reads the EIP and binds once it settles (§8.3)', async () => {
    h.route({
      '/v4/eip/associate': (_r, n) => (n === 0 ? fail('Vpc.Zzz.Q7', '忙') : ok()),
      '/v4/eip/show': (_r, n) => ok({ ID: 'eip-1', status: n < 2 ? 'UPDATING' : 'DOWN', associationID: '' }),
    })
    await h.client.eip.associateEip(
      { regionID: 'r1', eipID: 'eip-1', associationID: 'vm-1', associationType: 1, clientToken: 'tok' },
      h.wait,
    )
    const sent = h.sent('/v4/eip/associate')
    expect(sent).toHaveLength(2)
    expect(sent.map((r) => (r.json as { clientToken: string }).clientToken)).toEqual(['tok', 'tok'])
    expect(h.sent('/v4/eip/show')).toHaveLength(3)
  })

  it('an associate whose reply is lost re-reads the EIP: bound to the wanted instance is success, with nothing sent again', async () => {
    h.route({
      '/v4/eip/associate': { hangUp: true },
      '/v4/eip/show': ok({ ID: 'eip-1', status: 'ACTIVE', associationID: 'vm-1' }),
    })
    await h.client.eip.associateEip(
      { regionID: 'r1', eipID: 'eip-1', associationID: 'vm-1', associationType: 1 },
      h.wait,
    )
    expect(h.sent('/v4/eip/associate')).toHaveLength(1)
    // Still DOWN after the lost reply: sent again (the look found nothing done).
    h.route({
      '/v4/eip/associate': (_r, n) => (n === 0 ? { hangUp: true } : ok()),
      '/v4/eip/show': ok({ ID: 'eip-1', status: 'DOWN', associationID: '' }),
    })
    await h.client.eip.associateEip(
      { regionID: 'r1', eipID: 'eip-1', associationID: 'vm-1', associationType: 1 },
      h.wait,
    )
    expect(h.sent('/v4/eip/associate')).toHaveLength(3)
  })

  it('fails clearly when the EIP is bound elsewhere or in a state that cannot bind, and passes on a refusal its state does not explain', async () => {
    h.route({
      '/v4/eip/associate': fail('Openapi.Eip.AlreadyBound'),
      '/v4/eip/show': ok({ ID: 'eip-1', status: 'ACTIVE', associationID: 'vm-9' }),
    })
    await expect(
      h.client.eip.associateEip({ regionID: 'r1', eipID: 'eip-1', associationID: 'vm-1', associationType: 1 }, h.wait),
    ).rejects.toThrow(
      'EIP eip-1 → bound failed with status "ACTIVE": it is bound to vm-9; unbind it first (CTyun answered: CTyun Openapi.Eip.AlreadyBound',
    )
    h.route({ '/v4/eip/associate': fail('Whatever'), '/v4/eip/show': ok({ ID: 'eip-1', status: 'FREEZING' }) })
    await expect(
      h.client.eip.associateEip({ regionID: 'r1', eipID: 'eip-1', associationID: 'vm-1', associationType: 1 }, h.wait),
    ).rejects.toMatchObject({ name: 'CtyunResourceFailedError', status: 'FREEZING' })
    h.route({ '/v4/eip/associate': fail('Ecs.Instance.NotFound'), '/v4/eip/show': ok({ ID: 'eip-1', status: 'DOWN' }) })
    await expect(
      h.client.eip.associateEip({ regionID: 'r1', eipID: 'eip-1', associationID: 'vm-x', associationType: 1 }, h.wait),
    ).rejects.toMatchObject({ name: 'CtyunApiError', errorCode: 'Ecs.Instance.NotFound' })
  })

  it('a disassociate refused because the EIP is already unbound is success', async () => {
    h.route({
      '/v4/eip/disassociate': fail('Some.Code'),
      '/v4/eip/show': ok({ ID: 'eip-1', status: 'DOWN', associationID: '' }),
    })
    await h.client.eip.disassociateEip({ regionID: 'r1', eipID: 'eip-1' }, h.wait)
    expect(h.sent('/v4/eip/disassociate')).toHaveLength(1)
  })

  it('reads the delete order from a returnObj object (SDK) or an array (TF) (§8.6)', async () => {
    h.route({ '/v4/eip/delete': ok({ masterOrderID: 'mo-o', masterOrderNO: 'no-o', regionID: 'r1' }) })
    expect(await h.client.eip.deleteEip({ regionID: 'r1', eipID: 'eip-1' })).toEqual({
      masterOrderID: 'mo-o',
      masterOrderNO: 'no-o',
    })
    h.route({ '/v4/eip/delete': ok([{ masterOrderID: 'mo-a', masterOrderNO: 'no-a', regionID: 'r1' }]) })
    expect(await h.client.eip.deleteEip({ regionID: 'r1', eipID: 'eip-1' })).toEqual({
      masterOrderID: 'mo-a',
      masterOrderNO: 'no-a',
    })
    h.route({ '/v4/eip/delete': ok([]) })
    expect(await h.client.eip.deleteEip({ regionID: 'r1', eipID: 'eip-1' })).toEqual({})
  })

  it('disassociates and waits until unbound; deletes as a refund order', async () => {
    h.route({
      '/v4/eip/disassociate': ok(),
      '/v4/eip/show': ok({ ID: 'eip-1', status: 'DOWN' }),
      '/v4/eip/delete': ok({ masterOrderID: 'mo-r', masterOrderNO: 'no-r', regionID: 'r1' }),
    })
    await h.client.eip.disassociateEip({ regionID: 'r1', eipID: 'eip-1' })
    expect(await h.client.eip.probeEip({ regionID: 'r1', eipID: 'eip-1', target: 'unbound' })).toMatchObject({
      state: 'done',
      status: 'DOWN',
    })
    expect(await h.client.eip.deleteEip({ regionID: 'r1', eipID: 'eip-1' })).toEqual({
      masterOrderID: 'mo-r',
      masterOrderNO: 'no-r',
    })
    expect(h.sent('/v4/eip/delete')[0]!.json).toMatchObject({
      regionID: 'r1',
      eipID: 'eip-1',
      clientToken: expect.any(String),
    })
  })

  it('lists with POST new-list and pageNo in the body', async () => {
    h.route({
      '/v4/eip/new-list': (r) =>
        ok({ eips: (r.json as { pageNo: number }).pageNo === 1 ? [{ ID: 'a' }] : [], totalCount: 1 }),
    })
    expect((await collect(h.client.eip.listEips({ regionID: 'r1', pageSize: 1 }))).map((e) => e.ID)).toEqual(['a'])
    expect(h.sent('/v4/eip/new-list')[0]!.json).toEqual({ regionID: 'r1', pageNo: 1, pageSize: 1 })
  })
})
