import type { CtyunClient } from '../ctyun'
import { createActionRegistry, type ActionRegistry } from '../engine'
import { registerProductActions } from './register-product-actions'

/**
 * Every Task resource the shipped workflows use: the `ctyun:*` operations over one signed client, and the `ctflow:*`
 * job steps. Functions, the CLI and the tests build their engines with this one registry; users add their own
 * actions to what it returns.
 * @example const actions = createProductActions(createCtyunClient(target.clientOptions))
 */
export function createProductActions(client: CtyunClient, { now = Date.now }: { now?: () => number } = {}): ActionRegistry {
  return registerProductActions(createActionRegistry(), client, { now })
}

/**
 * The resource names alone, for validation where no client exists (`ctflow validate`). The actions' closures
 * reach for the client only when called, and these are never called.
 */
export function productResourceNames(): ReadonlySet<string> {
  return new Set(createProductActions(undefined as unknown as CtyunClient).names())
}
