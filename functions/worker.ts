import type { Budget, Engine, RunAdvanceError } from '../lib/engine'
import type { DeliveryPass } from '../lib/notify'

export interface WorkerResult {
  advanced: number
  /** Runs that could not be advanced this time (left for a later tick); the others were. */
  errors?: RunAdvanceError[]
  /** What became of the pending run notifications this tick delivered (absent without channels). */
  notifications?: DeliveryPass
  /** Why delivering them failed this tick (the store unreachable); they stay pending. */
  notificationError?: string
}

/**
 * Resumes the suspended runs that are due, as many as fit in the budget, then delivers the run notifications pending
 * in the store's outbox with what is left (runs first: a notification never delays a run). The event (a rate
 * schedule's tick) carries nothing the worker needs: which runs are due is in the store.
 * @example await runWorker({ engine }, event, budgetFrom(context.getRemainingTimeInMillis()))
 */
export async function runWorker(
  deps: { engine: Engine; deliverNotifications?: ((budget: Partial<Budget>) => Promise<DeliveryPass>) | undefined },
  _event: unknown,
  budget: Budget & { limit?: number },
): Promise<WorkerResult> {
  const result: WorkerResult = await deps.engine.resumeDue(budget)
  if (deps.deliverNotifications && Date.now() < budget.deadline && !budget.signal?.aborted) {
    try {
      result.notifications = await deps.deliverNotifications({ deadline: budget.deadline, signal: budget.signal })
    } catch (error) {
      // The outbox keeps them: the next tick tries again. The runs' result stands.
      result.notificationError = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    }
  }
  return result
}
