import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { allStates, expectsError } from './conformance-case'
import { conformanceCases } from './cases'
import { parseStubResource } from './stub-resources'

// asl-validator ships no type declarations; this is the part of its API we use.
type AslValidator = (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errors: unknown[] }
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator

/**
 * Cases asl-validator 4.0.0 wrongly rejects, with why the case is right. Asserted (not skipped), so a fixed validator is noticed.
 */
const aslValidatorGaps: Record<string, string> = {
  'intrinsic: States.Format with escaped quote, braces and backslash':
    "its intrinsic grammar has no escaped backslash (\\\\) inside a string literal; AWS lists ' { } \\ as reserved characters escaped with a backslash (intrinsic-functions.html, 'Reserved characters in intrinsic functions')",
}

/** The suite itself: well-formed data that another ASL tool accepts, so a failing case is about an engine, not the case. */
describe('conformance suite (data)', () => {
  it('has 150+ cases with unique names and a documentation source each', () => {
    expect(conformanceCases.length).toBeGreaterThanOrEqual(150)
    const names = conformanceCases.map((c) => c.name)
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([])
    for (const c of conformanceCases)
      expect(c.doc, c.name).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|states-language\.net)\//)
  })

  it('expects either an output or an error name', () => {
    for (const c of conformanceCases) {
      const ok = expectsError(c.expect) ? /^[A-Za-z][\w.]*$/.test(c.expect.error) : 'output' in c.expect
      expect(ok, c.name).toBe(true)
    }
  })

  it('names only stub resources from stub-resources.ts in Task states', () => {
    for (const c of conformanceCases) {
      for (const [state, definition] of allStates(c.definition)) {
        if (definition.Type === 'Task')
          expect(parseStubResource(String(definition.Resource)), `${c.name} / ${state}`).toBeDefined()
      }
    }
  })

  it.each(conformanceCases.map((c) => [c.name, c] as const))('asl-validator accepts "%s"', (name, c) => {
    const { errors } = aslValidator(c.definition, { checkArn: false, checkPaths: true })
    if (aslValidatorGaps[name]) expect(errors, aslValidatorGaps[name]).not.toEqual([])
    else expect(errors).toEqual([])
  })
})
