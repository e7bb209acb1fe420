/**
 * EIP 弹性IP (ctvpc-global): create through the order flow, show, list, associate, disassociate, delete
 * (shared/ctyun-api.md §3.6; delete per the shared decision: ctyun-sdk-go ctvpc eip_delete.go, doc 10026753/10040760).
 * Status: ACTIVE (bound), DOWN (unbound), UPDATING / BANDING_OR_UNBANGDING [sic] (changing), ERROR, DELETING, DELETED,
 * EXPIRED, FREEZING (TF internal/business/eip_const.go).
 */
import type { CtyunCaller } from '../caller'
import type { ProbeResult, WaitOptions } from '../wait'
import { waitFor } from '../wait'
import { countOf, paginateByPageNo } from '../paginate'
import { CtyunResourceFailedError } from '../errors'
import type { createOrdersService } from './orders'
import { defined, requireParams } from './require-params'

export interface Eip {
  ID: string
  name?: string
  eipAddress?: string
  associationID?: string | null
  associationType?: string | null
  bandwidth?: number
  status?: string
  [field: string]: unknown
}

export interface CreateEipParams {
  regionID: string
  name: string
  cycleType: 'month' | 'year' | 'on_demand'
  /** month 1-11, year 1-3; omit for on_demand. */
  cycleCount?: number
  bandwidth?: number
  bandwidthID?: string
  demandBillingType?: 'bandwidth' | 'upflowc'
  lineType?: string
  projectID?: string
  clientToken?: string
}

export interface EipOrder {
  masterOrderID: string
  masterOrderNO?: string
  /** Present when CTyun already knows it; otherwise the order query yields it. */
  eipID?: string
  clientToken?: string
  inProgress: boolean
}

/** 1 ECS VM, 2 VIP, 3 bare metal (TF ctvpc associate). */
export type EipAssociationType = 1 | 2 | 3

const CHANGING = ['UPDATING', 'BANDING_OR_UNBANGDING', 'BINDING', 'UNBINDING']
const FAILED = ['ERROR', 'DELETING', 'DELETED', 'EXPIRED', 'FREEZING']

export function createEipService(caller: CtyunCaller, deps: { orders: ReturnType<typeof createOrdersService> }) {
  async function getEip(params: { regionID: string; eipID: string }): Promise<Eip> {
    requireParams('eip.getEip', params, ['regionID', 'eipID'])
    return caller.request<Eip>({ service: 'vpc', method: 'GET', path: '/v4/eip/show', query: { regionID: params.regionID, eipID: params.eipID } })
  }

  /** One poll towards bound (to `associationID` when given) or unbound. */
  async function probeEip(params: { regionID: string; eipID: string; target: 'bound' | 'unbound'; associationID?: string }): Promise<ProbeResult<Eip>> {
    const eip = await getEip(params)
    const status = String(eip.status ?? 'unknown').toUpperCase()
    if (FAILED.includes(status)) return { state: 'failed', status, value: eip }
    if (params.target === 'bound' && status === 'ACTIVE') {
      if (!params.associationID || eip.associationID === params.associationID) return { state: 'done', status, value: eip }
      return { state: 'failed', status: `${status} (bound to another resource)`, value: eip }
    }
    if (params.target === 'unbound' && status === 'DOWN') return { state: 'done', status, value: eip }
    if (CHANGING.includes(status) || status === 'ACTIVE' || status === 'DOWN') return { state: 'pending', status, value: eip }
    return { state: 'failed', status, value: eip }
  }

  return {
    /** POST `/v4/eip/create`: an order (same clientToken on every retry). Follow it with `waitForCreate`. */
    async createEip(params: CreateEipParams): Promise<EipOrder> {
      requireParams('eip.createEip', params, ['regionID', 'name', 'cycleType'])
      const { clientToken, ...body } = params
      const result = await caller.call<Record<string, unknown>>({ service: 'vpc', method: 'POST', path: '/v4/eip/create', body: defined(body), clientToken: clientToken ?? true })
      if (result.kind === 'order-in-progress') return { masterOrderID: result.masterOrderID, masterOrderNO: result.masterOrderNO, clientToken: result.clientToken, inProgress: true }
      const reply = result.returnObj ?? {}
      if (typeof reply.masterOrderID !== 'string') throw new CtyunResourceFailedError({ resource: `EIP ${params.name}`, status: String(reply.masterResourceStatus ?? 'unknown'), reason: 'create returned no masterOrderID' })
      return {
        masterOrderID: reply.masterOrderID,
        masterOrderNO: reply.masterOrderNO as string | undefined,
        eipID: typeof reply.eipID === 'string' && reply.eipID ? reply.eipID : undefined,
        clientToken: result.clientToken,
        inProgress: false,
      }
    },
    /** Order → eipID (`instanceIDList[0]`, TF resource_ctyun_eip.go). */
    async waitForCreate(order: Pick<EipOrder, 'masterOrderID'>, options?: WaitOptions): Promise<{ eipID: string }> {
      const done = await deps.orders.waitForOrder({ masterOrderID: order.masterOrderID }, options)
      return { eipID: done.resourceIDs[0]! }
    },
    getEip,
    /** POST `/v4/eip/new-list` (a read served over POST, so it retries), every page (pageSize ≤ 50). */
    listEips(params: { regionID: string; ids?: string[]; status?: string; ip?: string; projectID?: string; pageSize?: number }) {
      requireParams('eip.listEips', params, ['regionID'])
      const { pageSize = 50, ...filters } = params
      return paginateByPageNo<Eip>(async (pageNo, size) => {
        const reply = await caller.request<Record<string, unknown>>({ service: 'vpc', method: 'POST', path: '/v4/eip/new-list', body: defined({ ...filters, pageNo, pageSize: size }), idempotent: true })
        return { items: (reply?.eips ?? []) as Eip[], totalCount: countOf(reply?.totalCount), totalPage: countOf(reply?.totalPage) }
      }, { pageSize })
    },
    /** POST `/v4/eip/associate`. TF treats it as synchronous; `waitForEip(…, 'bound')` confirms. */
    async associateEip(params: { regionID: string; eipID: string; associationID: string; associationType: EipAssociationType; projectID?: string; clientToken?: string }): Promise<void> {
      requireParams('eip.associateEip', params, ['regionID', 'eipID', 'associationID', 'associationType'])
      const { clientToken, ...body } = params
      await caller.request({ service: 'vpc', method: 'POST', path: '/v4/eip/associate', body: defined(body), clientToken: clientToken ?? true })
    },
    /** POST `/v4/eip/disassociate`. */
    async disassociateEip(params: { regionID: string; eipID: string; projectID?: string; clientToken?: string }): Promise<void> {
      requireParams('eip.disassociateEip', params, ['regionID', 'eipID'])
      const { clientToken, ...body } = params
      await caller.request({ service: 'vpc', method: 'POST', path: '/v4/eip/disassociate', body: defined(body), clientToken: clientToken ?? true })
    },
    /** POST `/v4/eip/delete`: a refund order; the EIP must be unbound (shared decision). */
    async deleteEip(params: { regionID: string; eipID: string; clientToken?: string }): Promise<{ masterOrderID?: string; masterOrderNO?: string }> {
      requireParams('eip.deleteEip', params, ['regionID', 'eipID'])
      const { clientToken, ...body } = params
      const result = await caller.call<Record<string, unknown>>({ service: 'vpc', method: 'POST', path: '/v4/eip/delete', body: body, clientToken: clientToken ?? true })
      if (result.kind === 'order-in-progress') return { masterOrderID: result.masterOrderID, masterOrderNO: result.masterOrderNO }
      return { masterOrderID: result.returnObj?.masterOrderID as string | undefined, masterOrderNO: result.returnObj?.masterOrderNO as string | undefined }
    },
    probeEip,
    waitForEip: (params: { regionID: string; eipID: string; target: 'bound' | 'unbound'; associationID?: string }, options?: WaitOptions) =>
      waitFor(() => probeEip(params), `EIP ${params.eipID} → ${params.target}`, { initialDelayMs: 1_000, maxDelayMs: 5_000, ...options }),
  }
}
