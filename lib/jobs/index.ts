/**
 * @module lib/jobs — the `ctflow:*` steps of the shipped jobs (input checks and defaults, retention plans, reports:
 * what ASL cannot say) and the product actions: one registry with the `ctyun:*` operations (lib/ctyun-actions) and
 * these steps, which the functions, the CLI and the tests build their engines with.
 *
 * This index loads neither lib/ctyun nor the actions: `createLazyProductActions` knows every name at once and loads
 * the code on the first Task call. `product-actions.ts` is an entry of its own (ARCHITECTURE.md "Module surfaces"):
 * `createProductActions(client)` with everything loaded, and `productResourceNames()`.
 *
 * @example
 * const actions = createLazyProductActions(async () => (await import('../ctyun')).createCtyunClient(clientOptions))
 */
export { createLazyProductActions, PRODUCT_ACTION_KINDS } from './lazy-product-actions'
export { JOB_ACTION_NAMES } from './job-action-names'
export type { BackupReport, DiskReport } from './backup-report'
