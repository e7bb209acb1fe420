import type { CtyunClient } from '../ctyun'
import { registerCtyunActions } from '../ctyun-actions'
import { createActionRegistry, type ActionRegistry } from '../engine'
import { registerJobActions } from './job-actions'

/**
 * Every Task resource the shipped workflows use: the `ctyun:*` operations over one signed client, and the `ctflow:*`
 * job steps. Functions, the CLI and the tests build their engines with this one registry; users add their own
 * actions to what it returns.
 * @example const actions = createProductActions(createCtyunClient(target.clientOptions))
 */
export function createProductActions(client: CtyunClient, { now = Date.now }: { now?: () => number } = {}): ActionRegistry {
  const registry = registerCtyunActions(createActionRegistry(), client, { now })
  // Reach for the services at call time, so a registry built only for its names needs no client.
  return registerJobActions(registry, {
    ebs: {
      listDisks: (params) => client.ebs.listDisks(params),
      getDisk: (params) => client.ebs.getDisk(params),
      listSnapshots: (params) => client.ebs.listSnapshots(params),
    },
    cbr: { listPolicies: (params) => client.cbr.listPolicies(params) },
    image: { getImage: (params) => client.image.getImage(params), listCopyDestinations: (params) => client.image.listCopyDestinations(params) },
    now,
  })
}

/**
 * The resource names alone, for validation where no client exists (`ctflow validate`). The actions' closures
 * reach for the client only when called, and these are never called.
 */
export function productResourceNames(): ReadonlySet<string> {
  return new Set(createProductActions(undefined as unknown as CtyunClient).names())
}
