import type { Budget, Engine } from '../lib/engine/engine'

export interface WorkerResult {
  advanced: number
}

/**
 * Resumes the suspended runs that are due, as many as fit in the budget. The event (a rate schedule's tick) carries
 * nothing the worker needs: which runs are due is in the store.
 * @example await runWorker({ engine }, event, budgetFrom(context.getRemainingTimeInMillis()))
 */
export async function runWorker(deps: { engine: Engine }, _event: unknown, budget: Budget & { limit?: number }): Promise<WorkerResult> {
  return deps.engine.resumeDue(budget)
}
