import { describe, expect, it } from 'vitest'
import { conformanceCases } from './cases'
import { runThroughEngine } from './run-through-engine'

describe('conformance: ctflow engine against the AWS documentation', () => {
  it.each(conformanceCases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const outcome = await runThroughEngine(testCase)
    if ('output' in testCase.expected) {
      expect({ status: outcome.status, output: outcome.output, error: outcome.error, cause: outcome.cause }).toEqual({
        status: 'SUCCEEDED',
        output: testCase.expected.output,
        error: undefined,
        cause: undefined,
      })
    } else {
      expect(outcome).toMatchObject({ status: 'FAILED', error: testCase.expected.error })
      if (testCase.expected.causeIncludes) expect(outcome.cause).toContain(testCase.expected.causeIncludes)
    }
  })

  it('calls a flaky task three times before it succeeds, and an exhausted one 1 + MaxAttempts times', async () => {
    const flaky = conformanceCases.find((testCase) => testCase.name.startsWith('Retry: a flaky task'))!
    expect((await runThroughEngine(flaky)).calls).toEqual({ 'test:flaky': 3 })
    const exhausted = conformanceCases.find((testCase) => testCase.name.startsWith('Retry exhausted'))!
    expect((await runThroughEngine(exhausted)).calls).toEqual({ 'test:broken': 3 })
  })
})
