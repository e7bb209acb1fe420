import { describe, expect, it } from 'vitest'
import { assembleEngine } from './assemble-engine'
import { createEngine } from './create-engine'
import type { WorkflowDefinition } from './interpreter/definition'
import { createMemoryStore } from './stores/memory-store'
import { validateWorkflow } from './validate'

const PASS = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as WorkflowDefinition
const BROKEN_SCHEMA = { type: 'object', properties: { diskID: { $ref: '#/$defs/diskID' } } }

describe('input schemas', () => {
  it('refuses, when the engine is created, a workflow whose input schema cannot be applied', () => {
    expect(() =>
      createEngine({
        store: createMemoryStore(),
        workflows: [{ name: 'wf', definition: PASS, inputSchema: BROKEN_SCHEMA }],
      }),
    ).toThrow(/wf wf\.schema\.json#\/properties\/diskID\/\$ref: "#\/\$defs\/diskID" resolves to nothing in this schema/)
  })

  it('without the check at creation (a function bundle), reports a broken schema at start as the workflow’s fault, not the input’s', async () => {
    const store = createMemoryStore()
    const engine = assembleEngine({
      store,
      validate: validateWorkflow,
      workflows: [{ name: 'wf', definition: PASS, inputSchema: BROKEN_SCHEMA }],
    })
    // Not an *InputError: the HTTP app must answer 500 (and log it), not blame the caller with a 400.
    await expect(engine.start({ workflow: 'wf', input: { diskID: 'd-1' } })).rejects.toMatchObject({
      name: 'WorkflowError',
      message: expect.stringMatching(/resolves to nothing/),
    })
    expect((await store.list({})).runs).toEqual([])
  })

  it('refuses an input that hides an unknown field behind a prototype name, naming the field; nothing is created', async () => {
    const store = createMemoryStore()
    const inputSchema = { type: 'object', additionalProperties: false, properties: { regionID: { type: 'string' } } }
    const engine = createEngine({ store, workflows: [{ name: 'wf', definition: PASS, inputSchema }] })
    await expect(
      engine.start({ workflow: 'wf', input: JSON.parse('{"regionID":"r","__proto__":{"admin":true}}') }),
    ).rejects.toMatchObject({
      name: 'EngineInputError',
      field: 'input/__proto__',
      message: expect.stringMatching(/\/__proto__ is not a known field \(known: regionID\)/),
    })
    expect((await store.list({})).runs).toEqual([])
  })
})
