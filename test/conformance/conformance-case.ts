/**
 * One conformance case: a state machine, its input, and what the AWS documentation says the execution ends with.
 * Cases are data, so any ASL engine can run them (ours in conformance.test.ts, aws-local-stepfunctions in
 * differential.test.ts). Expected values come from the AWS Step Functions documentation or the ASL spec named in `doc`,
 * never from running an engine.
 */
export interface ConformanceCase {
  /** Unique across the suite; `<feature>: <what it shows>`. */
  name: string
  /** The AWS documentation page (with anchor) or states-language.net section the expectation comes from. */
  doc: string
  definition: AslDefinition
  input: unknown
  expect: ExpectedOutput | ExpectedError
  /** Run through aws-local-stepfunctions too (default true). False where that interpreter cannot run the case at all
   * (e.g. a Task stub it has no hook for); disagreements are listed in known-differences.ts, not hidden here. */
  differential?: boolean
}

export interface ExpectedOutput {
  output: unknown
}

export interface ExpectedError {
  /** How the run ends: FAILED (default), or TIMED_OUT when the machine's own TimeoutSeconds ran out. */
  status?: 'FAILED' | 'TIMED_OUT'
  /** The ASL error name the run fails with. */
  error: string
  /** The exact cause, when the definition sets it (Fail states, stub errors). */
  cause?: string
  /** A fragment the cause must contain, when the cause text is the engine's own. */
  causeIncludes?: string
}

/** An ASL state machine as JSON (kept loose: the suite must also hold definitions an engine should reject at run time). */
export interface AslDefinition {
  StartAt: string
  States: Record<string, Record<string, unknown>>
  Comment?: string
  TimeoutSeconds?: number
}

export function expectsError(expect: ConformanceCase['expect']): expect is ExpectedError {
  return typeof (expect as ExpectedError).error === 'string'
}

/** A machine of one state that ends the run (most cases test one state's semantics). */
export function single(state: Record<string, unknown>, name = 'S'): AslDefinition {
  const terminal = state.Type === 'Succeed' || state.Type === 'Fail' || state.Type === 'Choice' ? {} : { End: true }
  return { StartAt: name, States: { [name]: { ...state, ...terminal } } }
}

/** Every state (at any depth: Parallel branches, Map processors) with its name, for runners that hook states by name. */
export function allStates(definition: AslDefinition): Array<[string, Record<string, unknown>]> {
  const found: Array<[string, Record<string, unknown>]> = []
  const visit = (machine: AslDefinition) => {
    for (const [name, state] of Object.entries(machine.States)) {
      found.push([name, state])
      for (const branch of (state.Branches as AslDefinition[] | undefined) ?? []) visit(branch)
      const processor = (state.ItemProcessor ?? state.Iterator) as AslDefinition | undefined
      if (processor) visit(processor)
    }
  }
  visit(definition)
  return found
}
