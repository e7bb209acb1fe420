/**
 * CDA 云专线 (cda-global): gateway list. Sources disagree (shared/ctyun-api.md §3.7, §8.5): the CTyun doc page and the
 * official hybrid SDK say GET with query `pageNo`, `pageSize`, `account` (+ `regionID`, `projectID`, `gatewayName`);
 * TF+ sends GET with a JSON body; the seed page says POST with `page`/`pageSize`. Default: the doc's GET + query.
 * `style: 'post'` sends the seed's POST with both `page` and `pageNo` in the body.
 *
 * `regionID` is required although the doc page marks it optional: the hybrid SDK checks it, and a third-party client
 * tested on the real cloud says "根据实际测试，regionID实际上是必填参数" (§8.5). The reply is read in both shapes the
 * sources give: the doc's `returnObj.lineGatewayList` and TF+'s flat model (one gateway's fields at the top level of
 * the envelope, with `count`).
 */
import type { CtyunCaller } from '../caller'
import { CtyunApiError } from '../errors'
import { countOf, paginateByPageNo } from '../paginate'
import { defined, requireParams } from './require-params'

export interface CdaGateway {
  /** The gateway id (doc: vrfName; TF+ also has `fuid`, "专线网关ID"). */
  vrfName: string
  displayName?: string
  account?: string
  accessPoint?: string
  resourcePool?: string
  [field: string]: unknown
}

export interface ListGatewaysParams {
  /** 天翼云客户邮箱, required by the doc. */
  account: string
  /** Required in practice (§8.5). */
  regionID: string
  projectID?: string
  gatewayName?: string
  pageSize?: number
  style?: 'get' | 'post'
}

/** Envelope fields that are not a gateway's, when a reply is flat (TF+ cda_cda_gateway_list_api.go). */
const ENVELOPE_FIELDS = new Set([
  'statusCode',
  'message',
  'description',
  'errorCode',
  'error',
  'errorDetail',
  'details',
  'traceID',
  'returnObj',
  'count',
])

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isGateway(value: unknown): boolean {
  return isObject(value) && (typeof value.vrfName === 'string' || typeof value.fuid === 'string')
}

function gatewayOf(raw: Record<string, unknown>): CdaGateway {
  return { ...raw, vrfName: String(raw.vrfName ?? raw.fuid) }
}

/** The gateways and total of one reply, whichever shape it has. */
export function gatewaysOf(
  returnObj: unknown,
  envelope: Record<string, unknown>,
): { items: CdaGateway[]; totalCount?: number } {
  if (isObject(returnObj)) {
    const list = returnObj.lineGatewayList ?? returnObj.gatewayList ?? returnObj.list
    if (Array.isArray(list))
      return {
        items: (list.filter(isGateway) as Record<string, unknown>[]).map(gatewayOf),
        totalCount: countOf(returnObj.totalCount ?? returnObj.count),
      }
    if (isGateway(returnObj)) return { items: [gatewayOf(returnObj)], totalCount: countOf(returnObj.count) }
  }
  if (Array.isArray(returnObj))
    return {
      items: (returnObj.filter(isGateway) as Record<string, unknown>[]).map(gatewayOf),
      totalCount: countOf(envelope.count ?? envelope.totalCount),
    }
  if (isGateway(envelope)) {
    const fields = Object.fromEntries(Object.entries(envelope).filter(([key]) => !ENVELOPE_FIELDS.has(key)))
    return { items: [gatewayOf(fields)], totalCount: countOf(envelope.count) }
  }
  return { items: [], totalCount: countOf(envelope.count) }
}

export function createCdaService(caller: CtyunCaller) {
  return {
    /** Every gateway page of `account` in `regionID`. */
    listGateways(params: ListGatewaysParams): AsyncGenerator<CdaGateway, void, undefined> {
      requireParams('cda.listGateways', params, ['account', 'regionID'])
      const { pageSize = 50, style = 'get', ...filters } = params
      return paginateByPageNo<CdaGateway>(
        async (pageNo, size) => {
          const result = await caller.call<unknown>(
            style === 'get'
              ? {
                  service: 'cda',
                  method: 'GET',
                  path: '/v4/cda/gateway/list',
                  query: defined({ ...filters, pageNo, pageSize: size }),
                }
              : {
                  service: 'cda',
                  method: 'POST',
                  path: '/v4/cda/gateway/list',
                  body: defined({ ...filters, page: pageNo, pageNo, pageSize: size }),
                  idempotent: true,
                },
          )
          if (result.kind !== 'ok') {
            throw new CtyunApiError(
              {
                errorCode: result.errorCode,
                statusCode: result.envelope.statusCode ?? 900,
                detail: 'a gateway list cannot be an order in progress',
              },
              { service: 'cda', path: '/v4/cda/gateway/list', requestId: result.requestId },
            )
          }
          return gatewaysOf(result.returnObj, result.envelope)
        },
        { pageSize },
      )
    },
  }
}
