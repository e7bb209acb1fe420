import { StatesError, StatesErrorNames } from '../language/states-error'
import type { ActionRegistry, TaskError } from './registry'

/**
 * Turns anything an action threw into the ASL `{ error, cause }` its Task fails with (what `Retry`/`Catch` match):
 * a StatesError keeps its own name; then the registry's mappers are asked (each module of actions names its own
 * errors: `registry.mapErrors`); then, like AWS Lambda, an Error's `name` is the ASL error (`class QuotaError extends
 * Error` → `QuotaError`); anything else is `States.TaskFailed`. Causes are the errors' messages.
 *
 * @example toTaskError(Object.assign(new Error('quota'), { name: 'QuotaError' })) // { error: 'QuotaError', cause: 'quota' }
 */
export function toTaskError(thrown: unknown, actions?: Pick<ActionRegistry, 'mapError'>): TaskError {
  if (thrown instanceof StatesError) return { error: thrown.error, cause: thrown.cause }
  let mapped: TaskError | undefined
  try {
    mapped = actions?.mapError(thrown)
  } catch (error) {
    // A mapper with a bug fails the Task in a way no Retry matches by accident, and says so; the run goes on to its Catch.
    return {
      error: StatesErrorNames.Runtime,
      cause: `An error mapper (ActionRegistry.mapErrors) threw while naming the task's error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    }
  }
  if (mapped !== undefined) return mapped
  if (thrown instanceof Error) return { error: thrown.name || 'Error', cause: thrown.message }
  return { error: StatesErrorNames.TaskFailed, cause: typeof thrown === 'string' ? thrown : safeJson(thrown) }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
