import { describe, expect, it } from 'vitest'
import { createActionRegistry } from './actions/registry'
import { conformanceCases as cases } from './conformance/cases'
import { createStub } from './conformance/conformance-case'
import { runWorkflow } from './testing/run-workflow'

// The conformance suite (lib/engine/conformance/cases.ts, written from the AWS documentation) through ctflow's engine.
describe('engine conformance', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const actions = createActionRegistry()
      for (const [name, stub] of Object.entries(c.actions ?? {})) {
        const instance = createStub(stub)
        actions.register(name, { call: (input) => instance.call(input) })
      }
      const { run } = await runWorkflow(c.definition, c.input, { actions })
      if ('output' in c.expected) {
        expect(run.error, `${c.source}`).toBeUndefined()
        expect(run.output).toEqual(c.expected.output)
      } else {
        expect(run.error?.error, `${c.source}: ${run.error?.cause}`).toBe(c.expected.error)
        if (c.expected.causeIncludes) expect(run.error?.cause).toContain(c.expected.causeIncludes)
      }
    })
  }
})
