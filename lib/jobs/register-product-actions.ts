import type { CtyunClient } from '../ctyun'
import { registerCtyunActions } from '../ctyun-actions'
import type { ActionRegistry } from '../engine'
import { registerJobActions } from './job-actions'

/**
 * Registers the product actions on `registry`: the `ctyun:*` operations over one signed client, and the `ctflow:*`
 * job steps. What createProductActions (product-actions.ts) and createLazyProductActions build on. Apart from them
 * because it is loaded on demand and takes only types from the engine: a value from the engine's index here would
 * make the engine a chunk shared with this lazy one, split out of a function bundle's entry.
 */
export function registerProductActions(
  registry: ActionRegistry,
  client: CtyunClient,
  { now = Date.now }: { now?: () => number } = {},
): ActionRegistry {
  registerCtyunActions(registry, client, { now })
  return registerJobActions(registry, { ...jobActionServices(client), now })
}

/**
 * The client's services the job steps read, reached at call time, so a registry built only for its names needs no
 * client.
 */
export function jobActionServices(client: CtyunClient): Omit<Parameters<typeof registerJobActions>[1], 'now'> {
  return {
    ebs: {
      listDisks: (params) => client.ebs.listDisks(params),
      listDisksPage: (params, pageNo, pageSize) => client.ebs.listDisksPage(params, pageNo, pageSize),
      getDisk: (params) => client.ebs.getDisk(params),
      listSnapshots: (params) => client.ebs.listSnapshots(params),
    },
    cbr: { listPolicies: (params) => client.cbr.listPolicies(params) },
    image: {
      listImages: (params) => client.image.listImages(params),
      getImage: (params) => client.image.getImage(params),
      listCopyDestinations: (params) => client.image.listCopyDestinations(params),
    },
  }
}
