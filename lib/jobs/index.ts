/**
 * @module lib/jobs — the `ctflow:*` steps of the shipped jobs (input checks and defaults, retention plans, reports:
 * what ASL cannot say) and the product actions: one registry with the `ctyun:*` operations (lib/ctyun-actions) and
 * these steps, which the functions, the CLI and the tests build their engines with.
 *
 * This index loads neither lib/ctyun nor the actions: `createLazyProductActions` knows every name at once and loads
 * the code on the first Task call. Two files are entries of their own (ARCHITECTURE.md "Module surfaces"):
 * `product-actions.ts` (`createProductActions(client)` with everything loaded) and `product-action-names.ts` (the
 * names and kinds alone, without the engine's code: `ctflow validate`).
 *
 * @example
 * const actions = createLazyProductActions(async () => (await import('../ctyun')).createCtyunClient(clientOptions))
 */
export { createLazyProductActions } from './lazy-product-actions'
export { PRODUCT_ACTION_KINDS, productResourceNames } from './product-action-names'
export { JOB_ACTION_NAMES } from './job-action-names'
export type { BackupReport, DiskReport } from './backup-report'
