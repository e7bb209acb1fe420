import { describe, expect, it } from 'vitest'
import { runOnAwsLocal } from './aws-local-runner'
import { conformanceCases } from './cases'
import { knownDifferences, stillDiffers } from './known-differences'
import { mismatches, show } from './outcome'

/**
 * The same cases through aws-local-stepfunctions, an independent ASL interpreter. A case it gets right must match the
 * AWS documentation; a case it gets wrong must be listed in known-differences.ts and still fail the recorded way.
 */
const differential = conformanceCases.filter((c) => c.differential !== false)
const known = new Map(knownDifferences.map((entry) => [entry.case, entry]))

describe('differential: aws-local-stepfunctions against the AWS documentation', () => {
  it('lists only known differences that name a differential case', () => {
    const names = new Set(differential.map((c) => c.name))
    expect(knownDifferences.map((entry) => entry.case).filter((name) => !names.has(name))).toEqual([])
  })

  it.concurrent.each(differential.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const outcome = await runOnAwsLocal(c)
    const difference = known.get(name)
    if (!difference) {
      expect(
        mismatches(c.expect, outcome),
        `aws-local disagrees with the AWS docs: list it in known-differences.ts if the case is right`,
      ).toEqual([])
      return
    }
    expect(
      mismatches(c.expect, outcome),
      'listed as a known difference, but aws-local now agrees with the AWS docs: remove the entry',
    ).not.toEqual([])
    expect(stillDiffers(difference, outcome), `aws-local differs another way than recorded: ${show(outcome)}`).toBe(
      true,
    )
  })
})
