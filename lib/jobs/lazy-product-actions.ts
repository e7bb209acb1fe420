import type { CtyunClient } from '../ctyun'
import { createActionRegistry, registerLazyActions, type ActionRegistry } from '../engine'
import { PRODUCT_ACTION_KINDS } from './product-action-names'

/**
 * The product actions (createProductActions), with every name known at once and the code behind them — the CTyun
 * client and its services, the ctyun and job actions — loaded on the first Task call, client included. A function
 * answering requests that run no Task (the runs API, a health check) never loads it: in a bundle it is a lazy chunk,
 * not part of the cold start.
 * @example
 * const actions = createLazyProductActions(async () => (await import('../ctyun')).createCtyunClient(clientOptions))
 */
export function createLazyProductActions(
  openClient: () => Promise<CtyunClient>,
  { now = Date.now }: { now?: () => number } = {},
): ActionRegistry {
  return registerLazyActions(createActionRegistry(), PRODUCT_ACTION_KINDS, async () => {
    const [{ registerProductActions }, client] = await Promise.all([import('./register-product-actions'), openClient()])
    return registerProductActions(createActionRegistry(), client, { now })
  })
}
