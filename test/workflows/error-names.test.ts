import { describe, expect, it } from 'vitest'
import { TaskErrorNames } from '../../lib/engine/actions/task-errors'
import { StatesErrorNames } from '../../lib/engine/language'
import { SHIPPED_WORKFLOWS } from '../../workflows/shipped'

/** Every ErrorEquals entry names an error that can happen: a misspelt name would silently never match. */
describe('error names in the shipped workflows', () => {
  const known = new Set<string>([...Object.values(TaskErrorNames), ...Object.values(StatesErrorNames), 'Job.InvalidInput'])
  // CTyun's own errorCodes pass through as names (e.g. Openapi.Eip.StatusNotAllowed); they start with a service prefix.
  const ctyunCode = /^(Openapi|Image|ebs|Ecs|backup|Vpc)\.[A-Za-z.]+$/

  for (const workflow of SHIPPED_WORKFLOWS) {
    it(`${workflow.name}: every ErrorEquals entry is a known ctflow/ASL name or a CTyun errorCode`, () => {
      const names: string[] = []
      JSON.stringify(workflow.definition, (key, value: unknown) => {
        if (key === 'ErrorEquals') names.push(...(value as string[]))
        return value
      })
      expect(names.length).toBeGreaterThan(0)
      for (const name of names) expect(known.has(name) || (ctyunCode.test(name) && !name.startsWith('Ctyun.')), name).toBe(true)
    })
  }
})
