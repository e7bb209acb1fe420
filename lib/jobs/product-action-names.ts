import { CTYUN_ACTION_KINDS } from '../ctyun-actions/ctyun-action-names'
import type { ActionKind } from '../engine'
import { JOB_ACTION_NAMES } from './job-action-names'

/**
 * Every resource of the product actions and its kind: the `ctyun:*` operations and the `ctflow:*` steps (plain
 * calls). Kept apart from the actions, and from the engine's code, so that their names are known without loading
 * either (createLazyProductActions, `ctflow validate`); lib/jobs/lazy-product-actions.test.ts checks them against what
 * createProductActions registers.
 */
export const PRODUCT_ACTION_KINDS: Readonly<Record<string, ActionKind>> = {
  ...Object.fromEntries(Object.entries(CTYUN_ACTION_KINDS).map(([name, kind]) => [`ctyun:${name}`, kind])),
  ...Object.fromEntries(JOB_ACTION_NAMES.map((name) => [name, 'call'])),
}

/**
 * Every resource name a Task may give the product actions, `.sync` forms included: for validation where no client
 * exists (`ctflow validate`).
 */
export function productResourceNames(): ReadonlySet<string> {
  return new Set(
    Object.entries(PRODUCT_ACTION_KINDS).flatMap(([name, kind]) => (kind === 'sync' ? [name, `${name}.sync`] : [name])),
  )
}
