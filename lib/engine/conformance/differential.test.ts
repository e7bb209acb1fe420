import { describe, expect, it } from 'vitest'
import { conformanceCases } from './cases'
import { createStub, type ConformanceCase } from './conformance-case'
import { validateWorkflow } from '../validate/validate-workflow'
import { runThroughEngine } from './run-through-engine'

/**
 * aws-local-stepfunctions (an independent ASL interpreter) against the documented expectations of the conformance
 * cases. Where it disagrees with the AWS documentation, the case is listed in `knownDisagreements` with the reason,
 * and the test asserts that it still disagrees (so the list stays true).
 */

// aws-local-stepfunctions 3 targets Node 22 and calls Promise.withResolvers, which Node 20 lacks.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void
      let reject!: (reason?: unknown) => void
      const promise = new Promise<T>((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    },
  })
}

const { StateMachine, ExecutionError } = await import('aws-local-stepfunctions')

/** Cases where aws-local-stepfunctions 3.0.0 does not do what the AWS documentation says (found by this test). */
export const knownDisagreements: Record<string, string> = {
  'ResultPath $ replaces the input with the result': 'it adds a key named "$" to the input instead of replacing it',
  'JSONPath negative index selects from the end': 'its JSONPath library (jsonpath-plus) finds nothing for [-1] and fails with States.Runtime; Jayway returns the last element',
  'ResultPath through a string fails with States.ResultPathMatchFailure': 'it replaces the string with an object instead of failing',
  'States.ResultPathMatchFailure is caught by States.ALL': 'it never raises States.ResultPathMatchFailure (it overwrites the string)',
  'intrinsics: StringSplit splits on every delimiter character': 'it splits on the whole delimiter string, so ".+,=" does not split "This.is+a,test=string"',
  'intrinsics: a failing function raises States.IntrinsicFailure': 'it reports intrinsic failures as States.Runtime',
  'Choice: IsPresent false matches a missing field': 'it takes the Default branch: IsPresent false does not match a missing field',
  'Fail with CausePath as an intrinsic function (AWS example)': 'it reads CausePath only as a JSONPath and fails with States.Runtime',
}

type Outcome = { output: unknown } | { error: string; cause: string }

/** Every Task state in a definition (nested branches and processors included), by state name → resource. */
function statesOfType(definition: Record<string, unknown>, type: string, found: Record<string, Record<string, unknown>> = {}): Record<string, Record<string, unknown>> {
  const states = (definition.States ?? {}) as Record<string, Record<string, unknown>>
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === type) found[name] = state
    for (const branch of (state.Branches as Record<string, unknown>[] | undefined) ?? []) statesOfType(branch, type, found)
    const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined
    if (processor) statesOfType(processor, type, found)
  }
  return found
}

async function runAwsLocal(testCase: ConformanceCase): Promise<Outcome> {
  const definition = JSON.parse(JSON.stringify(testCase.definition)) // drops undefined fields
  const machine = new StateMachine(definition, { validationOptions: { checkArn: false, checkPaths: false } })
  const stubs = Object.fromEntries(Object.entries(testCase.actions ?? {}).map(([resource, stub]) => [resource, createStub(stub)]))
  const handlers = Object.fromEntries(
    Object.entries(statesOfType(definition, 'Task')).map(([state, { Resource }]) => [state, async (input: unknown) => stubs[Resource as string].call(input)]),
  )
  // No real sleeping: every Retry interval and Wait is zero here (ctflow's run uses a fake clock instead).
  const retrying = [...Object.keys(handlers), ...Object.keys(statesOfType(definition, 'Map')), ...Object.keys(statesOfType(definition, 'Parallel'))]
  const retryIntervalOverrides = Object.fromEntries(retrying.map((state) => [state, 0]))
  const waitTimeOverrides = Object.fromEntries(Object.keys(statesOfType(definition, 'Wait')).map((state) => [state, 0]))
  try {
    const output = await machine.run(testCase.input as never, { overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides, waitTimeOverrides } }).result
    return { output }
  } catch (error) {
    if (error instanceof ExecutionError) {
      const cause = (error as Error).cause as Error
      return { error: cause.name, cause: cause.message }
    }
    return { error: 'thrown', cause: String(error) }
  }
}

function agrees(testCase: ConformanceCase, outcome: Outcome): boolean {
  const expected = testCase.expected
  if ('output' in expected) return 'output' in outcome && JSON.stringify(outcome.output) === JSON.stringify(expected.output)
  return 'error' in outcome && outcome.error === expected.error
}

const differential = conformanceCases.filter((testCase) => !testCase.notDifferential)

describe('conformance cases are valid workflows', () => {
  it.each(conformanceCases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    const definition = JSON.parse(JSON.stringify(testCase.definition))
    expect(validateWorkflow(definition, { isKnownResource: (resource) => resource in (testCase.actions ?? {}) })).toEqual([])
  })
})

describe('differential: ctflow and aws-local-stepfunctions agree', () => {
  it.each(differential.map((testCase) => [testCase.name, testCase] as const))('%s', async (name, testCase) => {
    const [ours, theirs] = await Promise.all([runThroughEngine(testCase), runAwsLocal(testCase)])
    const ourOutcome = ours.status === 'SUCCEEDED' ? { output: ours.output } : { error: ours.error }
    const theirOutcome = 'output' in theirs ? { output: theirs.output } : { error: theirs.error }
    if (name in knownDisagreements) expect(ourOutcome, `agrees now: remove "${name}" from knownDisagreements`).not.toEqual(theirOutcome)
    else expect(ourOutcome).toEqual(theirOutcome)
  })
})

describe('aws-local-stepfunctions against the AWS documentation', () => {
  it.each(differential.map((testCase) => [testCase.name, testCase] as const))('%s', async (name, testCase) => {
    const outcome = await runAwsLocal(testCase)
    if (name in knownDisagreements) expect(agrees(testCase, outcome), `now agrees: remove "${name}" from knownDisagreements`).toBe(false)
    else expect(outcome).toEqual('output' in testCase.expected ? testCase.expected : expect.objectContaining({ error: testCase.expected.error }))
  })
})
