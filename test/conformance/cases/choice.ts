import type { AslDefinition, ConformanceCase } from '../conformance-case'
import { Docs } from './docs'

function branches(rule: Record<string, unknown>): AslDefinition {
  return {
    StartAt: 'Decide',
    States: {
      Decide: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Pass', Result: 'yes', End: true },
      No: { Type: 'Pass', Result: 'no', End: true },
    },
  }
}

/** One rule, one input: the output says which way the Choice went. */
function rule(
  name: string,
  ruleBody: Record<string, unknown>,
  input: unknown,
  matches: boolean,
  doc: string = Docs.choice,
): ConformanceCase {
  return {
    name: `choice: ${name} → ${matches ? 'match' : 'no match'}`,
    doc,
    definition: branches(ruleBody),
    input,
    expect: { output: matches ? 'yes' : 'no' },
  }
}

const ts = Docs.timestamps
const data = {
  s: 'b',
  n: 10,
  f: 1.5,
  t: true,
  z: null,
  when: '2016-03-14T01:59:00Z',
  other: {
    s: 'b',
    n: 10,
    lower: 'a',
    higher: 'c',
    small: 9,
    big: 11,
    t: true,
    when: '2016-03-14T01:59:00Z',
    later: '2017-01-01T00:00:00Z',
  },
}

/** The Choice state example of the AWS page (its Task targets replaced by Pass states that name themselves). */
const awsExample: AslDefinition = {
  StartAt: 'ChoiceStateX',
  States: {
    ChoiceStateX: {
      Type: 'Choice',
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
    },
    Public: { Type: 'Pass', Result: 'Public', End: true },
    ValueIsZero: { Type: 'Pass', Result: 'ValueIsZero', End: true },
    ValueInTwenties: { Type: 'Pass', Result: 'ValueInTwenties', End: true },
    DefaultState: { Type: 'Pass', Result: 'DefaultState', End: true },
  },
}
const awsExampleRoutes: Array<[input: Record<string, unknown>, next: string]> = [
  [{ type: 'Public', value: 22 }, 'Public'],
  [{ type: 'Private', value: 0 }, 'ValueIsZero'],
  [{ type: 'Private', value: 25 }, 'ValueInTwenties'],
  [{ type: 'Private', value: 42 }, 'DefaultState'],
]

export const choiceCases: ConformanceCase[] = [
  ...awsExampleRoutes.map(
    ([input, next]): ConformanceCase => ({
      name: `choice: the AWS example sends ${JSON.stringify(input)} to ${next}`,
      doc: Docs.choice,
      definition: awsExample,
      input,
      expect: { output: next },
    }),
  ),
  // strings
  rule('StringEquals', { Variable: '$.s', StringEquals: 'b' }, data, true),
  rule('StringEquals is case-sensitive', { Variable: '$.s', StringEquals: 'B' }, data, false),
  rule('StringLessThan', { Variable: '$.s', StringLessThan: 'c' }, data, true),
  rule('StringLessThan equal strings', { Variable: '$.s', StringLessThan: 'b' }, data, false),
  rule('StringGreaterThan', { Variable: '$.s', StringGreaterThan: 'a' }, data, true),
  rule('StringLessThanEquals equal strings', { Variable: '$.s', StringLessThanEquals: 'b' }, data, true),
  rule('StringGreaterThanEquals', { Variable: '$.s', StringGreaterThanEquals: 'c' }, data, false),
  rule('StringEqualsPath', { Variable: '$.s', StringEqualsPath: '$.other.s' }, data, true),
  rule('StringLessThanPath', { Variable: '$.s', StringLessThanPath: '$.other.higher' }, data, true),
  rule('StringGreaterThanPath', { Variable: '$.s', StringGreaterThanPath: '$.other.lower' }, data, true),
  rule('StringLessThanEqualsPath', { Variable: '$.s', StringLessThanEqualsPath: '$.other.lower' }, data, false),
  rule('StringGreaterThanEqualsPath', { Variable: '$.s', StringGreaterThanEqualsPath: '$.other.s' }, data, true),
  rule(
    'StringEquals against a number (types differ)',
    { Variable: '$.n', StringEquals: '10' },
    data,
    false,
    Docs.choiceSpec,
  ),
  // StringMatches
  rule(
    'StringMatches with a trailing * (AWS example)',
    { Variable: '$.file', StringMatches: 'log-*.txt' },
    { file: 'log-2024-01.txt' },
    true,
  ),
  rule(
    'StringMatches with * matching nothing',
    { Variable: '$.file', StringMatches: 'log-*.txt' },
    { file: 'log-.txt' },
    true,
  ),
  rule('StringMatches with several *', { Variable: '$.file', StringMatches: '*a*b*' }, { file: 'xxaxxbxx' }, true),
  rule(
    'StringMatches is anchored at both ends',
    { Variable: '$.file', StringMatches: 'log-*.txt' },
    { file: 'old-log-1.txt.bak' },
    false,
  ),
  rule(
    'StringMatches escaped \\* is a literal star',
    { Variable: '$.v', StringMatches: 'a\\*c' },
    { v: 'a*c' },
    true,
    Docs.choiceSpec,
  ),
  rule(
    'StringMatches escaped \\* does not match other text',
    { Variable: '$.v', StringMatches: 'a\\*c' },
    { v: 'abc' },
    false,
    Docs.choiceSpec,
  ),
  rule(
    'StringMatches escaped backslash',
    { Variable: '$.v', StringMatches: 'a\\\\*' },
    { v: 'a\\bc' },
    true,
    Docs.choiceSpec,
  ),
  rule(
    'StringMatches treats regex characters literally',
    { Variable: '$.v', StringMatches: 'a.c' },
    { v: 'abc' },
    false,
    Docs.choiceSpec,
  ),
  // numbers
  rule('NumericEquals', { Variable: '$.n', NumericEquals: 10 }, data, true),
  rule('NumericEquals integer and float', { Variable: '$.n', NumericEquals: 10.0 }, data, true),
  rule(
    'NumericEquals on a numeric string (types differ)',
    { Variable: '$.ns', NumericEquals: 5 },
    { ns: '5' },
    false,
    Docs.choiceSpec,
  ),
  rule('NumericLessThan', { Variable: '$.f', NumericLessThan: 2 }, data, true),
  rule('NumericGreaterThan', { Variable: '$.n', NumericGreaterThan: 10 }, data, false),
  rule('NumericLessThanEquals', { Variable: '$.n', NumericLessThanEquals: 10 }, data, true),
  rule('NumericGreaterThanEquals', { Variable: '$.f', NumericGreaterThanEquals: 1.5 }, data, true),
  rule('NumericEqualsPath', { Variable: '$.n', NumericEqualsPath: '$.other.n' }, data, true),
  rule('NumericLessThanPath', { Variable: '$.n', NumericLessThanPath: '$.other.big' }, data, true),
  rule('NumericGreaterThanPath', { Variable: '$.n', NumericGreaterThanPath: '$.other.small' }, data, true),
  rule('NumericLessThanEqualsPath', { Variable: '$.n', NumericLessThanEqualsPath: '$.other.small' }, data, false),
  rule('NumericGreaterThanEqualsPath', { Variable: '$.n', NumericGreaterThanEqualsPath: '$.other.n' }, data, true),
  rule('negative numbers', { Variable: '$.v', NumericLessThan: -1 }, { v: -1.5 }, true),
  // booleans
  rule('BooleanEquals', { Variable: '$.t', BooleanEquals: true }, data, true),
  rule('BooleanEquals false', { Variable: '$.t', BooleanEquals: false }, data, false),
  rule(
    'BooleanEquals on the string "true" (types differ)',
    { Variable: '$.v', BooleanEquals: true },
    { v: 'true' },
    false,
    Docs.choiceSpec,
  ),
  rule('BooleanEqualsPath', { Variable: '$.t', BooleanEqualsPath: '$.other.t' }, data, true),
  // timestamps
  rule('TimestampEquals', { Variable: '$.when', TimestampEquals: '2016-03-14T01:59:00Z' }, data, true, ts),
  rule(
    'TimestampEquals the same instant in another offset',
    { Variable: '$.when', TimestampEquals: '2016-03-13T20:59:00-05:00' },
    data,
    true,
    ts,
  ),
  rule('TimestampLessThan', { Variable: '$.when', TimestampLessThan: '2016-03-14T02:00:00Z' }, data, true, ts),
  rule('TimestampGreaterThan', { Variable: '$.when', TimestampGreaterThan: '2016-03-14T02:00:00Z' }, data, false, ts),
  rule(
    'TimestampLessThanEquals',
    { Variable: '$.when', TimestampLessThanEquals: '2016-03-14T01:59:00Z' },
    data,
    true,
    ts,
  ),
  rule(
    'TimestampGreaterThanEquals',
    { Variable: '$.when', TimestampGreaterThanEquals: '2016-03-14T01:58:59Z' },
    data,
    true,
    ts,
  ),
  rule(
    'TimestampEquals with fractional seconds',
    { Variable: '$.v', TimestampEquals: '2016-03-14T01:59:00Z' },
    { v: '2016-03-14T01:59:00.000Z' },
    true,
    ts,
  ),
  rule(
    'TimestampEquals on a non-timestamp string',
    { Variable: '$.v', TimestampEquals: '2016-03-14T01:59:00Z' },
    { v: 'yesterday' },
    false,
    ts,
  ),
  rule('TimestampEqualsPath', { Variable: '$.when', TimestampEqualsPath: '$.other.when' }, data, true, ts),
  rule('TimestampLessThanPath', { Variable: '$.when', TimestampLessThanPath: '$.other.later' }, data, true, ts),
  rule('TimestampGreaterThanPath', { Variable: '$.other.later', TimestampGreaterThanPath: '$.when' }, data, true, ts),
  rule(
    'TimestampLessThanEqualsPath',
    { Variable: '$.when', TimestampLessThanEqualsPath: '$.other.when' },
    data,
    true,
    ts,
  ),
  rule(
    'TimestampGreaterThanEqualsPath',
    { Variable: '$.when', TimestampGreaterThanEqualsPath: '$.other.later' },
    data,
    false,
    ts,
  ),
  // type tests
  rule('IsPresent on a present field', { Variable: '$.z', IsPresent: true }, data, true),
  rule('IsPresent on a missing field', { Variable: '$.missing', IsPresent: true }, data, false),
  rule('IsPresent false on a missing field', { Variable: '$.missing', IsPresent: false }, data, true),
  rule('IsNull on null', { Variable: '$.z', IsNull: true }, data, true),
  rule('IsNull on a string', { Variable: '$.s', IsNull: true }, data, false),
  rule('IsNumeric on a number', { Variable: '$.f', IsNumeric: true }, data, true),
  rule('IsNumeric on a numeric string', { Variable: '$.v', IsNumeric: true }, { v: '10' }, false),
  rule('IsString on a string', { Variable: '$.s', IsString: true }, data, true),
  rule('IsString false on a number', { Variable: '$.n', IsString: false }, data, true),
  rule('IsBoolean on a boolean', { Variable: '$.t', IsBoolean: true }, data, true),
  rule('IsBoolean on null', { Variable: '$.z', IsBoolean: true }, data, false),
  rule('IsTimestamp on an RFC 3339 timestamp', { Variable: '$.when', IsTimestamp: true }, data, true, ts),
  rule('IsTimestamp on a date without a time', { Variable: '$.v', IsTimestamp: true }, { v: '2016-03-14' }, false, ts),
  rule(
    'IsTimestamp with a lowercase t and z',
    { Variable: '$.v', IsTimestamp: true },
    { v: '2016-03-14t01:59:00z' },
    false,
    ts,
  ),
  rule('IsTimestamp on a number', { Variable: '$.n', IsTimestamp: true }, data, false, ts),
  // boolean operators
  rule(
    'And: every rule matches',
    {
      And: [
        { Variable: '$.n', NumericGreaterThan: 5 },
        { Variable: '$.s', StringEquals: 'b' },
      ],
    },
    data,
    true,
  ),
  rule(
    'And: one rule fails',
    {
      And: [
        { Variable: '$.n', NumericGreaterThan: 5 },
        { Variable: '$.s', StringEquals: 'x' },
      ],
    },
    data,
    false,
  ),
  rule(
    'Or: one rule matches',
    {
      Or: [
        { Variable: '$.n', NumericLessThan: 5 },
        { Variable: '$.s', StringEquals: 'b' },
      ],
    },
    data,
    true,
  ),
  rule(
    'Or: no rule matches',
    {
      Or: [
        { Variable: '$.n', NumericLessThan: 5 },
        { Variable: '$.s', StringEquals: 'x' },
      ],
    },
    data,
    false,
  ),
  rule('Not', { Not: { Variable: '$.s', StringEquals: 'x' } }, data, true),
  rule(
    'nested Not/And/Or (AWS example shape)',
    {
      Not: {
        And: [
          { Variable: '$.n', NumericGreaterThanEquals: 20 },
          {
            Or: [
              { Variable: '$.t', BooleanEquals: false },
              { Variable: '$.z', IsNull: true },
            ],
          },
        ],
      },
    },
    data,
    true,
  ),
  rule(
    'And guards a missing field with IsPresent',
    {
      And: [
        { Variable: '$.missing', IsPresent: true },
        { Variable: '$.missing', NumericEquals: 1 },
      ],
    },
    data,
    false,
  ),
  {
    name: 'choice: the first matching rule wins',
    doc: Docs.choice,
    definition: {
      StartAt: 'Decide',
      States: {
        Decide: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.n', NumericGreaterThan: 100, Next: 'Big' },
            { Variable: '$.n', NumericGreaterThan: 1, Next: 'Medium' },
            { Variable: '$.n', NumericGreaterThan: 0, Next: 'Small' },
          ],
          Default: 'Big',
        },
        Big: { Type: 'Pass', Result: 'big', End: true },
        Medium: { Type: 'Pass', Result: 'medium', End: true },
        Small: { Type: 'Pass', Result: 'small', End: true },
      },
    },
    input: { n: 10 },
    expect: { output: 'medium' },
  },
  {
    name: 'choice: no rule matches and no Default fails with States.NoChoiceMatched',
    doc: `${Docs.choice} ; ${Docs.errorNames}`,
    definition: {
      StartAt: 'Decide',
      States: {
        Decide: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'One' }] },
        One: { Type: 'Succeed' },
      },
    },
    input: { n: 2 },
    expect: { error: 'States.NoChoiceMatched' },
  },
  {
    name: 'choice: a Variable path that matches nothing fails with States.Runtime',
    doc: `${Docs.choice} ; ${Docs.errors} (States.Runtime)`,
    definition: branches({ Variable: '$.missing', StringEquals: 'x' }),
    input: { n: 1 },
    expect: { error: 'States.Runtime' },
  },
  {
    name: 'choice: InputPath and OutputPath apply, the output is the input otherwise',
    doc: Docs.choice,
    definition: {
      StartAt: 'Decide',
      States: {
        Decide: {
          Type: 'Choice',
          InputPath: '$.inner',
          OutputPath: '$.keep',
          Choices: [{ Variable: '$.go', BooleanEquals: true, Next: 'Done' }],
          Default: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    },
    input: { inner: { go: true, keep: { k: 1 } }, outer: 0 },
    expect: { output: { k: 1 } },
  },
  {
    name: 'choice: a loop with a counter (Choice back to a Pass)',
    doc: Docs.choice,
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Result: 0, ResultPath: '$.i', Next: 'Inc' },
        Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Loop' },
        Loop: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericLessThan: 5, Next: 'Inc' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    },
    input: {},
    expect: { output: { i: 5 } },
  },
  {
    name: 'choice: Variable can read the context object',
    doc: Docs.contextObject,
    definition: branches({ Variable: '$$.Execution.Input.flag', BooleanEquals: true }),
    input: { flag: true },
    expect: { output: 'yes' },
  },
]
