/**
 * @module lib/engine — a durable ASL (Step Functions language) engine: workflows run as runs in a store, Task
 * resources are whatever an action registry holds, and every method that advances runs takes a budget.
 *
 * Besides this index, three files are entries of their own, so that code which needs them only sometimes can load
 * them on demand (ARCHITECTURE.md "Module surfaces"):
 *   create-engine.ts   createEngine: assembleEngine with the full ASL validator and the JSON Schema checker
 *   validate/index.ts  the ASL validator alone (`ctflow validate`)
 *   input-schema.ts    JSON Schema checks of run inputs (loaded by `start` on first use)
 * Run stores are a module of their own: lib/engine/stores.
 *
 * @example
 * const engine = assembleEngine({ store, actions, workflows: [...SHIPPED_WORKFLOWS], validate: () => [] })
 * const { run } = await engine.start({ workflow: 'inventory', input: {} })
 * await engine.advance(run.id, { deadline: Date.now() + 10_000 })
 */
export type { Budget, Engine, RunAdvanceError, StartRequest, WorkflowInfo } from './engine-types'
export { assembleEngine, type CreateEngineOptions } from './assemble-engine'
export * from './errors'
export { systemClock, type Clock } from './clock'
export type { RunBudget } from './runner'
export { DEFAULT_LIMITS, type EngineLimits } from './limits'
export {
  isTerminal,
  TERMINAL_STATUSES,
  type EndedRun,
  type HistoryEvent,
  type NewHistoryEvent,
  type RunError,
  type RunRecord,
  type RunStatus,
  type RunSummary,
} from './run'
export { loadWorkflowFile, loadWorkflows, type LoadedWorkflow } from './workflows'
export type { StateDefinition, StateType, WorkflowDefinition } from './interpreter/definition'
export {
  createActionRegistry,
  defaultPollDelayMs,
  type Action,
  type ActionContext,
  type ActionRegistry,
  type CallAction,
  type ProbeOutcome,
  type ResolvedAction,
  type SyncAction,
  type TaskError,
  type TaskErrorMapper,
} from './actions/registry'
export { registerLazyActions, type ActionKind } from './actions/lazy-actions'
export { toTaskError } from './actions/task-errors'
export { CHILD_RUN_ABORTED } from './interpreter/child-runs'
// From its own file, not the language's index: that would load JSONPath, the intrinsics and the rest at every start.
export { StatesError, StatesErrorNames } from './language/states-error'
export type {
  EngineHooks,
  HookRun,
  RetryScheduledInfo,
  RunEndedInfo,
  TaskCallInfo,
  TaskCallResult,
} from './engine-hooks'
