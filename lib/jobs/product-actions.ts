import type { CtyunClient } from '../ctyun'
import { createActionRegistry, type ActionRegistry } from '../engine'
import { registerProductActions } from './register-product-actions'

/**
 * Every Task resource the shipped workflows use: the `ctyun:*` operations over one signed client, and the `ctflow:*`
 * job steps. Functions, the CLI and the tests build their engines with this one registry; users add their own
 * actions to what it returns.
 * @example const actions = createProductActions(createCtyunClient(target.clientOptions))
 */
export function createProductActions(
  client: CtyunClient,
  { now = Date.now }: { now?: () => number } = {},
): ActionRegistry {
  return registerProductActions(createActionRegistry(), client, { now })
}
