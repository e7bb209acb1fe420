/**
 * Orders → resource ids. Every order-based create (EIP, a disk's first snapshot, CBR repositories) returns a
 * `masterOrderID`; the resource ids come from the order query (shared/ctyun-api.md §3.1).
 */
import type { CtyunCaller } from '../caller'
import { EMPTY_DONE_ORDER_POLLS, TF_WAITS } from '../poll-schedule'
import type { ProbeResult, WaitOptions } from '../wait'
import { DEFAULT_WAIT_MS, waitFor } from '../wait'
import { requireParams } from './require-params'

export interface OrderStatus {
  /** A string of an int (TF ecs_order_query_uuid.go); see ORDER_STATUS_NAMES. */
  orderStatus: string
  /** `instanceIDList` (ctecs `/v4/ecs/order/query-uuid`) or `resourceUuid` (`/v4/order/query-uuid`, doc api 9715). */
  resourceIDs: string[]
  resourceType?: string
  raw: Record<string, unknown>
}

/** A poll of an order, with the count of polls that saw 3 (完成) without resource ids so far (probeOrder). */
export type OrderProbeResult = ProbeResult<OrderStatus> & { doneWithoutIds: number }

/** Order status enum (TF internal/business/order_const.go). */
export const ORDER_STATUS_NAMES: Readonly<Record<string, string>> = {
  '1': '待支付',
  '2': '已支付',
  '3': '完成',
  '4': '取消',
  '5': '施工失败',
  '7': '正在支付中',
  '8': '待审核',
  '9': '审核通过',
  '10': '审核未通过',
  '11': '撤单完成',
  '12': '退订中',
  '13': '退订完成',
  '14': '开通中',
  '15': '变更移除',
  '16': '自动撤单中',
  '17': '手动撤单中',
  '18': '终止中',
  '22': '支付失败',
  '-2': '待撤回',
  '-1': '未知',
  '0': '错误',
  '999': '逻辑删除',
}

/**
 * Still moving towards 完成. TF OrderLoop continues only on 14 (开通中) and fails on anything else; we also wait
 * through payment and review states (2, 7, 8, 9), which an auto-paid order passes through. Configurable per call.
 */
export const DEFAULT_PENDING_ORDER_STATUSES: readonly string[] = ['14', '2', '7', '8', '9']

function describe(status: string): string {
  return ORDER_STATUS_NAMES[status] ? `${status} ${ORDER_STATUS_NAMES[status]}` : status
}

export function createOrdersService(caller: CtyunCaller) {
  /** GET ctecs `/v4/ecs/order/query-uuid` (what TF uses for every order); reads both reply shapes. */
  async function queryOrder(params: { masterOrderID: string }): Promise<OrderStatus> {
    requireParams('orders.queryOrder', params, ['masterOrderID'])
    const raw = await caller.request<Record<string, unknown>>({
      service: 'ecs',
      method: 'GET',
      path: '/v4/ecs/order/query-uuid',
      query: { masterOrderID: params.masterOrderID },
    })
    const ids = (raw?.instanceIDList ?? raw?.resourceUuid ?? []) as unknown
    return {
      orderStatus: String(raw?.orderStatus ?? ''),
      resourceIDs: Array.isArray(ids) ? ids.map(String) : [],
      resourceType: typeof raw?.resourceType === 'string' ? raw.resourceType : undefined,
      raw: raw ?? {},
    }
  }

  /**
   * One poll: done with the resource ids when status 3 and ids are present (TF OrderLoop). A 3 (完成) without ids is
   * polled EMPTY_DONE_ORDER_POLLS more times, then fails: `doneWithoutIds` counts such polls before this one (the
   * caller keeps it, e.g. in a wait's handle) and the result carries the new count.
   */
  async function probeOrder(params: {
    masterOrderID: string
    pendingStatuses?: readonly string[]
    doneWithoutIds?: number
  }): Promise<OrderProbeResult> {
    const order = await queryOrder(params)
    const pending = params.pendingStatuses ?? DEFAULT_PENDING_ORDER_STATUSES
    const before = params.doneWithoutIds ?? 0
    if (order.orderStatus === '3') {
      if (order.resourceIDs.length > 0)
        return { state: 'done', status: describe('3'), value: order, doneWithoutIds: before }
      const seen = before + 1
      if (seen > EMPTY_DONE_ORDER_POLLS) {
        return {
          state: 'failed',
          status: describe('3'),
          value: order,
          doneWithoutIds: seen,
          reason: `order ${params.masterOrderID} reported 3 完成 with no resource ids on ${seen} polls in a row, so the resource's id cannot be known`,
        }
      }
      return { state: 'pending', status: '3 完成 (no resource ids yet)', value: order, doneWithoutIds: seen }
    }
    if (pending.includes(order.orderStatus))
      return { state: 'pending', status: describe(order.orderStatus), value: order, doneWithoutIds: before }
    return { state: 'failed', status: describe(order.orderStatus), value: order, doneWithoutIds: before }
  }

  /** Polls the order until it has resource ids (at least TF's 5 s × 60), counting empty 完成 polls. */
  function waitForOrder(
    params: { masterOrderID: string; pendingStatuses?: readonly string[] },
    options?: WaitOptions,
  ): Promise<OrderStatus> {
    let doneWithoutIds = 0
    const probe = async () => {
      const result = await probeOrder({ ...params, doneWithoutIds })
      doneWithoutIds = result.doneWithoutIds
      return result
    }
    return waitFor(probe, `order ${params.masterOrderID} → resource ids`, {
      initialDelayMs: 2_000,
      maxDelayMs: 10_000,
      timeoutMs: Math.max(DEFAULT_WAIT_MS, TF_WAITS.orderMs),
      ...options,
    })
  }

  return {
    queryOrder,
    probeOrder,
    waitForOrder,
  }
}
