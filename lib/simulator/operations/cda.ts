/**
 * CDA 云专线 gateway list — cda-global (shared/ctyun-api.md §3.7: GET per the doc; POST per the seed page — both
 * served). `account` is required (doc) and so is `regionID` (the hybrid SDK checks it; a client tested on the real cloud
 * found it required, §8.5); `pageNo`/`pageSize` are documented, `page` is the seed's spelling.
 */
import { success } from '../envelope'
import type { SimOperation } from '../operation'
import { paginate } from '../params'

export const cdaOperations: SimOperation[] = [
  {
    name: 'cda.listGateways',
    service: 'cda',
    methods: ['GET', 'POST'],
    path: '/v4/cda/gateway/list',
    handle({ params, runtime }) {
      const account = params.required('account')
      const regionID = params.required('regionID')
      const name = params.optional('gatewayName') ?? params.optional('search')
      const matches = [...runtime.state.cdaGateways.values()].filter(
        (g) =>
          g.account === account &&
          g.regionID === regionID &&
          (!name || g.displayName.includes(name) || g.vrfName.includes(name)),
      )
      const { page, totalCount, currentCount } = paginate(matches, params, { defaultSize: 10, maxSize: 100 })
      return success({ totalCount, currentCount, lineGatewayList: page })
    },
  },
]
