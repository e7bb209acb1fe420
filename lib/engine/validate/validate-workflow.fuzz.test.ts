import { describe, expect, it } from 'vitest'
import { seededRandom as generator } from '../language/seeded-random'
import { validWorkflows } from './fixtures/valid-workflows'
import { validateWorkflow } from './validate-workflow'

// Deterministic mutations of valid workflows: validation must list problems, never throw.
const strangeValues: unknown[] = [null, true, 0, -1, 1.5, '', 'x', '$', '$$.', 'States.Nope(', [], [null], {}, { Type: 'Pass' }, [{}], '$.a[?(@.b', 'States.Format()']

function mutate(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((element) => (random() < 0.1 ? strangeValues[Math.floor(random() * strangeValues.length)] : mutate(element, random)))
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value)) {
      if (random() < 0.05) continue // drop a field
      copy[key] = random() < 0.1 ? strangeValues[Math.floor(random() * strangeValues.length)] : mutate(inner, random)
    }
    return copy
  }
  return value
}

describe('validateWorkflow on mutated workflows', () => {
  it('lists problems with a pointer and a message, and never throws', () => {
    const random = generator(3)
    const sources = Object.values(validWorkflows)
    let withProblems = 0
    for (let index = 0; index < 3_000; index++) {
      const definition = mutate(sources[index % sources.length], random)
      const problems = validateWorkflow(definition, { isKnownResource: (resource) => resource.startsWith('ctyun:') })
      for (const problem of problems) {
        expect(typeof problem.pointer).toBe('string')
        expect(problem.message.length).toBeGreaterThan(0)
      }
      if (problems.length > 0) withProblems++
    }
    expect(withProblems).toBeGreaterThan(1_000)
  })
})
