/**
 * @module lib/ctyun-actions — the CTyun adapter of the workflow engine: lib/ctyun's operations as Task resources
 * `ctyun:<service>:<operation>[.sync]`, their waits (probes the engine polls, so a long wait can suspend a run), and
 * the ASL names of lib/ctyun's errors (`Ctyun.Throttled`, `Ctyun.NotFound`, …). The engine knows none of this: it
 * runs whatever a registry holds. The resources and error names are listed in README.md.
 *
 * `ctyun-action-names.ts` is an entry of its own (ARCHITECTURE.md "Module surfaces"): the names and kinds alone, for
 * a registry that knows them before lib/ctyun loads (lib/jobs createLazyProductActions).
 *
 * @example
 * const actions = registerCtyunActions(createActionRegistry(), createCtyunClient(target.clientOptions))
 * // Tasks: "Resource": "ctyun:ebs:createSnapshot.sync"; Retry on ["Ctyun.Throttled"]
 */
export { EIP_BUSY_MAX_WAIT_MS, registerCtyunActions } from './ctyun-actions'
export { CTYUN_ACTION_KINDS, type CtyunActionName } from './ctyun-action-names'
export { CtyunTaskErrorNames, mapCtyunError } from './ctyun-task-errors'
export { DISK_BUSY_MAX_WAIT_MS } from './snapshot-wait'
