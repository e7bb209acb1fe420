import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_THROTTLE_CODES } from '../../lib/ctyun/retry'
import { CtyunTaskErrorNames } from '../../lib/ctyun-actions'
import { StatesErrorNames } from '../../lib/engine/language'
import { ASSUMED_ERROR_CODES } from '../../lib/simulator'
import { SHIPPED_WORKFLOWS } from '../../workflows/shipped'
import { WORKFLOWS_DIR } from './job-harness'

function errorEqualsOf(definition: unknown): string[] {
  const names: string[] = []
  JSON.stringify(definition, (key, value: unknown) => {
    if (key === 'ErrorEquals' && Array.isArray(value)) names.push(...(value as string[]))
    return value
  })
  return names
}

/** Every ErrorEquals entry names an error that can happen: a misspelt name would silently never match. */
describe('error names in the shipped workflows', () => {
  const known = new Set<string>([
    ...Object.values(CtyunTaskErrorNames),
    ...Object.values(StatesErrorNames),
    'Job.InvalidInput',
  ])
  // CTyun's own errorCodes pass through as names (e.g. ebs.order.inProgress); they start with a service prefix.
  const ctyunCode = /^(Openapi|Image|ebs|Ecs|backup|Vpc)\.[A-Za-z.]+$/

  for (const workflow of SHIPPED_WORKFLOWS) {
    it(`${workflow.name}: every ErrorEquals entry is a known ctflow/ASL name or a CTyun errorCode`, () => {
      const names = errorEqualsOf(workflow.definition)
      expect(names.length).toBeGreaterThan(0)
      for (const name of names)
        expect(known.has(name) || (ctyunCode.test(name) && !name.startsWith('Ctyun.')), name).toBe(true)
    })
  }
})

/**
 * No Retry or Catch of a workflow may rest on an error code no source names (shared/ctyun-api.md §8.3): the cloud may
 * spell it differently, and the retry would then never happen. Such decisions are made from the resource's state.
 */
describe('no shipped workflow decides on an assumed error code', () => {
  const files = readdirSync(WORKFLOWS_DIR).filter((file) => file.endsWith('.json') && !file.endsWith('.schema.json'))
  const assumed = new Set([...ASSUMED_ERROR_CODES, ...DEFAULT_THROTTLE_CODES])

  it('finds the workflow files', () => {
    expect(files.length).toBeGreaterThanOrEqual(SHIPPED_WORKFLOWS.length)
  })

  for (const file of files) {
    it(`${file}: no ErrorEquals names an assumed code`, () => {
      const named = errorEqualsOf(JSON.parse(readFileSync(join(WORKFLOWS_DIR, file), 'utf8')))
      expect(named.filter((name) => assumed.has(name))).toEqual([])
    })
  }
})
