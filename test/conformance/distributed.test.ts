import { describe, expect, it } from 'vitest'
import { conformanceCases } from './cases'
import { allStates, type AslDefinition, type ConformanceCase } from './conformance-case'
import { runOnEngine } from './engine-runner'
import { mismatches } from './outcome'

/**
 * Every conformance case with a Map, run again with each Map made DISTRIBUTED (ProcessorConfig.Mode): its items become
 * child runs (lib/engine/interpreter/child-runs.ts), and the documented outcome must not change.
 */
const EXCEPTIONS: Record<string, string> = {
  // As in Step Functions, whose distributed Map starts child executions: a child's execution input is its item.
  'context: $$.Execution.Input is visible inside a Map iteration':
    "a child run's $$.Execution.Input is its own input (the item)",
  // The stub counts calls per run and state; the retried Map starts new child runs, so its count starts over. The
  // retry itself (fresh child runs per attempt) is pinned in lib/engine/distributed-map.test.ts.
  'map: Retry re-runs the iterations': 'the stub counts failures per run; each Map attempt has new child runs',
}

function distributedCopy(c: ConformanceCase): ConformanceCase | undefined {
  const definition = structuredClone(c.definition) as AslDefinition
  let maps = 0
  for (const [, state] of allStates(definition)) {
    if (state.Type !== 'Map') continue
    const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined
    if (!processor || typeof processor !== 'object') continue
    processor.ProcessorConfig = { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }
    maps++
  }
  return maps > 0 ? { ...c, name: `${c.name} [DISTRIBUTED]`, definition } : undefined
}

const cases = conformanceCases.flatMap((c) => {
  const copy = distributedCopy(c)
  return copy && !(c.name in EXCEPTIONS) ? [[copy.name, copy] as const] : []
})

describe('conformance: Map cases with DISTRIBUTED item processors', () => {
  it('covers the Map cases; every exception names a case that exists', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20)
    for (const name of Object.keys(EXCEPTIONS))
      expect(
        conformanceCases.some((c) => c.name === name),
        name,
      ).toBe(true)
  })

  it.concurrent.each(cases)('%s', async (_name, c) => {
    expect(mismatches(c.expect, await runOnEngine(c))).toEqual([])
  })
})
