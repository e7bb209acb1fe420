/**
 * The errors the engine facade (engine-types.ts `Engine`) throws to its callers: the HTTP app, the CLI, the workers. Callers
 * tell them apart by class (`instanceof`), never by `name` or message; the `name`s are for logs. Messages name the
 * workflow, run, field or file at fault and never carry a secret or a run's input.
 *
 * Two hierarchies, both exported here so that a caller imports one file:
 * - `EngineError` and its subclasses, thrown by the engine itself (start, advance, workflow loading);
 * - `RunStoreError` and its subclasses (stores/store-errors.ts), which the engine lets through from its store (a bad
 *   `list` cursor, a corrupt run file, …). They stay with the stores: a store is usable without the engine (it has its
 *   own index) and must not import the engine's files, which import the stores.
 *
 * Failures inside a run (an action's error, `States.Timeout`, …) are not thrown: they end up in the run's history and
 * `RunRecord.error` as ASL error names (language/states-error.ts).
 *
 * @example
 * try { await engine.start({ workflow, input }) } catch (error) {
 *   if (error instanceof EngineInputError) reply(400, error.message, error.field)
 * }
 */

export {
  CorruptRunFileError,
  InvalidCursorError,
  LeaseLostError,
  RunExistsError,
  RunStoreError,
  StoreOpenError,
} from './stores/store-errors'

/** Base class: `instanceof EngineError` catches everything the engine itself throws on purpose. */
export class EngineError extends Error {
  override name = 'EngineError'
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * The caller's request cannot be carried out as given: the run input is not JSON, is over `limits.maxPayloadBytes`,
 * nests too deeply or does not match the workflow's `<name>.schema.json` (the message lists every problem); or the
 * workflow or run it names does not exist (the subclasses below). `field` names what to fix: `workflow`, `id`,
 * `input`, or a path into the input such as `input/disks/0`.
 */
export class EngineInputError extends EngineError {
  override name = 'EngineInputError'
  constructor(
    message: string,
    readonly field: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** `start` with a workflow this engine has not loaded. */
export class UnknownWorkflowError extends EngineInputError {
  override name = 'UnknownWorkflowError'
  constructor(
    readonly workflow: string,
    known: readonly string[],
  ) {
    super(`Unknown workflow "${workflow}" (known: ${known.join(', ') || 'none'})`, 'workflow')
  }
}

/** `advance` (or `runToEnd`) with an id no run in the store has. */
export class UnknownRunError extends EngineInputError {
  override name = 'UnknownRunError'
  constructor(readonly runId: string) {
    super(`No run with id "${runId}"`, 'id')
  }
}

/** A problem in a workflow document (or its input schema), with where it is. */
export interface WorkflowProblem {
  workflow: string
  /** JSON pointer into the workflow document, e.g. `/States/Snapshot/Next`. */
  pointer: string
  state?: string
  message: string
}

/**
 * One or more workflows are invalid: every problem is listed, nothing runs. The server's workflows are at fault, not
 * the caller (a broken input schema found at `start` is one too).
 */
export class WorkflowError extends EngineError {
  override name = 'WorkflowError'
  constructor(
    readonly problems: WorkflowProblem[],
    options?: ErrorOptions,
  ) {
    super(
      `Invalid workflow${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p.workflow}${p.pointer ? ` ${p.pointer}` : ''}${p.state ? ` (state "${p.state}")` : ''}: ${p.message}`).join('\n')}`,
      options,
    )
  }
}
