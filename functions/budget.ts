import type { Budget } from '../lib/engine'

/** Time kept back from an invocation's budget to save state and reply before the platform kills it. */
export const DEFAULT_MARGIN_MS = 5_000

/**
 * The engine budget for one invocation: now + remaining − margin (never in the past).
 * @example const budget = budgetFrom(context.getRemainingTimeInMillis())
 */
export function budgetFrom(remainingMs: number, { marginMs = DEFAULT_MARGIN_MS, now = Date.now() } = {}): Budget {
  return { deadline: now + Math.max(0, remainingMs - marginMs) }
}
