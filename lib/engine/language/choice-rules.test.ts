import { describe, expect, it } from 'vitest'
import { evaluateChoiceRule, selectChoice } from './choice-rules'
import { wildcardPattern } from './wildcard'
import { emptyContextObject as context } from './context-object'
import { caughtStatesError } from '../testing/caught-states-error'

const where = { state: 'Decide' }
const matches = (rule: unknown, input: unknown) => evaluateChoiceRule(rule, input, context)

const caught = caughtStatesError

// The AWS "Choice workflow state" example.
describe('selectChoice (AWS example)', () => {
  const state = {
    Choices: [
      { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
      { Variable: '$.value', NumericEquals: 0, Next: 'ValueIsZero' },
      {
        And: [
          { Variable: '$.value', NumericGreaterThanEquals: 20 },
          { Variable: '$.value', NumericLessThan: 30 },
        ],
        Next: 'ValueInTwenties',
      },
    ],
    Default: 'DefaultState',
  }

  it.each([
    [{ type: 'Public', value: 22 }, 'Public'],
    [{ type: 'Private', value: 0 }, 'ValueIsZero'],
    [{ type: 'Private', value: 22 }, 'ValueInTwenties'],
    [{ type: 'Private', value: 42 }, 'DefaultState'],
  ])('%j → %s', (input, next) => {
    expect(selectChoice(state, input, context, where)).toBe(next)
  })

  it('fails with States.NoChoiceMatched naming the state when nothing matches and there is no Default', () => {
    const error = caught(() => selectChoice({ Choices: state.Choices }, { type: 'Private', value: 42 }, context, where))
    expect(error.error).toBe('States.NoChoiceMatched')
    expect(error.cause).toContain('"Decide"')
  })

  it('fails with States.Runtime naming the state and path when a Variable matches nothing', () => {
    const error = caught(() => selectChoice(state, { type: 'Private' }, context, where))
    expect(error.error).toBe('States.Runtime')
    expect(error.cause).toContain('"$.value"')
    expect(error.cause).toContain('Choices[1]')
  })
})

describe('comparators', () => {
  const input = {
    s: 'b',
    n: 5,
    t: true,
    ts: '2026-01-02T03:04:05Z',
    other: { s: 'b', n: 5, t: true, ts: '2026-01-02T11:04:05+08:00' },
    nil: null,
  }

  it.each<[Record<string, unknown>, boolean]>([
    [{ StringEquals: 'b' }, true],
    [{ StringLessThan: 'c' }, true],
    [{ StringGreaterThan: 'c' }, false],
    [{ StringLessThanEquals: 'b' }, true],
    [{ StringGreaterThanEquals: 'a' }, true],
    [{ StringEqualsPath: '$.other.s' }, true],
    [{ NumericEquals: 5 }, true],
    [{ NumericLessThan: 5 }, false],
    [{ NumericGreaterThan: 4 }, true],
    [{ NumericLessThanEquals: 5 }, true],
    [{ NumericGreaterThanEquals: 6 }, false],
    [{ NumericEqualsPath: '$.other.n' }, true],
    [{ NumericLessThanPath: '$.other.n' }, false],
    [{ BooleanEquals: true }, true],
    [{ BooleanEqualsPath: '$.other.t' }, true],
    [{ TimestampEquals: '2026-01-02T03:04:05.000Z' }, true],
    [{ TimestampEqualsPath: '$.other.ts' }, true],
    [{ TimestampLessThan: '2026-01-02T03:04:06Z' }, true],
    [{ TimestampGreaterThan: '2026-01-02T03:04:06Z' }, false],
    [{ TimestampLessThanEquals: '2026-01-02T03:04:05Z' }, true],
    [{ TimestampGreaterThanEquals: '2027-01-01T00:00:00Z' }, false],
  ])('%j', (comparison, expected) => {
    const variable = Object.keys(comparison)[0].startsWith('String')
      ? '$.s'
      : Object.keys(comparison)[0].startsWith('Numeric')
        ? '$.n'
        : Object.keys(comparison)[0].startsWith('Boolean')
          ? '$.t'
          : '$.ts'
    expect(matches({ Variable: variable, ...comparison }, input)).toBe(expected)
  })

  it('is false, not an error, when the types differ', () => {
    expect(matches({ Variable: '$.s', NumericEquals: 5 }, input)).toBe(false)
    expect(matches({ Variable: '$.n', StringEquals: '5' }, input)).toBe(false)
    expect(matches({ Variable: '$.s', TimestampEquals: '2026-01-02T03:04:05Z' }, input)).toBe(false)
    expect(matches({ Variable: '$.nil', BooleanEquals: false }, input)).toBe(false)
  })

  it('tests types and presence', () => {
    expect(matches({ Variable: '$.missing', IsPresent: false }, input)).toBe(true)
    expect(matches({ Variable: '$.n', IsPresent: true }, input)).toBe(true)
    expect(matches({ Variable: '$.nil', IsNull: true }, input)).toBe(true)
    expect(matches({ Variable: '$.n', IsNumeric: true }, input)).toBe(true)
    expect(matches({ Variable: '$.s', IsNumeric: false }, input)).toBe(true)
    expect(matches({ Variable: '$.s', IsString: true }, input)).toBe(true)
    expect(matches({ Variable: '$.t', IsBoolean: true }, input)).toBe(true)
    expect(matches({ Variable: '$.ts', IsTimestamp: true }, input)).toBe(true)
    expect(matches({ Variable: '$.s', IsTimestamp: true }, input)).toBe(false)
  })

  it('combines with Or and Not, and reads the context object', () => {
    expect(
      matches(
        {
          Or: [
            { Variable: '$.n', NumericEquals: 1 },
            { Variable: '$.s', StringEquals: 'b' },
          ],
        },
        input,
      ),
    ).toBe(true)
    expect(matches({ Not: { Or: [{ Variable: '$.n', NumericEquals: 1 }] } }, input)).toBe(true)
    expect(matches({ Variable: '$$.State.RetryCount', NumericEquals: 0 }, input)).toBe(true)
  })

  it('fails with States.Runtime when a …Path operand matches nothing', () => {
    expect(caught(() => matches({ Variable: '$.n', NumericEqualsPath: '$.nope' }, input)).cause).toContain('"$.nope"')
  })
})

describe('StringMatches', () => {
  it.each([
    ['log-*.txt', 'log-2021.txt', true],
    ['log-*.txt', 'log-2021.csv', false],
    ['*', '', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a\\*', 'a*', true],
    ['a\\*', 'abc', false],
    ['a\\\\*', 'a\\anything', true],
    ['a.b', 'axb', false],
    ['(x)+', '(x)+', true],
  ])('%s against %s → %s', (pattern, text, expected) => {
    expect(wildcardPattern(pattern).test(text)).toBe(expected)
    expect(matches({ Variable: '$.v', StringMatches: pattern }, { v: text })).toBe(expected)
  })
})

describe('rule members named like Object.prototype’s', () => {
  it('are no comparators: "constructor" or "toString" in a rule is not an operator (a rule only a skipped validation lets through)', () => {
    expect(() => evaluateChoiceRule({ Variable: '$.v', constructor: true }, { v: 1 }, context)).toThrow(
      /no comparison operator in the rule for \$\.v/,
    )
    expect(() => evaluateChoiceRule({ Variable: '$.v', toStringPath: '$.v' }, { v: 1 }, context)).toThrow(
      /no comparison operator/,
    )
  })
})
