import { describe, expect, it } from 'vitest'
import { loadWorkflows } from '../../lib/engine/workflows'
import { SHIPPED_WORKFLOWS } from '../../workflows/shipped'
import { WORKFLOWS_DIR, startJobHarness } from './job-harness'

interface InputSchema {
  required?: string[]
  properties: Record<string, unknown>
  examples: unknown[]
}

describe('shipped workflows', () => {
  it('bundles exactly the files in workflows/ (a new file must be added to shipped.ts)', async () => {
    expect(await loadWorkflows(WORKFLOWS_DIR)).toEqual([...SHIPPED_WORKFLOWS])
  })

  const examples = SHIPPED_WORKFLOWS.flatMap((workflow) =>
    (workflow.inputSchema as InputSchema).examples.map((input, i) => ({ workflow, input, i })),
  )

  it.each(examples)(
    '$workflow.name example $i matches its schema and runs to SUCCEEDED against the simulator',
    async ({ workflow, input }) => {
      const schema = workflow.inputSchema as InputSchema
      for (const field of schema.required ?? []) expect(input).toHaveProperty(field)
      for (const field of Object.keys(input as object)) expect(Object.keys(schema.properties)).toContain(field)
      const harness = await startJobHarness()
      try {
        const run = await harness.run(workflow.name, input)
        expect(run.error).toBeUndefined()
        expect(run.status).toBe('SUCCEEDED')
      } finally {
        await harness.close()
      }
    },
  )
})
