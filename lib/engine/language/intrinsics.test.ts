import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { emptyContextObject as context } from './context-object'
import { evaluateIntrinsic, IntrinsicSyntaxError, parseIntrinsic } from './intrinsics'
import { caughtStatesError } from '../testing/caught-states-error'

const run = (expression: string, input: unknown = {}, random?: () => number) =>
  evaluateIntrinsic(expression, input, context, random)

const failure = (expression: string, input: unknown = {}) =>
  caughtStatesError(() => run(expression, input), `expected ${expression} to fail`)

const digits = [1, 2, 3, 4, 5, 6, 7, 8, 9]

// Examples from the AWS Step Functions Developer Guide, "Intrinsic functions for JSONPath states".
describe('intrinsic functions (AWS examples)', () => {
  it.each<[string, unknown, unknown]>([
    ["States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' }, 'Hello, my name is Arnav.'],
    ['States.StringToJson($.escapedJsonString)', { escapedJsonString: '{"foo": "bar"}' }, { foo: 'bar' }],
    ['States.JsonToString($.unescapedJson)', { unescapedJson: { foo: 'bar' } }, '{"foo":"bar"}'],
    [
      "States.Array('Foo', 2020, $.someJson, null)",
      { someJson: { random: 'abcdefg' } },
      ['Foo', 2020, { random: 'abcdefg' }, null],
    ],
    [
      'States.ArrayPartition($.inputArray, 4)',
      { inputArray: [1, 2, 3, 4, 5, 6, 7, 9] },
      [
        [1, 2, 3, 4],
        [5, 6, 7, 9],
      ],
    ],
    ['States.ArrayContains($.inputArray, $.lookingFor)', { inputArray: digits, lookingFor: 5 }, true],
    ['States.ArrayContains($.inputArray, $.lookingFor)', { inputArray: [{ a: 1 }], lookingFor: { a: 1 } }, true],
    ['States.ArrayRange(1, 9, 2)', {}, [1, 3, 5, 7, 9]],
    ['States.ArrayRange(9, 1, -3)', {}, [9, 6, 3]],
    ['States.ArrayGetItem($.inputArray, $.index)', { inputArray: digits, index: 5 }, 6],
    ['States.ArrayLength($.inputArray)', { inputArray: digits }, 9],
    ['States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] }, [1, 2, 3, 4]],
    ['States.Base64Encode($.input)', { input: 'Data to encode' }, 'RGF0YSB0byBlbmNvZGU='],
    ['States.Base64Decode($.base64)', { base64: 'RGF0YSB0byBlbmNvZGU=' }, 'Data to encode'],
    [
      'States.Hash($.Data, $.Algorithm)',
      { Data: 'input data', Algorithm: 'SHA-1' },
      'aaff4a450a104cd177d28d18d74485e8cae074b7',
    ],
    [
      'States.JsonMerge($.json1, $.json2, false)',
      { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } },
      { a: { a3: 1, a4: 2 }, b: 2, c: 3 },
    ],
    ['States.MathAdd($.value1, $.step)', { value1: 111, step: -1 }, 110],
    [
      'States.StringSplit($.inputString, $.splitter)',
      { inputString: '1,2,3,4,5', splitter: ',' },
      ['1', '2', '3', '4', '5'],
    ],
    [
      'States.StringSplit($.inputString, $.splitter)',
      { inputString: 'This.is+a,test=string', splitter: '.+,=' },
      ['This', 'is', 'a', 'test', 'string'],
    ],
  ])('%s', (expression, input, expected) => {
    expect(run(expression, input)).toEqual(expected)
  })

  it('merges deeply when the third argument is true (ASL spec)', () => {
    const input = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } }
    expect(run('States.JsonMerge($.json1, $.json2, true)', input)).toEqual({
      a: { a1: 1, a2: 2, a3: 1, a4: 2 },
      b: 2,
      c: 3,
    })
    expect(input.json1).toEqual({ a: { a1: 1, a2: 2 }, b: 2 })
  })

  it('hashes the stringified form of a non-string argument', () => {
    expect(run("States.Hash($.obj, 'MD5')", { obj: { a: 1 } })).toBe(createHash('md5').update('{"a":1}').digest('hex'))
  })

  it('hashes with every documented algorithm', () => {
    for (const [name, node] of [
      ['MD5', 'md5'],
      ['SHA-1', 'sha1'],
      ['SHA-256', 'sha256'],
      ['SHA-384', 'sha384'],
      ['SHA-512', 'sha512'],
    ]) {
      expect(run(`States.Hash('abc', '${name}')`)).toBe(createHash(node).update('abc').digest('hex'))
    }
  })

  it('returns a random integer in [start, end), the same one for the same seed', () => {
    expect(run('States.MathRandom(1, 999)', {}, () => 0)).toBe(1)
    expect(run('States.MathRandom(1, 999)', {}, () => 0.999999)).toBe(998)
    const seeded = run('States.MathRandom(1, 999, 1234)')
    expect(seeded).toBe(run('States.MathRandom(1, 999, 1234)'))
    expect(seeded).toBeGreaterThanOrEqual(1)
    expect(seeded).toBeLessThan(999)
  })

  it('makes RFC 4122 version 4 UUIDs, deterministic for a given random source', () => {
    const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    expect(run('States.UUID()')).toMatch(uuidPattern)
    expect(run('States.UUID()', {}, () => 0.5)).toMatch(uuidPattern)
    expect(run('States.UUID()', {}, () => 0.5)).toBe(run('States.UUID()', {}, () => 0.5))
  })
})

describe('States.Format escapes and nesting', () => {
  it('keeps escaped braces and quotes literal', () => {
    expect(run("States.Format('\\{\\} {} it\\'s \\\\', $.a)", { a: 1 })).toBe("{} 1 it's \\")
  })

  it('formats strings, numbers, booleans and null, and a template read from a path', () => {
    expect(run("States.Format('{} {} {} {}', 'a', 1.5, true, null)")).toBe('a 1.5 true null')
    expect(run('States.Format($.template, $.v)', { template: 'v={}', v: 'x' })).toBe('v=x')
  })

  it('nests calls and reads the context object', () => {
    expect(run("States.Format('{} items', States.ArrayLength(States.ArrayUnique($.a)))", { a: [1, 1, 2] })).toBe(
      '2 items',
    )
    expect(run('States.JsonToString($$.State.RetryCount)')).toBe('0')
  })

  it('accepts a path containing a filter and spaces around arguments', () => {
    expect(run('States.ArrayLength( $.a[?(@.x > 1)] )', { a: [{ x: 1 }, { x: 2 }, { x: 3 }] })).toBe(2)
  })
})

describe('intrinsic failures', () => {
  it.each([
    ["States.Format('{} {}', 'only one')", /placeholders/],
    ["States.Format('{}', $.obj)", /argument 2/],
    ["States.StringToJson('{not json')", /not valid JSON/],
    ['States.ArrayPartition($.a, 0)', /greater than 0/],
    ['States.ArrayRange(1, 2000, 1)', /limit is 1000/],
    ['States.ArrayRange(1, 9, 0)', /must not be 0/],
    ['States.ArrayGetItem($.a, 3)', /out of range/],
    ['States.ArrayLength($.obj)', /must be an array/],
    ["States.Hash('x', 'SHA-3')", /one of MD5/],
    ['States.JsonMerge($.obj, 1, false)', /argument 2 must be an object/],
    ['States.MathAdd(1.5, 1)', /integer/],
    ['States.MathRandom(5, 5)', /greater than/],
    ["States.Base64Decode('***')", /not valid base64/],
  ])('%s fails with States.IntrinsicFailure', (expression, message) => {
    const error = failure(expression, { a: [1, 2, 3], obj: { k: 1 } })
    expect(error.error).toBe('States.IntrinsicFailure')
    expect(error.cause).toMatch(message)
  })

  it('enforces the 10,000 character input limit', () => {
    expect(failure('States.Base64Encode($.s)', { s: 'x'.repeat(10_001) }).cause).toMatch(/10000/)
    expect(run('States.Base64Encode($.s)', { s: 'x'.repeat(10_000) })).toHaveLength(13_336)
  })

  it('reports a path argument that matches nothing as States.Runtime', () => {
    const error = failure('States.ArrayLength($.missing)')
    expect(error.error).toBe('States.Runtime')
    expect(error.cause).toContain('$.missing')
  })
})

describe('parseIntrinsic', () => {
  it.each([
    ['States.Nope(1)', /unknown function States.Nope/],
    ['States.Format(', /argument/],
    ["States.Format('a'", /missing "\)"/],
    ["States.Format('a) ", /unterminated string/],
    ['States.ArrayLength()', /takes 1 argument/],
    ['States.UUID(1)', /takes 0 argument/],
    ['States.Array("x")', /single quotes/],
    ['States.ArrayLength($.a[)', /invalid path/],
    ['States.UUID() extra', /after the call/],
    ['Format(1)', /function name/],
    ["States.Format('a\\b')", /is not an escape/],
  ])('rejects %s', (expression, message) => {
    expect(() => parseIntrinsic(expression)).toThrow(IntrinsicSyntaxError)
    expect(() => parseIntrinsic(expression)).toThrow(message)
  })

  it('builds a call tree', () => {
    expect(parseIntrinsic("States.Array(1, 'a', $$.Execution.Id, States.UUID())")).toMatchObject({
      name: 'States.Array',
      args: [
        { kind: 'literal', value: 1 },
        { kind: 'literal', value: 'a' },
        { kind: 'path', path: '$$.Execution.Id', fromContext: true },
        { kind: 'call', call: { name: 'States.UUID', args: [] } },
      ],
    })
  })
})

describe('hostile arguments', () => {
  it('refuses calls nested more than 100 levels, with the position, not a stack overflow', () => {
    expect(() => parseIntrinsic(`${'States.Array('.repeat(5_000)}1${')'.repeat(5_000)}`)).toThrow(IntrinsicSyntaxError)
    expect(() => parseIntrinsic(`${'States.Array('.repeat(5_000)}1${')'.repeat(5_000)}`)).toThrow(
      /calls nest more than 100 levels deep at position 1300$/,
    )
    expect(run(`${'States.Array('.repeat(100)}1${')'.repeat(100)}`)).toEqual(
      JSON.parse(`${'['.repeat(100)}1${']'.repeat(100)}`),
    )
  })

  it('parses a call with 50,000 arguments', () => {
    expect(run(`States.ArrayLength(States.Array(${Array.from({ length: 50_000 }, (_, i) => i).join(', ')}))`)).toBe(
      50_000,
    )
  })

  it('ArrayUnique keeps the first of each value: objects are equal whatever their member order', () => {
    expect(
      run('States.ArrayUnique($.a)', {
        a: [{ x: 1, y: 2 }, 1, '1', { y: 2, x: 1 }, [1, { a: null }], [1, { a: null }], null, null, true],
      }),
    ).toEqual([{ x: 1, y: 2 }, 1, '1', [1, { a: null }], null, true])
    const many = Array.from({ length: 2_000 }, (_, i) => (i % 2 ? { n: i % 500 } : i % 700))
    expect(run('States.ArrayUnique($.a)', { a: many })).toEqual(
      [...new Set(many.map((item) => JSON.stringify(item)))].map((text) => JSON.parse(text)),
    )
  })

  it('StringToJson refuses JSON nested deeper than 1,000 levels', () => {
    expect(failure('States.StringToJson($.s)', { s: `${'['.repeat(1_001)}${']'.repeat(1_001)}` })).toMatchObject({
      error: 'States.IntrinsicFailure',
      cause: 'States.StringToJson: argument 1 is JSON nested deeper than 1,000 levels',
    })
  })

  it('takes function and algorithm names from its own tables only: "constructor" is no hash algorithm', () => {
    expect(failure("States.Hash('x', 'constructor')")).toMatchObject({
      error: 'States.IntrinsicFailure',
      cause: expect.stringMatching(
        /^States\.Hash: argument 2 must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, got "constructor"$/,
      ),
    })
  })
})
