/**
 * CDA 云专线 (cda-global): gateway list. Sources disagree (shared/ctyun-api.md §3.7): the CTyun doc page and the
 * official hybrid SDK say GET with query `pageNo`, `pageSize`, `account` (+ `regionID`, `projectID`, `gatewayName`);
 * TF+ sends GET with a JSON body; the seed page says POST with `page`/`pageSize`. Default: the doc's GET + query.
 * `style: 'post'` sends the seed's POST with both `page` and `pageNo` in the body.
 */
import type { CtyunCaller } from '../caller'
import { countOf, paginateByPageNo } from '../paginate'
import { defined, requireParams } from './require-params'

export interface CdaGateway {
  /** The gateway id. */
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
  regionID?: string
  projectID?: string
  gatewayName?: string
  pageSize?: number
  style?: 'get' | 'post'
}

export function createCdaService(caller: CtyunCaller) {
  return {
    /** Every gateway page. Reads `lineGatewayList` (doc) and, defensively, `gatewayList`/`list`. */
    listGateways(params: ListGatewaysParams): AsyncGenerator<CdaGateway, void, undefined> {
      requireParams('cda.listGateways', params, ['account'])
      const { pageSize = 50, style = 'get', ...filters } = params
      return paginateByPageNo<CdaGateway>(async (pageNo, size) => {
        const reply = await caller.request<Record<string, unknown>>(
          style === 'get'
            ? { service: 'cda', method: 'GET', path: '/v4/cda/gateway/list', query: defined({ ...filters, pageNo, pageSize: size }) }
            : { service: 'cda', method: 'POST', path: '/v4/cda/gateway/list', body: defined({ ...filters, page: pageNo, pageNo, pageSize: size }), idempotent: true },
        )
        const items = (reply?.lineGatewayList ?? reply?.gatewayList ?? reply?.list ?? []) as CdaGateway[]
        return { items, totalCount: countOf(reply?.totalCount) }
      }, { pageSize })
    },
  }
}
