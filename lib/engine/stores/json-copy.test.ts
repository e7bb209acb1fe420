import { describe, expect, it } from 'vitest'
import { copyJson } from './json-copy'

describe('copyJson', () => {
  const samples: unknown[] = [
    null,
    0,
    -1.5,
    'text',
    true,
    [],
    {},
    { a: [1, 'b', { c: null }], d: { e: { f: [true, false] } } },
    { gone: undefined, fn: () => 1, sym: Symbol('s'), kept: 1 },
    [undefined, () => 1, Symbol('s'), Number.NaN, Number.POSITIVE_INFINITY],
    { at: new Date(0), nested: { when: new Date(1000) } },
    { toJSON: () => ({ replaced: true }) },
    Object.assign(Object.create(null), { bare: 1 }),
    new (class Point {
      constructor(
        readonly x = 1,
        readonly y = 2,
      ) {}
    })(),
    new Map([['a', 1]]),
    JSON.parse('{"__proto__": {"polluted": true}, "x": 1}'),
  ]

  it.each(samples.map((sample) => [sample]))('gives what a JSON round trip gives: %o', (sample) => {
    const text = JSON.stringify(sample)
    expect(copyJson(sample)).toStrictEqual(text === undefined ? undefined : JSON.parse(text))
  })

  it('gives undefined for undefined and functions, as JSON.stringify does', () => {
    expect(copyJson(undefined)).toBeUndefined()
    expect(copyJson(() => 1)).toBeUndefined()
  })

  it('shares nothing with the original', () => {
    const original = { list: [{ n: 1 }], inner: { deep: { v: 'x' } } }
    const copied = copyJson(original)
    copied.list[0]!.n = 2
    copied.inner.deep.v = 'y'
    expect(original).toEqual({ list: [{ n: 1 }], inner: { deep: { v: 'x' } } })
  })

  it('keeps a "__proto__" member as a member, never as the prototype', () => {
    const copied = copyJson(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype)
    expect(Object.keys(copied)).toEqual(['__proto__'])
    expect((copied as { polluted?: unknown }).polluted).toBeUndefined()
  })

  it('refuses a bigint as JSON does', () => {
    expect(() => copyJson({ big: 1n })).toThrow(TypeError)
  })
})
