import { StatesError } from '../language/states-error'

/** Runs `attempt` and returns the StatesError it throws; any other error is rethrown, and no error fails the test. */
export function caughtStatesError(attempt: () => unknown, expected = 'expected a StatesError'): StatesError {
  try {
    attempt()
  } catch (error) {
    if (error instanceof StatesError) return error
    throw error
  }
  throw new Error(expected)
}
