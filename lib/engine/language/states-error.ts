/**
 * The ASL error model: every failure inside a workflow is an `error` name plus a human `cause`, the pair that
 * `Retry`/`Catch` match on and that a failed run records.
 *
 * @example
 * throw new StatesError(StatesErrorNames.Runtime, 'The JSONPath "$.disk" matched nothing (state "Snapshot", InputPath)')
 */
export class StatesError extends Error {
  override name = 'StatesError'
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`)
  }
}

/** The predefined error names of the Amazon States Language (https://states-language.net/spec.html#appendix-a). */
export const StatesErrorNames = {
  ALL: 'States.ALL',
  Runtime: 'States.Runtime',
  TaskFailed: 'States.TaskFailed',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  NoChoiceMatched: 'States.NoChoiceMatched',
  BranchFailed: 'States.BranchFailed',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  Permissions: 'States.Permissions',
  DataLimitExceeded: 'States.DataLimitExceeded',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
} as const

/** Caught only when named explicitly: AWS "States.ALL … can't catch the States.DataLimitExceeded terminal error". */
const notMatchedByWildcards: ReadonlySet<string> = new Set([StatesErrorNames.DataLimitExceeded])

/**
 * Whether a `Retry`/`Catch` entry's `ErrorEquals` list matches an error name.
 *
 * - `States.Runtime` never matches, not even by name: AWS "A States.Runtime error isn't retriable, and will always
 *   cause the execution to fail. A retry or catch on States.ALL won't catch States.Runtime errors.";
 * - an exact name matches itself;
 * - `States.ALL` matches every other error except the terminal `States.DataLimitExceeded`;
 * - `States.TaskFailed` matches every error that is not a predefined `States.*` error (task errors such as
 *   `Ctyun.Throttled`), and itself.
 *
 * @example
 * errorMatches(['States.ALL'], 'Ctyun.Throttled') // true
 * errorMatches(['States.ALL'], 'States.Runtime')  // false
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (error === StatesErrorNames.Runtime) return false
  for (const name of errorEquals) {
    if (name === error) return true
    if (notMatchedByWildcards.has(error)) continue
    if (name === StatesErrorNames.ALL) return true
    if (name === StatesErrorNames.TaskFailed && !error.startsWith('States.')) return true
  }
  return false
}

/** Turns anything thrown into an ASL error/cause pair (non-StatesError throws become States.Runtime). */
export function toStatesError(thrown: unknown): StatesError {
  if (thrown instanceof StatesError) return thrown
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  return new StatesError(StatesErrorNames.Runtime, message)
}

/** The `{ Error, Cause }` object a Catch hands to its next state (and a failed branch reports). */
export function toErrorOutput(error: StatesError): { Error: string; Cause: string } {
  return { Error: error.error, Cause: error.cause }
}

/**
 * The `{ error, cause }` a history event carries (TaskFailed, ExecutionFailed, …RetryScheduled, CatchTaken …): lower
 * case, as in Step Functions' *EventDetails and in RunRecord.error, unlike the `{ Error, Cause }` a Catch passes on.
 */
export function toErrorDetail(error: StatesError): { error: string; cause: string } {
  return { error: error.error, cause: error.cause }
}
