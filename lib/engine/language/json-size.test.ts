import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isTooDeep, MAX_JSON_DEPTH, measureJson } from './json-size'

const exact = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? 'null')

describe('measureJson', () => {
  it.each([
    ['null', null],
    [
      'booleans and numbers',
      [true, false, 0, -0, 7, -12.5, 1e21, 1e-7, 123456789, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY],
    ],
    ['escapes', '" \\ \b \f \n \r \t \u0001 \u001f /'],
    ['UTF-8', 'é ü 天翼云 😀'],
    ['lone surrogates', '\ud800 x \udc00'],
    [
      'objects, members JSON drops, arrays with holes JSON fills',
      { a: 1, b: undefined, c: () => 1, d: [undefined, () => 1, 2], '"k"': {} },
    ],
    ['a Date (toJSON)', { at: new Date(0) }],
    [
      'nested',
      {
        list: [
          { id: 'd-1', size: 40 },
          { id: 'd-2', tags: ['a', 'b'], meta: null },
        ],
        empty: [],
        none: {},
      },
    ],
  ])('is the byte length of JSON.stringify: %s', (_name, value) => {
    expect(measureJson(value, 1_000_000)).toEqual({ bytes: exact(value) })
  })

  it('is the byte length of JSON.stringify for generated JSON values (fast-check, seeded)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(measureJson(value, Number.MAX_SAFE_INTEGER)).toEqual({ bytes: exact(value) })
      }),
      { seed: 42, numRuns: 2_000 },
    )
  })

  it('says "over" as soon as the limit is passed, at most the limit and one value later', () => {
    expect(measureJson('x'.repeat(100), 101)).toEqual({ bytes: 102, over: 'bytes' })
    expect(measureJson('x'.repeat(99), 101)).toEqual({ bytes: 101 })
    const measure = measureJson(
      Array.from({ length: 1_000 }, () => 'abcdefgh'),
      100,
    )
    expect(measure.over).toBe('bytes')
    expect(measure.bytes).toBeLessThan(1_000 + 120)
  })

  it('gives up on a value that is exponential as JSON but small in memory, without walking it', () => {
    // 2^80 copies of "x" as JSON: JSON.stringify would never finish; the walk stops past the limit.
    let value: unknown = 'x'
    for (let i = 0; i < 80; i++) value = { a: value, b: value }
    const measure = measureJson(value, 262_144)
    expect(measure.over).toBe('bytes')
    expect(measure.bytes).toBeLessThan(262_144 * 2)
  })

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, without a stack overflow however deep`, () => {
    const deep = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`)
    expect(measureJson(deep(MAX_JSON_DEPTH), 1e9)).toEqual({ bytes: 2 * MAX_JSON_DEPTH })
    expect(measureJson(deep(MAX_JSON_DEPTH + 1), 1e9).over).toBe('depth')
    expect(measureJson(deep(100_000), 1e9).over).toBe('depth')
    expect(isTooDeep(deep(100_000))).toBe(true)
    expect(isTooDeep(deep(MAX_JSON_DEPTH))).toBe(false)
  })

  it('measures again, with remembered: false, an object someone changed since (an action handing back its cache)', () => {
    const value: { rows: string[] } = { rows: ['x'.repeat(10_000)] }
    expect(measureJson(value, 1e6).bytes).toBe(10_013)
    value.rows.push('y'.repeat(10_000))
    expect(measureJson(value, 1e6, { remembered: false }).bytes).toBe(Buffer.byteLength(JSON.stringify(value)))
  })

  it('remembers the size of a large object it measured (a state passing its input on measures it once)', () => {
    const value = { blob: 'y'.repeat(10_000) }
    expect(measureJson(value, 1e6)).toEqual({ bytes: 10_011 })
    expect(measureJson(value, 10_000).over).toBe('bytes')
    expect(measureJson(value, 20_000)).toEqual({ bytes: 10_011 })
  })
})
