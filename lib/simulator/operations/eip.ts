/** EIP 弹性IP — ctvpc-global (shared/ctyun-api.md §3.6; delete from the shared decisions, SDK ctvpc eip_delete.go). */
import { SimApiError, success } from '../envelope'
import { ERROR } from '../error-codes'
import type { SimOperation } from '../operation'
import { requireInRegion } from '../lookup'
import { paginate } from '../params'
import type { OperationInput } from '../runtime'
import { regionOf, startOrder } from '../runtime'
import type { EipRecord, RegionRecord } from '../state'
import { eipStatusAt, eipView } from '../views'

const ASSOCIATION_TYPE: Record<string, string> = { '1': 'INSTANCE', '2': 'VIP', '3': 'PHYSICALINSTANCE' }

/** The region (regionID) and the EIP (eipID) a request names. */
function requestedEip(input: OperationInput): { region: RegionRecord; eip: EipRecord } {
  const region = regionOf(input.runtime, input.params)
  return {
    region,
    eip: requireInRegion(
      input.runtime.state.eips,
      input.params.required('eipID'),
      region.regionID,
      ERROR.eipNotFound,
      'EIP',
    ),
  }
}

function listEips(input: OperationInput) {
  const { params, runtime, now } = input
  const region = regionOf(runtime, params)
  const ids = params.list('ids')
  const status = params.optional('status')
  const ip = params.optional('ip')
  const matches = [...runtime.state.eips.values()]
    .filter((e) => !e.deleted && e.regionID === region.regionID)
    .map((e) => eipView(e, runtime.state, now))
    .filter((e) => (!ids || ids.includes(e.ID)) && (!status || e.status === status) && (!ip || e.eipAddress === ip))
  return paginate(matches, params, { defaultSize: 10, maxSize: 50 })
}

function startBinding(
  input: OperationInput,
  eip: EipRecord,
  associationID: string | null,
  associationType: string | null,
): void {
  const failed = input.runtime.faults.lifecycleFails(input.operation)
  eip.binding = {
    associationID,
    associationType,
    lifecycle: {
      startedAt: input.now,
      phases: [{ status: 'BANDING_OR_UNBANGDING', ms: input.runtime.durations.eipBindingMs }],
      final: failed ? 'ERROR' : associationID ? 'ACTIVE' : 'DOWN',
    },
  }
}

export const eipOperations: SimOperation[] = [
  {
    name: 'eip.create',
    service: 'ctvpc',
    methods: ['POST'],
    path: '/v4/eip/create',
    // An order: the clientToken is honoured (§3.6, §8.2).
    idempotent: 'orders',
    handle(input) {
      const { params, runtime, now } = input
      const region = regionOf(runtime, params)
      const cycleType = params.oneOf('cycleType', ['month', 'year', 'on_demand'] as const)
      if (cycleType === 'month') params.int('cycleCount', NaN, { min: 1, max: 11 })
      if (cycleType === 'year') params.int('cycleCount', NaN, { min: 1, max: 3 })
      if (cycleType !== 'on_demand' && !params.has('cycleCount'))
        throw new SimApiError(ERROR.parameter, `cycleCount is required when cycleType is ${cycleType}`)
      const name = params.required('name')
      if (name.length < 2 || name.length > 32) throw new SimApiError(ERROR.parameter, 'name must be 2-32 characters')
      const bandwidth = params.int('bandwidth', 1, { min: 1, max: 2000 })
      const eipID = `eip-${runtime.ids.hex(10)}`
      const order = startOrder(input, region.regionID, 'EIP', [eipID])
      const n = runtime.state.eips.size + 30
      runtime.state.eips.set(eipID, {
        eipID,
        regionID: region.regionID,
        name,
        eipAddress: `36.111.${10 + Math.floor(n / 250)}.${(n % 250) + 1}`,
        bandwidth,
        createdAt: now,
        orderID: order.masterOrderID,
        binding: {
          associationID: null,
          associationType: null,
          lifecycle: { startedAt: now, phases: [], final: order.failed ? 'ERROR' : 'DOWN' },
        },
      })
      return success({
        masterOrderID: order.masterOrderID,
        masterOrderNO: order.masterOrderNO,
        masterResourceID: eipID,
        masterResourceStatus: 'starting',
        regionID: region.regionID,
        eipID,
      })
    },
  },
  {
    name: 'eip.show',
    service: 'ctvpc',
    methods: ['GET'],
    path: '/v4/eip/show',
    handle(input) {
      return success(eipView(requestedEip(input).eip, input.runtime.state, input.now))
    },
  },
  {
    name: 'eip.list',
    service: 'ctvpc',
    methods: ['POST'],
    path: '/v4/eip/new-list',
    handle(input) {
      const { page, totalCount, currentCount, totalPage } = listEips(input)
      return success({ eips: page, totalCount, currentCount, totalPage })
    },
  },
  {
    name: 'eip.listLegacy',
    service: 'ctvpc',
    methods: ['POST'],
    path: '/v4/eip/list',
    handle(input) {
      const { page, totalCount, currentCount, totalPage } = listEips(input)
      // The legacy list puts the totals beside returnObj, not inside it (§2.1).
      const reply = success({ eips: page })
      Object.assign(reply.body, { totalCount, currentCount, totalPage })
      return reply
    },
  },
  {
    name: 'eip.associate',
    service: 'ctvpc',
    methods: ['POST'],
    path: '/v4/eip/associate',
    // No order, so the clientToken promises nothing (§8.2): a replay acts again, and fails or succeeds as the EIP's
    // state then dictates (already bound, busy).
    handle(input) {
      const { params, runtime, now } = input
      const { region, eip } = requestedEip(input)
      const associationID = params.required('associationID')
      const type = params.oneOf('associationType', ['1', '2', '3'] as const)
      if (type === '1')
        requireInRegion(runtime.state.instances, associationID, region.regionID, ERROR.instanceNotFound, 'instance')
      const status = eipStatusAt(eip, runtime.state, now)
      if (status === 'ACTIVE')
        throw new SimApiError(
          ERROR.eipAlreadyBound,
          `EIP ${eip.eipID} is already bound to ${eip.binding.associationID}`,
        )
      if (status !== 'DOWN')
        throw new SimApiError(ERROR.eipBusy, `EIP ${eip.eipID} is ${status}; it can be bound only when DOWN`)
      startBinding(input, eip, associationID, ASSOCIATION_TYPE[type]!)
      return success()
    },
  },
  {
    name: 'eip.disassociate',
    service: 'ctvpc',
    methods: ['POST'],
    path: '/v4/eip/disassociate',
    // No order either (§8.2): a replay acts again (not bound, busy).
    handle(input) {
      const { runtime, now } = input
      const { eip } = requestedEip(input)
      const status = eipStatusAt(eip, runtime.state, now)
      if (status === 'DOWN') throw new SimApiError(ERROR.eipNotBound, `EIP ${eip.eipID} is not bound`)
      if (status !== 'ACTIVE')
        throw new SimApiError(ERROR.eipBusy, `EIP ${eip.eipID} is ${status}; it can be unbound only when ACTIVE`)
      startBinding(input, eip, null, null)
      return success()
    },
  },
  {
    name: 'eip.delete',
    service: 'ctvpc',
    methods: ['POST'],
    path: '/v4/eip/delete',
    // A refund order: the clientToken is honoured (§8.2).
    idempotent: 'orders',
    handle(input) {
      const { runtime, now } = input
      const { region, eip } = requestedEip(input)
      const status = eipStatusAt(eip, runtime.state, now)
      if (status === 'ACTIVE' || status === 'BANDING_OR_UNBANGDING') {
        throw new SimApiError(
          ERROR.eipInUse,
          `EIP ${eip.eipID} is ${status === 'ACTIVE' ? 'bound' : 'changing binding'}; unbind it before deleting`,
        )
      }
      if (status === 'UPDATING') throw new SimApiError(ERROR.eipBusy, `EIP ${eip.eipID} is still being created`)
      eip.deleted = true
      const order = startOrder(input, region.regionID, 'EIP_REFUND', [eip.eipID])
      return success({
        masterOrderID: order.masterOrderID,
        masterOrderNO: order.masterOrderNO,
        regionID: region.regionID,
      })
    },
  },
]
