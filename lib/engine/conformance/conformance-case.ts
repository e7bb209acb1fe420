/**
 * One conformance case: a whole state machine, its input, and what the AWS Step Functions documentation says must come
 * out. Cases are data so that the same list runs through ctflow's engine and through aws-local-stepfunctions.
 */
export interface ConformanceCase {
  name: string
  /** Where the expected behaviour is documented. */
  source: string
  definition: Record<string, unknown>
  input: unknown
  expected: { output: unknown } | { error: string; causeIncludes?: string }
  /** Task resources the definition uses, as stubs. */
  actions?: Record<string, StubAction>
  /** Leave out of the differential run, with the reason (e.g. it reads $$.Execution.Id, which differs per engine). */
  notDifferential?: string
}

/** A stub Task action, as data: return a value, echo the input, or fail (the first `times` calls, then return). */
export type StubAction =
  | { returns: unknown }
  | { echo: true }
  | { fails: { error: string; cause: string }; times?: number; thenReturns?: unknown }

/** Builds a callable for a stub; each call of `createStub` has its own call counter (one per run). */
export function createStub(stub: StubAction): { call(input: unknown): unknown; calls(): number } {
  let calls = 0
  return {
    calls: () => calls,
    call(input) {
      calls++
      if ('returns' in stub) return structuredClone(stub.returns)
      if ('echo' in stub) return structuredClone(input)
      if (stub.times === undefined || calls <= stub.times) {
        const error = new Error(stub.fails.cause)
        error.name = stub.fails.error
        throw error
      }
      return structuredClone(stub.thenReturns)
    },
  }
}
