/**
 * EIP 弹性IP (ctvpc-global): create through the order flow, show, list, associate, disassociate, delete
 * (shared/ctyun-api.md §3.6; delete per the shared decision: ctyun-sdk-go ctvpc eip_delete.go, doc 10026753/10040760).
 * Status: ACTIVE (bound), DOWN (unbound), UPDATING / BANDING_OR_UNBANGDING [sic] (changing), ERROR, DELETING, DELETED,
 * EXPIRED, FREEZING (TF internal/business/eip_const.go).
 *
 * Associate and disassociate are no orders, so their clientToken promises nothing (§8.2): they are never re-sent
 * blind. After a refusal (whatever its code, §8.3) or an attempt whose outcome is unknown, the EIP is re-read and its
 * status and binding decide: already so → done; changing → wait and try again; anything else → a clear error.
 */
import type { CtyunCaller } from '../caller'
import type { ProbeResult, WaitOptions } from '../wait'
import { waitFor } from '../wait'
import { countOf, paginateByPageNo } from '../paginate'
import { randomUuid } from '../eop-signer'
import { CtyunError, CtyunResourceFailedError } from '../errors'
import { isOutcomeUnknown, mayBeStateRefusal } from '../call-outcome'
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

export type EipBindTarget = 'bound' | 'unbound'

/** What an EIP's state says about binding it (to `associationID`) or unbinding it. */
export type BindingVerdict =
  | { verdict: 'done'; status: string }
  | { verdict: 'send'; status: string }
  | { verdict: 'wait'; status: string }
  | { verdict: 'fail'; status: string; reason: string }

/**
 * Decides from the EIP's status and the instance it is bound to: already as wanted → `done`; settled the other way →
 * `send` (the call can go); changing (UPDATING, BANDING_OR_UNBANGDING) → `wait`; bound to another resource, failed,
 * going away or an unknown status → `fail` with the reason.
 * @example bindingVerdict({ ID: 'eip-1', status: 'ACTIVE', associationID: 'vm-1' }, 'bound', 'vm-1') // { verdict: 'done', status: 'ACTIVE' }
 */
export function bindingVerdict(eip: Eip, target: EipBindTarget, associationID?: string): BindingVerdict {
  const status = String(eip.status ?? 'unknown').toUpperCase()
  if (CHANGING.includes(status)) return { verdict: 'wait', status }
  if (status === 'ACTIVE') {
    if (target === 'unbound') return { verdict: 'send', status }
    if (!associationID || eip.associationID === associationID) return { verdict: 'done', status }
    return {
      verdict: 'fail',
      status,
      reason: `it is bound to ${eip.associationID || 'another resource'}; unbind it first`,
    }
  }
  if (status === 'DOWN') return target === 'unbound' ? { verdict: 'done', status } : { verdict: 'send', status }
  return {
    verdict: 'fail',
    status,
    reason: FAILED.includes(status)
      ? `an EIP in status ${status} cannot be ${target === 'bound' ? 'bound' : 'unbound'}`
      : `status ${status} is not one this client knows`,
  }
}

type BindParams = {
  regionID: string
  eipID: string
  associationID?: string
  associationType?: EipAssociationType
  projectID?: string
  clientToken?: string
}

export interface TryBindingOptions {
  /** Re-read the EIP before sending, and send only if its state allows (a try after waiting for it to settle). */
  lookFirst?: boolean
}

/** How long `associateEip`/`disassociateEip` wait for a changing EIP to settle before giving up (default). */
const BUSY_TIMEOUT_MS = 5 * 60_000

/** What `/v4/eip/associate` takes: the EIP and what to bind it to. */
export interface EipAssociateParams {
  regionID: string
  eipID: string
  associationID: string
  associationType: EipAssociationType
  projectID?: string
  clientToken?: string
}

export function createEipService(caller: CtyunCaller, deps: { orders: ReturnType<typeof createOrdersService> }) {
  async function getEip(params: { regionID: string; eipID: string }): Promise<Eip> {
    requireParams('eip.getEip', params, ['regionID', 'eipID'])
    return caller.request<Eip>({
      service: 'vpc',
      method: 'GET',
      path: '/v4/eip/show',
      query: { regionID: params.regionID, eipID: params.eipID },
    })
  }

  /** One poll towards bound (to `associationID` when given) or unbound. */
  async function probeEip(params: {
    regionID: string
    eipID: string
    target: 'bound' | 'unbound'
    associationID?: string
  }): Promise<ProbeResult<Eip>> {
    const eip = await getEip(params)
    const status = String(eip.status ?? 'unknown').toUpperCase()
    if (FAILED.includes(status)) return { state: 'failed', status, value: eip }
    if (params.target === 'bound' && status === 'ACTIVE') {
      if (!params.associationID || eip.associationID === params.associationID)
        return { state: 'done', status, value: eip }
      return { state: 'failed', status: `${status} (bound to another resource)`, value: eip }
    }
    if (params.target === 'unbound' && status === 'DOWN') return { state: 'done', status, value: eip }
    if (CHANGING.includes(status) || status === 'ACTIVE' || status === 'DOWN')
      return { state: 'pending', status, value: eip }
    return { state: 'failed', status, value: eip }
  }

  /**
   * One try at binding (`bound`, to `associationID`) or unbinding. Sends the call; after a refusal or an unknown
   * outcome, decides from the EIP re-read (`bindingVerdict`). `done`: sent, or already so; `pending`: the EIP is
   * changing, try again later. Throws when its state says it cannot be done, or when CTyun refuses an EIP whose state
   * allows the call (then the refusal is about something else, e.g. the instance, and is passed on as it came).
   */
  async function tryBinding(
    target: EipBindTarget,
    params: BindParams,
    { lookFirst = false }: TryBindingOptions = {},
  ): Promise<ProbeResult<Eip>> {
    const { clientToken, ...body } = params
    const path = target === 'bound' ? '/v4/eip/associate' : '/v4/eip/disassociate'
    const read = async () => {
      const eip = await getEip(params)
      return { eip, ...bindingVerdict(eip, target, params.associationID) }
    }
    if (lookFirst) {
      // A try after waiting for a changing EIP: its state first, and the call only if the state allows it.
      const seen = await read()
      if (seen.verdict === 'done') return { state: 'done', status: seen.status, value: seen.eip }
      if (seen.verdict === 'wait') return { state: 'pending', status: seen.status, value: seen.eip }
      if (seen.verdict === 'fail')
        throw new CtyunResourceFailedError({
          resource: `EIP ${params.eipID} → ${target}`,
          status: seen.status,
          reason: seen.reason,
        })
    }
    // A refusal while the state, read just after, allows the call may have raced the EIP settling: one more send,
    // after that read. Refused again with the state still allowing it, the refusal is about something else.
    for (let sends = 1; ; sends++) {
      let stoppedBy: Awaited<ReturnType<typeof read>> | undefined
      try {
        await caller.request({
          service: 'vpc',
          method: 'POST',
          path,
          body: defined(body),
          clientToken: clientToken ?? true,
          // Not an order, so no retry is sent blind (§8.2): only when the EIP is still as it was before the call.
          lookBeforeRetry: async () => {
            const seen = await read()
            if (seen.verdict === 'send') return true
            stoppedBy = seen
            return false
          },
        })
        return { state: 'done', status: 'requested' }
      } catch (error) {
        if (!(error instanceof CtyunError) || (!stoppedBy && !mayBeStateRefusal(error) && !isOutcomeUnknown(error)))
          throw error
        const seen = stoppedBy ?? (await read())
        if (seen.verdict === 'done') return { state: 'done', status: seen.status, value: seen.eip }
        if (seen.verdict === 'wait') return { state: 'pending', status: seen.status, value: seen.eip }
        if (seen.verdict === 'fail') {
          throw new CtyunResourceFailedError({
            resource: `EIP ${params.eipID} → ${target}`,
            status: seen.status,
            reason: `${seen.reason} (CTyun answered: ${error.message})`,
          })
        }
        if (sends >= 2 || isOutcomeUnknown(error)) throw error
      }
    }
  }

  /**
   * Tries until done, waiting while the EIP is changing (`options.timeoutMs`, default 5 min): the first try sends, the
   * later ones re-read the EIP first. One clientToken throughout.
   */
  async function bindWaiting(target: EipBindTarget, params: BindParams, options: WaitOptions = {}): Promise<void> {
    const request = { ...params, clientToken: params.clientToken ?? randomUuid() }
    let tries = 0
    await waitFor(
      () => tryBinding(target, request, { lookFirst: tries++ > 0 }),
      `EIP ${params.eipID} → ${target === 'bound' ? 'associate' : 'disassociate'}`,
      {
        timeoutMs: BUSY_TIMEOUT_MS,
        initialDelayMs: 1_000,
        maxDelayMs: 5_000,
        ...options,
      },
    )
  }

  return {
    /** POST `/v4/eip/create`: an order (same clientToken on every retry). Follow it with `waitForCreate`. */
    async createEip(params: CreateEipParams): Promise<EipOrder> {
      requireParams('eip.createEip', params, ['regionID', 'name', 'cycleType'])
      const { clientToken, ...body } = params
      const result = await caller.call<Record<string, unknown>>({
        service: 'vpc',
        method: 'POST',
        path: '/v4/eip/create',
        body: defined(body),
        clientToken: clientToken ?? true,
      })
      if (result.kind === 'order-in-progress')
        return {
          masterOrderID: result.masterOrderID,
          masterOrderNO: result.masterOrderNO,
          clientToken: result.clientToken,
          inProgress: true,
        }
      const reply = result.returnObj ?? {}
      if (typeof reply.masterOrderID !== 'string')
        throw new CtyunResourceFailedError({
          resource: `EIP ${params.name}`,
          status: String(reply.masterResourceStatus ?? 'unknown'),
          reason: 'create returned no masterOrderID',
        })
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
    listEips(params: {
      regionID: string
      ids?: string[]
      status?: string
      ip?: string
      projectID?: string
      pageSize?: number
    }) {
      requireParams('eip.listEips', params, ['regionID'])
      const { pageSize = 50, ...filters } = params
      return paginateByPageNo<Eip>(
        async (pageNo, size) => {
          const reply = await caller.request<Record<string, unknown>>({
            service: 'vpc',
            method: 'POST',
            path: '/v4/eip/new-list',
            body: defined({ ...filters, pageNo, pageSize: size }),
            idempotent: true,
          })
          return {
            items: (reply?.eips ?? []) as Eip[],
            totalCount: countOf(reply?.totalCount),
            totalPage: countOf(reply?.totalPage),
          }
        },
        { pageSize },
      )
    },
    /**
     * POST `/v4/eip/associate`, waiting first while the EIP is changing (a new EIP settling, another (un)binding).
     * Resolves when the association was sent or the EIP is already bound to that instance. TF treats the call as
     * synchronous; `waitForEip(…, 'bound')` confirms.
     */
    async associateEip(params: EipAssociateParams, options?: WaitOptions): Promise<void> {
      requireParams('eip.associateEip', params, ['regionID', 'eipID', 'associationID', 'associationType'])
      await bindWaiting('bound', params, options)
    },
    /** One try at associating (`tryBinding`): `pending` while the EIP is changing. For callers that wait on their own (the engine). */
    async tryAssociateEip(params: EipAssociateParams, options?: TryBindingOptions): Promise<ProbeResult<Eip>> {
      requireParams('eip.tryAssociateEip', params, ['regionID', 'eipID', 'associationID', 'associationType'])
      return tryBinding('bound', params, options)
    },
    /** POST `/v4/eip/disassociate`, waiting first while the EIP is changing; resolves at once when it is already unbound. */
    async disassociateEip(
      params: { regionID: string; eipID: string; projectID?: string; clientToken?: string },
      options?: WaitOptions,
    ): Promise<void> {
      requireParams('eip.disassociateEip', params, ['regionID', 'eipID'])
      await bindWaiting('unbound', params, options)
    },
    /** One try at disassociating (`tryBinding`). */
    async tryDisassociateEip(
      params: { regionID: string; eipID: string; projectID?: string; clientToken?: string },
      options?: TryBindingOptions,
    ): Promise<ProbeResult<Eip>> {
      requireParams('eip.tryDisassociateEip', params, ['regionID', 'eipID'])
      return tryBinding('unbound', params, options)
    },
    /**
     * POST `/v4/eip/delete`: a refund order; the EIP must be unbound (shared decision). `returnObj` is an object
     * `{masterOrderID,…}` in the SDK (eip_delete.go) and an array of them in TF's generated ctvpc_delete_eip_api.go
     * (§8.6): both are read.
     */
    async deleteEip(params: {
      regionID: string
      eipID: string
      clientToken?: string
    }): Promise<{ masterOrderID?: string; masterOrderNO?: string }> {
      requireParams('eip.deleteEip', params, ['regionID', 'eipID'])
      const { clientToken, ...body } = params
      const result = await caller.call<unknown>({
        service: 'vpc',
        method: 'POST',
        path: '/v4/eip/delete',
        body: body,
        clientToken: clientToken ?? true,
      })
      if (result.kind === 'order-in-progress')
        return { masterOrderID: result.masterOrderID, masterOrderNO: result.masterOrderNO }
      const order = (
        Array.isArray(result.returnObj)
          ? result.returnObj.find((item) => item && typeof item === 'object')
          : result.returnObj
      ) as Record<string, unknown> | null | undefined
      const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined)
      return defined({ masterOrderID: text(order?.masterOrderID), masterOrderNO: text(order?.masterOrderNO) })
    },
    probeEip,
    waitForEip: (
      params: { regionID: string; eipID: string; target: 'bound' | 'unbound'; associationID?: string },
      options?: WaitOptions,
    ) =>
      waitFor(() => probeEip(params), `EIP ${params.eipID} → ${params.target}`, {
        initialDelayMs: 1_000,
        maxDelayMs: 5_000,
        ...options,
      }),
  }
}
