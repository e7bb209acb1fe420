/**
 * ECS 云主机 (ctecs-global): list and show instances (shared/ctyun-api.md §3.3). Jobs, async results and order
 * queries, also on this host, are in jobs.ts and orders.ts.
 */
import type { CtyunCaller } from '../caller'
import { countOf, paginateByPageNo } from '../paginate'
import { defined, requireParams } from './require-params'

export interface Instance {
  instanceID: string
  instanceName?: string
  displayName?: string
  instanceStatus?: string
  azName?: string
  image?: { imageID?: string; imageName?: string }
  attachedVolume?: unknown[]
  [field: string]: unknown
}

export interface ListInstancesParams {
  regionID: string
  azName?: string
  projectID?: string
  /** active/shutoff/expired/unsubscribed/freezing/shelve. */
  state?: string
  keyword?: string
  instanceName?: string
  /** Comma-separated, as the API takes it. */
  instanceIDList?: string
  vpcID?: string
  /** ≤ 50 (multi-AZ pools ≤ 200). */
  pageSize?: number
}

export function createEcsService(caller: CtyunCaller) {
  return {
    /** POST `/v4/ecs/list-instances` (doc api 8309): a read over POST, so it retries. Every page. */
    listInstances(params: ListInstancesParams): AsyncGenerator<Instance, void, undefined> {
      requireParams('ecs.listInstances', params, ['regionID'])
      const { pageSize = 50, ...filters } = params
      return paginateByPageNo<Instance>(
        async (pageNo, size) => {
          const reply = await caller.request<Record<string, unknown>>({
            service: 'ecs',
            method: 'POST',
            path: '/v4/ecs/list-instances',
            body: defined({ ...filters, pageNo, pageSize: size }),
            idempotent: true,
          })
          return {
            items: (reply?.results ?? []) as Instance[],
            totalCount: countOf(reply?.totalCount),
            totalPage: countOf(reply?.totalPage),
          }
        },
        { pageSize },
      )
    },
    /** GET `/v4/ecs/instance-details` (doc api 8310). */
    async getInstance(params: { regionID: string; instanceID: string }): Promise<Instance> {
      requireParams('ecs.getInstance', params, ['regionID', 'instanceID'])
      return caller.request<Instance>({
        service: 'ecs',
        method: 'GET',
        path: '/v4/ecs/instance-details',
        query: { regionID: params.regionID, instanceID: params.instanceID },
      })
    },
  }
}
