import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkInput, InputSchemaError, inputSchemaProblems } from './input-schema'

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

/** A closed object with a closed object inside, as the shipped schemas are. */
const closed = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['regionID'],
  additionalProperties: false,
  properties: {
    regionID: { type: 'string' },
    retention: { type: 'object', additionalProperties: false, properties: { keepLast: { type: 'integer' } } },
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

  // JSON.parse, as the HTTP app and the CLI read input: it makes `__proto__` an own property, not the prototype.
  it.each([
    ['toString at the top', '{"regionID":"r","toString":"x"}', '/toString'],
    ['constructor at the top', '{"regionID":"r","constructor":{"name":"x"}}', '/constructor'],
    ['__proto__ at the top', '{"regionID":"r","__proto__":{"polluted":true}}', '/__proto__'],
    ['toString one level down', '{"regionID":"r","retention":{"toString":1}}', '/retention/toString'],
    ['constructor one level down', '{"regionID":"r","retention":{"constructor":1}}', '/retention/constructor'],
    ['__proto__ one level down', '{"regionID":"r","retention":{"__proto__":{"keepLast":"x"}}}', '/retention/__proto__'],
  ])('refuses %s under additionalProperties: false, naming it', (_name, json, pointer) => {
    const problems = checkInput(closed, JSON.parse(json))
    expect(problems).toEqual([{ pointer, message: expect.stringMatching(/^is not a known field/) }])
  })

  it('does not count a prototype member as a required field that is present', () => {
    const schemaNeedingToString = { type: 'object', required: ['toString', 'constructor'] }
    expect(checkInput(schemaNeedingToString, {})).toEqual([
      { pointer: '/toString', message: 'is required' },
      { pointer: '/constructor', message: 'is required' },
    ])
  })

  it('follows $ref into $defs and applies pattern there', () => {
    const withRefs = {
      type: 'object',
      $defs: { id: { type: 'string', pattern: '^[a-z0-9-]+$' } },
      properties: { regionID: { $ref: '#/$defs/id' }, diskIDs: { type: 'array', items: { $ref: '#/$defs/id' } } },
    }
    expect(checkInput(withRefs, { regionID: 'cn-east-1', diskIDs: ['d-1'] })).toEqual([])
    expect(checkInput(withRefs, { regionID: 'CN East', diskIDs: ['d-1', 'D/2'] })).toEqual([
      { pointer: '/regionID', message: 'must match ^[a-z0-9-]+$' },
      { pointer: '/diskIDs/1', message: 'must match ^[a-z0-9-]+$' },
    ])
  })

  it('applies anyOf and oneOf, saying why each alternative failed', () => {
    const target = {
      type: 'object',
      properties: {
        disks: {
          anyOf: [
            { type: 'string', enum: ['all'] },
            { type: 'array', items: { type: 'string' }, minItems: 1 },
          ],
        },
        size: { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 10 }] },
      },
    }
    expect(checkInput(target, { disks: 'all' })).toEqual([])
    expect(checkInput(target, { disks: ['d-1'], size: 12.5 })).toEqual([])
    expect(checkInput(target, { disks: 'some' })).toEqual([
      {
        pointer: '/disks',
        message:
          'must match at least one of the allowed shapes (anyOf): (1) must be one of "all"; (2) must be array, not a string',
      },
    ])
    expect(checkInput(target, { disks: [] })).toEqual([
      {
        pointer: '/disks',
        message:
          'must match at least one of the allowed shapes (anyOf): (1) must be string, not an array; (2) must have at least 1 items',
      },
    ])
    // 12 is an integer and a number ≥ 10: two alternatives match, which oneOf forbids.
    expect(checkInput(target, { size: 12 })).toEqual([
      { pointer: '/size', message: 'must match exactly one of the allowed shapes (oneOf), but matches 2' },
    ])
  })

  it('applies enum and const with deep equality', () => {
    const choice = { type: 'object', properties: { mode: { enum: ['full', { level: 1 }] }, version: { const: 2 } } }
    expect(checkInput(choice, { mode: { level: 1 }, version: 2 })).toEqual([])
    expect(checkInput(choice, { mode: { level: 2 }, version: '2' })).toEqual([
      { pointer: '/mode', message: 'must be one of "full", {"level":1}' },
      { pointer: '/version', message: 'must be 2' },
    ])
  })

  it('names fields whose names need escaping in a JSON pointer', () => {
    expect(
      checkInput({ type: 'object', additionalProperties: false }, { 'a/b': 1, 'c~d': 2, 'e f': 3 }).map(
        (p) => p.pointer,
      ),
    ).toEqual(['/a~1b', '/c~0d', '/e f'])
  })

  it('refuses, rather than crashes on, a field name that is not valid Unicode', () => {
    expect(checkInput(closed, JSON.parse('{"regionID":"r","retention":{"\\ud800":1}}'))).toEqual([
      { pointer: '/retention', message: 'has a field name that is not valid Unicode (a lone surrogate escape)' },
    ])
  })

  it('refuses, rather than crashes on, input nested deeper than a recursive schema can follow', () => {
    const tree = { $defs: { node: { type: 'array', items: { $ref: '#/$defs/node' } } }, $ref: '#/$defs/node' }
    expect(checkInput(tree, [[[]], []])).toEqual([])
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000))
    expect(checkInput(tree, deep)).toEqual([
      { pointer: '/', message: 'is nested too deeply to be checked against the schema' },
    ])
  })

  it('leaves the caller’s schema as it was (it may be frozen and is shown by GET /workflows)', () => {
    const frozen = Object.freeze(structuredClone(closed))
    const before = JSON.stringify(frozen)
    expect(checkInput(frozen, { regionID: 'r' })).toEqual([])
    expect(JSON.stringify(frozen)).toBe(before)
    expect(Object.getOwnPropertyNames(frozen)).toEqual(Object.keys(closed))
  })

  it('throws InputSchemaError, naming the schema pointer, for a schema it cannot apply', () => {
    expect(() => checkInput({ properties: { a: { $ref: '#/$defs/missing' } } }, { a: 1 })).toThrow(InputSchemaError)
    expect(() => checkInput({ properties: { a: { $ref: '#/$defs/missing' } } }, { a: 1 })).toThrow(
      /\/properties\/a\/\$ref "#\/\$defs\/missing" resolves to nothing/,
    )
  })

  it("accepts every shipped workflow schema's own examples", () => {
    const dir = new URL('../../workflows/', import.meta.url)
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.schema.json'))) {
      const shipped = JSON.parse(readFileSync(new URL(file, dir), 'utf8'))
      expect(inputSchemaProblems(shipped), file).toEqual([])
      expect(shipped.examples?.length, file).toBeGreaterThan(0)
      for (const example of shipped.examples) expect(checkInput(shipped, example), file).toEqual([])
    }
  })
})

describe('inputSchemaProblems', () => {
  it('lists what is wrong with a schema, with pointers into it', () => {
    expect(
      inputSchemaProblems({
        type: 'object',
        required: 'regionID',
        properties: { a: { type: 'strng' }, b: { pattern: '(' }, c: { minimum: '1' }, d: { anyOf: [] } },
        patternProperties: { '[': true },
      }),
    ).toEqual([
      { pointer: '/required', message: 'must be a list of field names' },
      { pointer: '/properties/a/type', message: expect.stringMatching(/^must be one of array, boolean/) },
      { pointer: '/properties/b/pattern', message: '"(" is not a regular expression (Unicode mode)' },
      { pointer: '/properties/c/minimum', message: 'must be a number' },
      { pointer: '/properties/d/anyOf', message: 'must be a non-empty list of schemas' },
      { pointer: '/patternProperties/[', message: '"[" is not a regular expression (Unicode mode)' },
    ])
  })

  it('finds a $ref that resolves to nothing, and an unknown $schema', () => {
    expect(inputSchemaProblems({ properties: { a: { $ref: '#/$defs/nope' } } })).toEqual([
      { pointer: '/properties/a/$ref', message: '"#/$defs/nope" resolves to nothing in this schema' },
    ])
    expect(inputSchemaProblems({ $schema: 'https://example.com/my-dialect' })).toEqual([
      { pointer: '/$schema', message: expect.stringMatching(/^is not a JSON Schema dialect this checker knows/) },
    ])
    expect(inputSchemaProblems(42)).toEqual([
      { pointer: '', message: 'must be a JSON Schema (an object or a boolean)' },
    ])
  })

  it('accepts drafts 4, 7, 2019-09 and 2020-12, and boolean schemas', () => {
    for (const dialect of [
      'http://json-schema.org/draft-04/schema#',
      'http://json-schema.org/draft-07/schema#',
      'https://json-schema.org/draft/2019-09/schema',
      'https://json-schema.org/draft/2020-12/schema',
    ]) {
      expect(inputSchemaProblems({ $schema: dialect, type: 'object' }), dialect).toEqual([])
    }
    expect(inputSchemaProblems(true)).toEqual([])
    expect(checkInput(false, {})).toEqual([{ pointer: '/', message: 'is not allowed' }])
  })
})
