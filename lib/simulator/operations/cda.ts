/** CDA 云专线 gateway list — cda-global (shared/ctyun-api.md §3.7: GET per the doc; POST per the seed page — both served). */
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
      const account = params.optional('account')
      const regionID = params.optional('regionID')
      const name = params.optional('gatewayName') ?? params.optional('search')
      const matches = [...runtime.state.cdaGateways.values()].filter(
        (g) => (!account || g.account === account) && (!regionID || g.regionID === regionID) && (!name || g.displayName.includes(name) || g.vrfName.includes(name)),
      )
      const { page, totalCount, currentCount } = paginate(matches, params, { defaultSize: 10, maxSize: 100 })
      return success({ totalCount, currentCount, lineGatewayList: page })
    },
  },
]
