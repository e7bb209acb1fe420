/**
 * Orders → resource ids. Every order-based create (EIP, a disk's first snapshot, CBR repositories) returns a
 * `masterOrderID`; the resource ids come from the order query (shared/ctyun-api.md §3.1).
 */
import type { CtyunCaller } from '../caller'
import type { ProbeResult, WaitOptions } from '../wait'
import { waitFor } from '../wait'
import { requireParams } from './require-params'

export interface OrderStatus {
  /** A string of an int (TF ecs_order_query_uuid.go); see ORDER_STATUS_NAMES. */
  orderStatus: string
  /** `instanceIDList` (ctecs `/v4/ecs/order/query-uuid`) or `resourceUuid` (`/v4/order/query-uuid`, doc api 9715). */
  resourceIDs: string[]
  resourceType?: string
  raw: Record<string, unknown>
}

/** Order status enum (TF internal/business/order_const.go). */
export const ORDER_STATUS_NAMES: Readonly<Record<string, string>> = {
  '1': '待支付', '2': '已支付', '3': '完成', '4': '取消', '5': '施工失败', '7': '正在支付中', '8': '待审核', '9': '审核通过',
  '10': '审核未通过', '11': '撤单完成', '12': '退订中', '13': '退订完成', '14': '开通中', '15': '变更移除', '16': '自动撤单中',
  '17': '手动撤单中', '18': '终止中', '22': '支付失败', '-2': '待撤回', '-1': '未知', '0': '错误', '999': '逻辑删除',
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
    const raw = await caller.request<Record<string, unknown>>({ service: 'ecs', method: 'GET', path: '/v4/ecs/order/query-uuid', query: { masterOrderID: params.masterOrderID } })
    const ids = (raw?.instanceIDList ?? raw?.resourceUuid ?? []) as unknown
    return {
      orderStatus: String(raw?.orderStatus ?? ''),
      resourceIDs: Array.isArray(ids) ? ids.map(String) : [],
      resourceType: typeof raw?.resourceType === 'string' ? raw.resourceType : undefined,
      raw: raw ?? {},
    }
  }

  /** One poll: done with the resource ids when status 3 and ids are present (TF OrderLoop). */
  async function probeOrder(params: { masterOrderID: string; pendingStatuses?: readonly string[] }): Promise<ProbeResult<OrderStatus>> {
    const order = await queryOrder(params)
    const pending = params.pendingStatuses ?? DEFAULT_PENDING_ORDER_STATUSES
    if (order.orderStatus === '3') {
      // TF polls a few more times when 完成 arrives before the id list is filled.
      return order.resourceIDs.length > 0 ? { state: 'done', status: describe('3'), value: order } : { state: 'pending', status: '3 完成 (no resource ids yet)', value: order }
    }
    if (pending.includes(order.orderStatus)) return { state: 'pending', status: describe(order.orderStatus), value: order }
    return { state: 'failed', status: describe(order.orderStatus), value: order }
  }

  return {
    queryOrder,
    probeOrder,
    /** Polls the order until it has resource ids. */
    waitForOrder: (params: { masterOrderID: string; pendingStatuses?: readonly string[] }, options?: WaitOptions) =>
      waitFor(() => probeOrder(params), `order ${params.masterOrderID} → resource ids`, { initialDelayMs: 2_000, maxDelayMs: 10_000, ...options }),
  }
}
