import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evaluateChoiceRule } from './choice-rules'
import { createContextObject } from './context-object'
import { evaluateIntrinsic, intrinsicFunctionNames, IntrinsicSyntaxError, parseIntrinsic } from './intrinsics'
import { JsonPathError, parseJsonPath, readPath, writePath } from './jsonpath'
import { evaluatePayloadTemplate } from './payload-template'
import { StatesError } from './states-error'

/**
 * Property-based fuzzing of the JSONPath and intrinsic languages (fast-check, seeded, bounded in time): whatever the
 * text, arguments or document, only the documented errors come out — JsonPathError / IntrinsicSyntaxError for text
 * that does not parse, StatesError for a run-time failure — never a TypeError, a RangeError (stack overflow) or a hang.
 * A failure shrinks to a minimal case; each one found became a test in jsonpath.test.ts or intrinsics.test.ts.
 */

// FUZZ_SEED=<n> replays another sequence; the default is fixed so that `npm test` is deterministic.
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123)
const budget = (numRuns: number) => ({ seed: SEED, numRuns, interruptAfterTimeLimit: 8_000 })

/** Throws anything that is not one of `allowed`; returns what `attempt` returned, or undefined when it threw an allowed error. */
function onlyThrows(allowed: Array<new (...args: never[]) => Error>, attempt: () => unknown): unknown {
  try {
    return attempt()
  } catch (error) {
    if (allowed.some((type) => error instanceof type)) return undefined
    throw error
  }
}

// Text made mostly of the characters that matter to the parsers, with runs of one character (deep nesting) now and then.
const pathPieces = [
  '$',
  '$$',
  '.',
  '..',
  '[',
  ']',
  '*',
  '?',
  '(',
  ')',
  '@',
  "'",
  '"',
  ':',
  ',',
  '-',
  '0',
  '1',
  '7',
  'a',
  'b',
  ' ',
  '=',
  '==',
  '<',
  '>=',
  '!',
  '&&',
  '||',
  '\\',
  'true',
  'null',
  '1e3',
]
const piece = fc.constantFrom(...pathPieces)
const repeated = fc
  .tuple(fc.constantFrom('(', '!', '[?(@', '.a', '[0]', 'States.Array('), fc.integer({ min: 50, max: 3_000 }))
  .map(([text, times]) => text.repeat(times))
const pathText = fc.oneof(
  { weight: 5, arbitrary: fc.array(piece, { maxLength: 24 }).map((pieces) => `$${pieces.join('')}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(piece, { maxLength: 6 }), repeated, fc.array(piece, { maxLength: 6 }))
      .map(([a, b, c]) => `$${a.join('')}${b}${c.join('')}`),
  },
)

const documentArb = fc.jsonValue({ maxDepth: 4 })
const context = createContextObject({
  executionId: 'run-1',
  input: { a: 1 },
  startTime: '2026-01-01T00:00:00.000Z',
  stateMachineName: 'wf',
  stateName: 'S',
  enteredTime: '2026-01-01T00:00:00.000Z',
})

describe('JSONPath on generated paths and documents', () => {
  it('parseJsonPath compiles or throws JsonPathError; a compiled path reads any document without throwing', () => {
    fc.assert(
      fc.property(pathText, documentArb, (path, document) => {
        const compiled = onlyThrows([JsonPathError], () => parseJsonPath(path))
        if (compiled !== undefined) readPath(document, path)
      }),
      budget(20_000),
    )
  })

  it('writePath writes a copy or throws JsonPathError / StatesError (States.ResultPathMatchFailure)', () => {
    fc.assert(
      fc.property(pathText, documentArb, documentArb, (path, document, value) => {
        const before = JSON.stringify(document)
        onlyThrows([JsonPathError, StatesError], () => writePath(document, path, value))
        expect(JSON.stringify(document)).toBe(before)
      }),
      budget(10_000),
    )
  })
})

// Intrinsic calls from the real function names with arguments of every kind, nested now and then.
const literal = fc.oneof(
  fc.integer({ min: -5, max: 1_000 }).map(String),
  fc.constantFrom(
    'true',
    'false',
    'null',
    '1.5',
    '-0',
    '1e400',
    "'a'",
    "'{}'",
    "'{} {}'",
    "'\\\\'",
    "'SHA-256'",
    "'[1,2]'",
    '\'{"a":[1]}\'',
    "'aGk='",
    "''",
    '$',
    '$.a',
    '$.b[0]',
    '$$.Execution.Input',
    '$.missing',
  ),
)
const call: fc.Arbitrary<string> = fc.letrec<{ call: string; argument: string }>((tie) => ({
  call: fc
    .tuple(fc.constantFrom(...intrinsicFunctionNames), fc.array(tie('argument'), { maxLength: 4 }))
    .map(([name, args]) => `${name}(${args.join(', ')})`),
  argument: fc.oneof({ depthSize: 'small', withCrossShrink: true }, literal, tie('call')),
})).call
const expressionText = fc.oneof(
  call,
  fc.array(piece, { maxLength: 20 }).map((pieces) => `States.${pieces.join('')}`),
  repeated.map((text) => `States.Array(${text}`),
)

describe('intrinsic functions on generated calls and arguments', () => {
  it('parseIntrinsic parses or throws IntrinsicSyntaxError', () => {
    fc.assert(
      fc.property(
        expressionText,
        (expression) => void onlyThrows([IntrinsicSyntaxError], () => parseIntrinsic(expression)),
      ),
      budget(20_000),
    )
  })

  it('evaluateIntrinsic returns a value or throws StatesError (States.IntrinsicFailure, States.Runtime)', () => {
    const input = fc.record({ a: documentArb, b: fc.array(documentArb, { maxLength: 4 }) })
    fc.assert(
      fc.property(
        call,
        input,
        (expression, document) =>
          void onlyThrows([StatesError], () => evaluateIntrinsic(expression, document, context, () => 0.5)),
      ),
      budget(20_000),
    )
  })
})

// Choice rules and payload templates: the shapes a (validated or not) definition may hold, over generated inputs.
const variable = fc.oneof(pathText, fc.constantFrom('$.a', '$.b[0]', '$$.Execution.Input.a', '$.missing'))
const comparators = [
  'StringEquals',
  'StringMatches',
  'NumericLessThan',
  'NumericEqualsPath',
  'BooleanEquals',
  'TimestampGreaterThan',
  'TimestampEqualsPath',
  'IsPresent',
  'IsNull',
  'IsTimestamp',
  'StringLessThanEqualsPath',
  'Bogus',
]
const rule: fc.Arbitrary<unknown> = fc.letrec<{ rule: unknown }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .tuple(variable, fc.constantFrom(...comparators), fc.oneof(documentArb, variable))
      .map(([Variable, comparator, operand]) => ({ Variable, [comparator]: operand })),
    fc.array(tie('rule'), { maxLength: 3 }).map((And) => ({ And })),
    fc.array(tie('rule'), { maxLength: 3 }).map((Or) => ({ Or })),
    tie('rule').map((Not) => ({ Not })),
    documentArb,
  ),
})).rule
const template: fc.Arbitrary<unknown> = fc.letrec<{ template: unknown }>((tie) => ({
  template: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.dictionary(fc.constantFrom('a', 'b.$', 'c.$', 'd'), fc.oneof(documentArb, variable, call, tie('template')), {
      maxKeys: 4,
    }),
    fc.array(tie('template'), { maxLength: 3 }),
  ),
})).template

describe('Choice rules and payload templates on generated definitions and inputs', () => {
  it('evaluateChoiceRule decides or throws StatesError', () => {
    fc.assert(
      fc.property(
        rule,
        documentArb,
        (generated, input) => void onlyThrows([StatesError], () => evaluateChoiceRule(generated, input, context)),
      ),
      budget(20_000),
    )
  })

  it('evaluatePayloadTemplate builds a value or throws StatesError', () => {
    fc.assert(
      fc.property(
        template,
        documentArb,
        (generated, input) =>
          void onlyThrows([StatesError], () =>
            evaluatePayloadTemplate(generated, input, context, { state: 'S', field: 'Parameters', random: () => 0.5 }),
          ),
      ),
      budget(10_000),
    )
  })
})
