/** Regions (ctecs-global): GET `/v4/region/list-regions` (doc api 5851; shared/ctyun-api.md §3.8). */
import type { CtyunCaller } from '../caller'
import { defined } from './require-params'

export interface Region {
  regionID: string
  regionName?: string
  regionParent?: string
  regionType?: string
  regionCode?: string
  isMultiZones?: boolean
  /** Empty on single-AZ pools: ECS APIs then take azName "default" (TF ctecs_list_instance_status_v41_api.go). */
  zoneList?: string[]
  openapiAvailable?: boolean
  [field: string]: unknown
}

export function createRegionsService(caller: CtyunCaller) {
  return {
    /** All regions (the API is not paged), optionally filtered by `regionName`. */
    async listRegions(params: { regionName?: string } = {}): Promise<Region[]> {
      const reply = await caller.request<{ regionList?: Region[] }>({
        service: 'ecs',
        method: 'GET',
        path: '/v4/region/list-regions',
        query: defined(params),
      })
      return reply?.regionList ?? []
    },
  }
}
