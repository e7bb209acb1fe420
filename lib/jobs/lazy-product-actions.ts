import type { CtyunClient } from '../ctyun'
import { CTYUN_ACTION_KINDS } from '../ctyun-actions/ctyun-action-names'
import { createActionRegistry, registerLazyActions, type ActionKind, type ActionRegistry } from '../engine'
import { JOB_ACTION_NAMES } from './job-action-names'

/** Every resource of createProductActions and its kind: the `ctyun:*` operations and the `ctflow:*` steps (plain calls). */
export const PRODUCT_ACTION_KINDS: Readonly<Record<string, ActionKind>> = {
  ...Object.fromEntries(Object.entries(CTYUN_ACTION_KINDS).map(([name, kind]) => [`ctyun:${name}`, kind])),
  ...Object.fromEntries(JOB_ACTION_NAMES.map((name) => [name, 'call'])),
}

/**
 * The product actions (createProductActions), with every name known at once and the code behind them — the CTyun
 * client and its services, the ctyun and job actions — loaded on the first Task call, client included. A function
 * answering requests that run no Task (the runs API, a health check) never loads it: in a bundle it is a lazy chunk,
 * not part of the cold start.
 * @example
 * const actions = createLazyProductActions(async () => (await import('../ctyun')).createCtyunClient(clientOptions))
 */
export function createLazyProductActions(openClient: () => Promise<CtyunClient>, { now = Date.now }: { now?: () => number } = {}): ActionRegistry {
  return registerLazyActions(createActionRegistry(), PRODUCT_ACTION_KINDS, async () => {
    const [{ registerProductActions }, client] = await Promise.all([import('./register-product-actions'), openClient()])
    return registerProductActions(createActionRegistry(), client, { now })
  })
}
