import {
  CorruptRunFileError,
  EngineError,
  EngineInputError,
  InvalidCursorError,
  LeaseLostError,
  RunExistsError,
  RunStoreError,
  StoreOpenError,
  UnknownRunError,
  UnknownWorkflowError,
  WorkflowError,
} from '../../lib/engine'
import { HttpProblem } from './problem'
import { WebhookSecretError } from './webhook-signature'

// The engine's errors by class. Each class exported by lib/engine/errors.ts has a row of its own (to-problem.test.ts
// checks it), so a new error is given an answer on purpose; a subclass comes before its base (first match wins).
type ErrorClass<E extends Error> = abstract new (...args: never[]) => E
type Rule<E extends Error = Error> = readonly [ErrorClass<E>, (error: E) => HttpProblem]
const rule = <E extends Error>(errorClass: ErrorClass<E>, toProblem: (error: E) => HttpProblem): Rule => [
  errorClass,
  toProblem as (error: Error) => HttpProblem,
]

// The server's own trouble (its workflows, its store): the caller can do nothing about it, so it learns nothing of it;
// app.onError logs the error with the requestId.
const internal = () =>
  new HttpProblem(500, 'internal', 'The server failed to handle this request; quote the requestId when reporting it.')

export const ENGINE_ERROR_RULES: readonly Rule[] = [
  rule(UnknownWorkflowError, (error) => new HttpProblem(404, 'unknown-workflow', error.message)),
  rule(UnknownRunError, (error) => new HttpProblem(404, 'unknown-run', error.message)),
  rule(EngineInputError, (error) => new HttpProblem(400, 'invalid-field', error.message, { field: error.field })),
  // A cursor is opaque; one the store cannot read is the caller's mistake, not a server failure. The only engine call
  // that takes a cursor is GET /runs's list, whose query parameter is `cursor`.
  rule(
    InvalidCursorError,
    () =>
      new HttpProblem(400, 'invalid-field', 'cursor is not one this server handed out (use nextCursor as given).', {
        field: 'cursor',
      }),
  ),
  // A broken workflow or input schema (found at start) is the server's.
  rule(WorkflowError, internal),
  // Run ids are made by the server: a taken one is its failure, not a conflict the caller caused.
  rule(RunExistsError, internal),
  rule(LeaseLostError, internal),
  rule(CorruptRunFileError, internal),
  rule(StoreOpenError, internal),
  rule(RunStoreError, internal),
  rule(EngineError, internal),
]

/**
 * Maps any error thrown while handling a request to the problem the caller sees, by class: an HttpProblem as it is,
 * the engine's errors by ENGINE_ERROR_RULES, a webhook secret that cannot be used as 503. Anything else becomes a 500
 * whose detail says nothing about the cause.
 */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error
  for (const [errorClass, toProblem] of ENGINE_ERROR_RULES) if (error instanceof errorClass) return toProblem(error)
  if (error instanceof WebhookSecretError)
    return new HttpProblem(503, 'not-configured', 'Webhooks are not configured on this server.')
  return internal()
}
