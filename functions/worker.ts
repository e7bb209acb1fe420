import type { Budget, Engine, RunAdvanceError } from '../lib/engine'

export interface WorkerResult {
  advanced: number
  /** Runs that could not be advanced this time (left for a later tick); the others were. */
  errors?: RunAdvanceError[]
}

/**
 * Resumes the suspended runs that are due, as many as fit in the budget. The event (a rate schedule's tick) carries
 * nothing the worker needs: which runs are due is in the store.
 * @example await runWorker({ engine }, event, budgetFrom(context.getRemainingTimeInMillis()))
 */
export async function runWorker(
  deps: { engine: Engine },
  _event: unknown,
  budget: Budget & { limit?: number },
): Promise<WorkerResult> {
  return deps.engine.resumeDue(budget)
}
