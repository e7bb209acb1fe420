import { single, type ConformanceCase } from '../conformance-case'
import { Docs } from './docs'

/** A Pass state whose Parameters evaluate one intrinsic into `value`; the output is `{ value }`. */
function intrinsic(name: string, anchor: string, expression: string, input: unknown, value: unknown): ConformanceCase {
  return {
    name: `intrinsic: ${name}`,
    doc: Docs.intrinsic(anchor),
    definition: single({ Type: 'Pass', Parameters: { 'value.$': expression } }),
    input,
    expect: { output: { value } },
  }
}

/** An intrinsic call the documentation rules out: the state fails with States.IntrinsicFailure. */
function intrinsicFailure(name: string, anchor: string, expression: string, input: unknown): ConformanceCase {
  return {
    name: `intrinsic failure: ${name}`,
    doc: `${Docs.intrinsic(anchor)} ; ${Docs.errorNames} (States.IntrinsicFailure)`,
    definition: single({ Type: 'Pass', Parameters: { 'value.$': expression } }),
    input,
    expect: { error: 'States.IntrinsicFailure' },
  }
}

const ARRAYS = 'asl-intrsc-func-arrays'
const ENCODING = 'asl-intrsc-func-data-encode-decode'
const HASH = 'asl-intrsc-func-hash-calc'
const JSON_OPS = 'asl-intrsc-func-json-manipulate'
const MATH = 'asl-intrsc-func-math-operation'
const STRINGS = 'asl-intrsc-func-string-operation'
const UUID = 'asl-intrsc-func-uuid-generate'
const GENERIC = 'asl-intrsc-func-generic'
const nine = [1, 2, 3, 4, 5, 6, 7, 8, 9]

export const intrinsicCases: ConformanceCase[] = [
  // States.Format (generic)
  intrinsic(
    'States.Format with a path argument (AWS example)',
    GENERIC,
    "States.Format('Hello, my name is {}.', $.name)",
    { name: 'Arnav' },
    'Hello, my name is Arnav.',
  ),
  intrinsic(
    'States.Format with string, number, boolean and null arguments',
    GENERIC,
    "States.Format('{} {} {} {}', 'a', 42, true, null)",
    {},
    'a 42 true null',
  ),
  intrinsic(
    'States.Format with escaped quote, braces and backslash',
    GENERIC,
    "States.Format('it\\'s \\{literal\\} \\\\ {}', $.x)",
    { x: 'ok' },
    "it's {literal} \\ ok",
  ),
  intrinsic(
    'States.Format reads the template from a path',
    GENERIC,
    'States.Format($.template, $.who)',
    { template: 'Hi {}!', who: 'you' },
    'Hi you!',
  ),
  intrinsic(
    'States.Format nested in another intrinsic',
    GENERIC,
    "States.StringSplit(States.Format('{},{}', $.a, $.b), ',')",
    { a: 'x', b: 'y' },
    ['x', 'y'],
  ),
  intrinsic(
    'States.Format of intrinsics nested two deep',
    GENERIC,
    "States.Format('{} items', States.ArrayLength(States.Array(1, 2, 3)))",
    {},
    '3 items',
  ),
  intrinsicFailure('States.Format with fewer arguments than placeholders', GENERIC, "States.Format('{} and {}', $.a)", {
    a: 1,
  }),
  // Arrays
  intrinsic('States.Array of one path (AWS example)', ARRAYS, 'States.Array($.Id)', { Id: 123456 }, [123456]),
  intrinsic(
    'States.Array of mixed arguments',
    ARRAYS,
    "States.Array('Foo', 2020, $.someJson, null)",
    { someJson: { random: 'abcdefg' } },
    ['Foo', 2020, { random: 'abcdefg' }, null],
  ),
  intrinsic('States.Array with no arguments', ARRAYS, 'States.Array()', {}, []),
  intrinsic(
    'States.ArrayPartition (AWS example)',
    ARRAYS,
    'States.ArrayPartition($.inputArray, 4)',
    { inputArray: nine },
    [[1, 2, 3, 4], [5, 6, 7, 8], [9]],
  ),
  intrinsic(
    'States.ArrayPartition with an exact multiple',
    ARRAYS,
    'States.ArrayPartition($.a, 2)',
    { a: [1, 2, 3, 4] },
    [
      [1, 2],
      [3, 4],
    ],
  ),
  intrinsicFailure('States.ArrayPartition with chunk size 0', ARRAYS, 'States.ArrayPartition($.a, 0)', { a: [1, 2] }),
  intrinsic(
    'States.ArrayContains finds a value (AWS example)',
    ARRAYS,
    'States.ArrayContains($.inputArray, $.lookingFor)',
    { inputArray: nine, lookingFor: 5 },
    true,
  ),
  intrinsic(
    'States.ArrayContains misses a value',
    ARRAYS,
    'States.ArrayContains($.inputArray, $.lookingFor)',
    { inputArray: nine, lookingFor: 10 },
    false,
  ),
  intrinsic(
    'States.ArrayContains compares objects by value',
    ARRAYS,
    'States.ArrayContains($.a, $.x)',
    { a: [{ k: 1 }, { k: 2 }], x: { k: 2 } },
    true,
  ),
  intrinsic('States.ArrayRange (AWS example)', ARRAYS, 'States.ArrayRange(1, 9, 2)', {}, [1, 3, 5, 7, 9]),
  intrinsic(
    'States.ArrayRange with a step that overshoots the end',
    ARRAYS,
    'States.ArrayRange(0, 10, 3)',
    {},
    [0, 3, 6, 9],
  ),
  intrinsic('States.ArrayRange counting down', ARRAYS, 'States.ArrayRange(5, 1, -2)', {}, [5, 3, 1]),
  intrinsicFailure('States.ArrayRange longer than 1,000 items', ARRAYS, 'States.ArrayRange(1, 2000, 1)', {}),
  intrinsicFailure('States.ArrayRange with step 0', ARRAYS, 'States.ArrayRange(1, 5, 0)', {}),
  intrinsic(
    'States.ArrayGetItem (AWS example)',
    ARRAYS,
    'States.ArrayGetItem($.inputArray, $.index)',
    { inputArray: nine, index: 5 },
    6,
  ),
  intrinsic('States.ArrayLength (AWS example)', ARRAYS, 'States.ArrayLength($.inputArray)', { inputArray: nine }, 9),
  intrinsic('States.ArrayLength of an empty array', ARRAYS, 'States.ArrayLength($.a)', { a: [] }, 0),
  intrinsic(
    'States.ArrayUnique (AWS example)',
    ARRAYS,
    'States.ArrayUnique($.inputArray)',
    { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] },
    [1, 2, 3, 4],
  ),
  intrinsicFailure('States.ArrayLength of a non-array', ARRAYS, 'States.ArrayLength($.a)', { a: 'abc' }),
  // Encoding
  intrinsic(
    'States.Base64Encode (AWS example)',
    ENCODING,
    'States.Base64Encode($.input)',
    { input: 'Data to encode' },
    'RGF0YSB0byBlbmNvZGU=',
  ),
  intrinsic(
    'States.Base64Decode (AWS example)',
    ENCODING,
    'States.Base64Decode($.base64)',
    { base64: 'RGF0YSB0byBlbmNvZGU=' },
    'Data to encode',
  ),
  intrinsic('States.Base64Encode of UTF-8 text', ENCODING, 'States.Base64Encode($.s)', { s: '天翼云' }, '5aSp57+85LqR'),
  intrinsicFailure('States.Base64Encode of more than 10,000 characters', ENCODING, 'States.Base64Encode($.s)', {
    s: 'x'.repeat(10_001),
  }),
  // Hash
  intrinsic(
    'States.Hash SHA-1 (AWS example)',
    HASH,
    'States.Hash($.Data, $.Algorithm)',
    { Data: 'input data', Algorithm: 'SHA-1' },
    'aaff4a450a104cd177d28d18d74485e8cae074b7',
  ),
  intrinsic(
    'States.Hash MD5',
    HASH,
    "States.Hash($.Data, 'MD5')",
    { Data: 'input data' },
    '812f45842bc6d66ee14572ce20db8e86',
  ),
  intrinsic(
    'States.Hash SHA-256',
    HASH,
    "States.Hash('abc', 'SHA-256')",
    {},
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  ),
  intrinsicFailure('States.Hash with an unsupported algorithm', HASH, "States.Hash('abc', 'SHA-3')", {}),
  // JSON manipulation
  intrinsic(
    'States.JsonMerge shallow (AWS example)',
    JSON_OPS,
    'States.JsonMerge($.json1, $.json2, false)',
    { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } },
    { a: { a3: 1, a4: 2 }, b: 2, c: 3 },
  ),
  intrinsic(
    'States.StringToJson (AWS example)',
    JSON_OPS,
    'States.StringToJson($.escapedJsonString)',
    { escapedJsonString: '{"foo": "bar"}' },
    { foo: 'bar' },
  ),
  intrinsicFailure('States.StringToJson of text that is not JSON', JSON_OPS, 'States.StringToJson($.s)', {
    s: '{not json',
  }),
  intrinsic(
    'States.JsonToString (AWS example)',
    JSON_OPS,
    'States.JsonToString($.unescapedJson)',
    { unescapedJson: { foo: 'bar' } },
    '{"foo":"bar"}',
  ),
  intrinsic('States.JsonToString of a number', JSON_OPS, 'States.JsonToString($.n)', { n: 12.5 }, '12.5'),
  // Math
  intrinsic('States.MathAdd (AWS example)', MATH, 'States.MathAdd($.value1, $.step)', { value1: 111, step: -1 }, 110),
  intrinsic('States.MathAdd of two literals', MATH, 'States.MathAdd(40, 2)', {}, 42),
  // Strings
  intrinsic(
    'States.StringSplit on one character (AWS example)',
    STRINGS,
    'States.StringSplit($.inputString, $.splitter)',
    { inputString: '1,2,3,4,5', splitter: ',' },
    ['1', '2', '3', '4', '5'],
  ),
  intrinsic(
    'States.StringSplit on any of several characters (AWS example)',
    STRINGS,
    'States.StringSplit($.inputString, $.splitter)',
    { inputString: 'This.is+a,test=string', splitter: '.+,=' },
    ['This', 'is', 'a', 'test', 'string'],
  ),
  // UUID and MathRandom: random, so checked by shape in a following state
  {
    name: 'intrinsic: States.UUID is a version 4 UUID (five dash-separated groups, the third starting with 4)',
    doc: Docs.intrinsic(UUID),
    definition: {
      StartAt: 'Make',
      States: {
        Make: { Type: 'Pass', Parameters: { 'uuid.$': 'States.UUID()' }, Next: 'Measure' },
        Measure: {
          Type: 'Pass',
          Parameters: { 'uuid.$': '$.uuid', 'groups.$': "States.ArrayLength(States.StringSplit($.uuid, '-'))" },
          Next: 'Check',
        },
        Check: {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.groups', NumericEquals: 5 },
                { Variable: '$.uuid', StringMatches: '*-*-4*-*-*' },
              ],
              Next: 'Ok',
            },
          ],
          Default: 'Bad',
        },
        Ok: { Type: 'Pass', Result: 'uuid v4', End: true },
        Bad: { Type: 'Fail', Error: 'Test.BadUuid' },
      },
    },
    input: {},
    expect: { output: 'uuid v4' },
  },
  {
    // AWS documents "a random number between the specified start and end number" without saying whether end is included.
    name: 'intrinsic: States.MathRandom stays between start and end',
    doc: Docs.intrinsic(MATH),
    definition: {
      StartAt: 'Draw',
      States: {
        Draw: { Type: 'Pass', Parameters: { 'n.$': 'States.MathRandom($.start, $.end)' }, Next: 'Check' },
        Check: {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.n', NumericGreaterThanEquals: 1 },
                { Variable: '$.n', NumericLessThanEquals: 3 },
              ],
              Next: 'Ok',
            },
          ],
          Default: 'Bad',
        },
        Ok: { Type: 'Pass', Result: 'in range', End: true },
        Bad: { Type: 'Fail', Error: 'Test.OutOfRange' },
      },
    },
    input: { start: 1, end: 3 },
    expect: { output: 'in range' },
  },
  {
    // AWS: "a random number between the specified start number (inclusive) and end number (exclusive)". 64 seeded draws
    // from [5, 6) must all be 5; seeds make the draws the same on every run of any engine.
    name: 'intrinsic: States.MathRandom excludes the end number',
    doc: Docs.intrinsic(MATH),
    definition: {
      StartAt: 'Seeds',
      States: {
        Seeds: { Type: 'Pass', Parameters: { 'seeds.$': 'States.ArrayRange(1, 64, 1)' }, Next: 'Draw' },
        Draw: {
          Type: 'Map',
          ItemsPath: '$.seeds',
          ItemProcessor: {
            StartAt: 'One',
            States: {
              One: { Type: 'Pass', Parameters: { 'n.$': 'States.MathRandom(5, 6, $)' }, OutputPath: '$.n', End: true },
            },
          },
          ResultSelector: { 'sixes.$': 'States.ArrayContains($, 6)', 'fives.$': 'States.ArrayContains($, 5)' },
          Next: 'Check',
        },
        Check: {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.sixes', BooleanEquals: false },
                { Variable: '$.fives', BooleanEquals: true },
              ],
              Next: 'Ok',
            },
          ],
          Default: 'Bad',
        },
        Ok: { Type: 'Pass', Result: 'end excluded', End: true },
        Bad: { Type: 'Fail', Error: 'Test.EndIncluded', Cause: 'a draw from [5, 6) was not 5' },
      },
    },
    input: {},
    expect: { output: 'end excluded' },
  },
  {
    name: 'intrinsic: States.MathRandom with a seed is repeatable',
    doc: Docs.intrinsic(MATH),
    definition: {
      StartAt: 'Draw',
      States: {
        Draw: {
          Type: 'Pass',
          Parameters: { 'a.$': 'States.MathRandom(1, 1000000, 42)', 'b.$': 'States.MathRandom(1, 1000000, 42)' },
          Next: 'Check',
        },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEqualsPath: '$.b', Next: 'Ok' }], Default: 'Bad' },
        Ok: { Type: 'Pass', Result: 'same', End: true },
        Bad: { Type: 'Fail', Error: 'Test.NotRepeatable' },
      },
    },
    input: {},
    expect: { output: 'same' },
  },
  // Where intrinsics may appear
  {
    name: 'intrinsic: in a Task ResultSelector',
    doc: Docs.intrinsics,
    definition: single({
      Type: 'Task',
      Resource: 'test:echo',
      ResultSelector: { 'greeting.$': "States.Format('hello {}', $.who)" },
    }),
    input: { who: 'world' },
    expect: { output: { greeting: 'hello world' } },
  },
  {
    name: 'intrinsic: arguments read the context object',
    doc: Docs.intrinsics,
    definition: single({
      Type: 'Pass',
      Parameters: { 'value.$': "States.Format('{}-{}', $$.Execution.Input.a, $.b)" },
    }),
    input: { a: 'x', b: 'y' },
    expect: { output: { value: 'x-y' } },
  },
]
