import type { StateDefinition } from './definition'

/**
 * What the interpreter works out once per state definition instead of on every visit: the names of the state's
 * history events (one shared string each, not a new one per event that a long run's history then keeps), whether it
 * reads the context object, and whether it hands its input on untouched.
 */
export interface StatePlan {
  entered: string
  exited: string
  succeeded: string
  failed: string
  retryScheduled: string
  /** Some field reads `$$`: only then is the context object built (most states never read it). */
  readsContext: boolean
  /** A Pass state without InputPath, Parameters, Result, ResultPath or OutputPath: its output is its input. */
  passesInputOn: boolean
}

// Definitions are immutable (validated once, shared by every run), so a plan lives as long as its state definition.
const plans = new WeakMap<StateDefinition, StatePlan>()

/** The plan of one state, made on its first visit. */
export function planOf(state: StateDefinition): StatePlan {
  let plan = plans.get(state)
  if (plan === undefined) plans.set(state, (plan = makePlan(state)))
  return plan
}

function makePlan(state: StateDefinition): StatePlan {
  const type = state.Type
  return {
    entered: `${type}StateEntered`,
    exited: `${type}StateExited`,
    succeeded: `${type}StateSucceeded`,
    failed: `${type}StateFailed`,
    retryScheduled: `${type}RetryScheduled`,
    readsContext: JSON.stringify(state).includes('$$'),
    passesInputOn:
      type === 'Pass' &&
      state.InputPath === undefined &&
      state.Parameters === undefined &&
      !('Result' in state) &&
      state.ResultPath === undefined &&
      state.OutputPath === undefined,
  }
}
