import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkInput } from './input-schema'

const schema = {
  type: 'object',
  required: ['regionID', 'retention'],
  additionalProperties: false,
  properties: {
    regionID: { type: 'string', minLength: 3, pattern: '^[0-9a-z]+$' },
    retention: { type: 'object', properties: { keepLast: { type: 'integer', minimum: 1 } } },
    disks: { type: 'array', minItems: 1, items: { type: 'string' } },
    mode: { enum: ['full', 'incremental'] },
  },
}

describe('checkInput', () => {
  it('accepts valid input', () => {
    expect(checkInput(schema, { regionID: 'abc1', retention: { keepLast: 3 }, disks: ['d'], mode: 'full' })).toEqual([])
  })

  it('names every problem with its JSON pointer', () => {
    expect(checkInput(schema, { regionID: 'A', retention: { keepLast: 0 }, disks: [1], mode: 'x', extra: 1 })).toEqual([
      { pointer: '/regionID', message: 'must be at least 3 characters' },
      { pointer: '/regionID', message: 'must match ^[0-9a-z]+$' },
      { pointer: '/retention/keepLast', message: 'must be ≥ 1' },
      { pointer: '/disks/0', message: 'must be string, not a number' },
      { pointer: '/mode', message: 'must be one of "full", "incremental"' },
      { pointer: '/extra', message: 'is not a known field (known: regionID, retention, disks, mode)' },
    ])
    expect(checkInput(schema, [])).toEqual([{ pointer: '/', message: 'must be object, not an array' }])
    expect(checkInput(schema, {})).toEqual([
      { pointer: '/regionID', message: 'is required' },
      { pointer: '/retention', message: 'is required' },
    ])
  })

  it("accepts every shipped workflow schema's own examples", () => {
    const dir = new URL('../../workflows/', import.meta.url)
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.schema.json'))) {
      const shipped = JSON.parse(readFileSync(new URL(file, dir), 'utf8'))
      for (const example of shipped.examples ?? []) expect(checkInput(shipped, example), file).toEqual([])
    }
  })
})
