import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CtyunClient } from '../../lib/ctyun'
import { validWorkflows } from '../../lib/engine/validate/fixtures/valid-workflows'
import { parseWorkflowJson, validateWorkflow } from '../../lib/engine/validate'
import { createProductActions } from '../../lib/jobs/product-actions'

// asl-validator ships no type declarations; this is the part of its API we use.
type AslValidator = (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errors: unknown[] }
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator

const workflowsDir = join(import.meta.dirname, '../../workflows')
const shipped = (() => {
  try {
    return readdirSync(workflowsDir).filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
  } catch {
    return []
  }
})()

// ARN checks off: ctflow resources are `ctyun:…` names, not AWS ARNs.
const aslOptions = { checkArn: false, checkPaths: true }
// The registry the engine runs with (ctyun:* and ctflow:*); an empty client, as no action is called here.
const unusedClient = new Proxy({}, { get: () => ({}) }) as CtyunClient
const known = new Set(createProductActions(unusedClient).names())
const isKnownResource = (resource: string) => known.has(resource)

describe('shipped workflows (workflows/*.json)', () => {
  it('finds the shipped workflows', () => {
    expect(shipped.length).toBeGreaterThan(0)
  })

  it.each(shipped)('%s passes ctflow validate and asl-validator', (file) => {
    const { definition, problems } = parseWorkflowJson(readFileSync(join(workflowsDir, file), 'utf8'))
    expect(problems).toEqual([])
    expect(validateWorkflow(definition, { isKnownResource })).toEqual([])
    expect(aslValidator(definition, aslOptions).errors).toEqual([])
  })
})

describe('asl-validator agrees with our validator', () => {
  it.each(Object.entries(validWorkflows))('on the valid workflow "%s"', (_name, definition) => {
    expect(validateWorkflow(definition, { isKnownResource })).toEqual([])
    expect(aslValidator(definition, aslOptions).errors).toEqual([])
  })

  it('on an invalid one (a Next naming no state)', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } }
    expect(validateWorkflow(definition, { isKnownResource })).not.toEqual([])
    expect(aslValidator(definition, aslOptions).isValid).toBe(false)
  })
})
