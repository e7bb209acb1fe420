import type { ConformanceCase } from './conformance-case'

/**
 * The conformance suite: whole state machines with the output or error the AWS Step Functions documentation
 * prescribes. Sources are the Developer Guide pages (https://docs.aws.amazon.com/step-functions/latest/dg/…) and the
 * ASL spec (https://states-language.net/spec.html).
 */

const single = (state: Record<string, unknown>) => ({ StartAt: 'Only', States: { Only: { ...state, End: true } } })
const marker = (value: string) => ({ Type: 'Pass', Result: value, End: true })

const ioDoc = 'dg/concepts-input-output-filtering.html'
const intrinsicsDoc = 'dg/intrinsic-functions.html'
const choiceDoc = 'dg/state-choice.html'
const errorsDoc = 'dg/concepts-error-handling.html'
const mapDoc = 'dg/state-map-inline.html'
const parallelDoc = 'dg/state-parallel.html'

const choiceExample = {
  StartAt: 'ChoiceStateX',
  States: {
    ChoiceStateX: {
      Type: 'Choice',
      Choices: [
        { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
        { Variable: '$.value', NumericEquals: 0, Next: 'ValueIsZero' },
        { And: [{ Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }], Next: 'ValueInTwenties' },
      ],
      Default: 'DefaultState',
    },
    Public: marker('Public'),
    ValueIsZero: marker('ValueIsZero'),
    ValueInTwenties: marker('ValueInTwenties'),
    DefaultState: marker('DefaultState'),
  },
}

const books = [
  { title: 'Sayings of the Century', price: 8.95 },
  { title: 'Sword of Honour', price: 12.99 },
  { title: 'Moby Dick', price: 8.99 },
]

export const conformanceCases: ConformanceCase[] = [
  // ---- Pass and input/output processing ------------------------------------------------------------------------
  {
    name: 'Pass: Result placed at ResultPath',
    source: 'dg/state-pass.html',
    definition: single({ Type: 'Pass', Result: { 'x-datum': 0.381018, 'y-datum': 622.2269926397355 }, ResultPath: '$.coords' }),
    input: { georefOf: 'Home' },
    expected: { output: { georefOf: 'Home', coords: { 'x-datum': 0.381018, 'y-datum': 622.2269926397355 } } },
  },
  {
    name: 'Pass: no Result passes the input through',
    source: 'dg/state-pass.html',
    definition: single({ Type: 'Pass' }),
    input: { a: [1, 2], b: null },
    expected: { output: { a: [1, 2], b: null } },
  },
  {
    name: 'InputPath selects a part of the input',
    source: ioDoc,
    definition: single({ Type: 'Pass', InputPath: '$.dataset2' }),
    input: { comment: 'Example for InputPath.', dataset1: { val1: 1, val2: 2, val3: 3 }, dataset2: { val1: 'a', val2: 'b', val3: 'c' } },
    expected: { output: { val1: 'a', val2: 'b', val3: 'c' } },
  },
  {
    name: 'Parameters builds the effective input from static values and paths',
    source: ioDoc,
    definition: single({
      Type: 'Pass',
      Parameters: { comment: 'Selecting what I care about.', MyDetails: { 'size.$': '$.product.details.size', 'exists.$': '$.product.availability', StaticValue: 'foo' } },
    }),
    input: {
      comment: 'Example for Parameters.',
      product: { details: { color: 'blue', size: 'small', material: 'cotton' }, availability: 'in stock', sku: '2317', cost: '$23' },
    },
    expected: { output: { comment: 'Selecting what I care about.', MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' } } },
  },
  {
    name: 'ResultPath $.taskresult keeps the input and adds the result',
    source: ioDoc,
    definition: single({ Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: '$.taskresult' }),
    input: { comment: 'This is a test of the input and output of a Task state.', details: 'Default example', who: 'AWS Step Functions' },
    expected: {
      output: { comment: 'This is a test of the input and output of a Task state.', details: 'Default example', who: 'AWS Step Functions', taskresult: 'Hello, AWS Step Functions!' },
    },
  },
  {
    name: 'ResultPath null discards the result',
    source: ioDoc,
    definition: single({ Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: null }),
    input: { who: 'AWS Step Functions' },
    expected: { output: { who: 'AWS Step Functions' } },
  },
  {
    name: 'ResultPath $ replaces the input with the result',
    source: ioDoc,
    definition: single({ Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: '$' }),
    input: { who: 'AWS Step Functions' },
    expected: { output: 'Hello, AWS Step Functions!' },
  },
  {
    name: 'ResultPath updates a nested node, then OutputPath selects it',
    source: ioDoc,
    definition: single({ Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: '$.data.lambdaresult', OutputPath: '$.data' }),
    input: { comment: 'An input comment.', data: { val1: 23, val2: 17 }, extra: 'foo', lambda: { who: 'AWS Step Functions' } },
    expected: { output: { val1: 23, val2: 17, lambdaresult: 'Hello, AWS Step Functions!' } },
  },
  {
    name: 'InputPath null gives {} and OutputPath null gives {}',
    source: ioDoc,
    definition: {
      StartAt: 'A',
      States: { A: { Type: 'Pass', InputPath: null, ResultPath: '$.seen', Result: true, Next: 'B' }, B: { Type: 'Pass', OutputPath: null, End: true } },
    },
    input: { dropped: true },
    expected: { output: {} },
  },
  {
    name: 'JSONPath filters, slices, wildcards and negative indexes',
    source: 'dg/amazon-states-language-paths.html (Jayway JsonPath syntax)',
    definition: single({
      Type: 'Pass',
      Parameters: {
        'cheap.$': '$.books[?(@.price < 10)].title',
        'firstTwo.$': '$.books[0:2].title',
        'all.$': '$.books[*].price',
        'deep.$': '$..title',
      },
    }),
    input: { books },
    expected: {
      output: {
        cheap: ['Sayings of the Century', 'Moby Dick'],
        firstTwo: ['Sayings of the Century', 'Sword of Honour'],
        all: [8.95, 12.99, 8.99],
        deep: ['Sayings of the Century', 'Sword of Honour', 'Moby Dick'],
      },
    },
  },
  {
    name: 'JSONPath negative index selects from the end',
    source: 'dg/amazon-states-language-paths.html (Jayway JsonPath: [-1] is the last element)',
    definition: single({ Type: 'Pass', Parameters: { 'lastTitle.$': '$.books[-1].title' } }),
    input: { books },
    expected: { output: { lastTitle: 'Moby Dick' } },
  },
  {
    name: 'a path matching nothing fails the run with States.Runtime naming the path',
    source: `${ioDoc}; dg/concepts-error-handling.html (States.Runtime)`,
    definition: single({ Type: 'Pass', Parameters: { 'x.$': '$.missing' } }),
    input: {},
    expected: { error: 'States.Runtime', causeIncludes: '$.missing' },
  },
  {
    name: 'ResultPath through a string fails with States.ResultPathMatchFailure',
    source: errorsDoc,
    definition: single({ Type: 'Pass', Result: 1, ResultPath: '$.a.b' }),
    input: { a: 'text' },
    expected: { error: 'States.ResultPathMatchFailure' },
  },
  {
    name: 'context object: $$.State.Name and $$.Execution.Input',
    source: 'dg/input-output-contextobject.html',
    definition: single({ Type: 'Pass', Parameters: { 'state.$': '$$.State.Name', 'original.$': '$$.Execution.Input.x', 'retry.$': '$$.State.RetryCount' } }),
    input: { x: 42 },
    expected: { output: { state: 'Only', original: 42, retry: 0 } },
    notDifferential: 'aws-local-stepfunctions only fills $$.Execution.Input/StartTime unless a context is passed',
  },

  // ---- Intrinsic functions -------------------------------------------------------------------------------------
  {
    name: 'intrinsics: Format, StringToJson, JsonToString, Array',
    source: intrinsicsDoc,
    definition: single({
      Type: 'Pass',
      Parameters: {
        'greeting.$': "States.Format('Hello, my name is {}.', $.name)",
        'escaped.$': "States.Format('\\{\\} {} it\\'s', $.name)",
        'parsed.$': 'States.StringToJson($.escapedJsonString)',
        'string.$': 'States.JsonToString($.unescapedJson)',
        'array.$': "States.Array('Foo', 2020, $.someJson, null)",
      },
    }),
    input: { name: 'Arnav', escapedJsonString: '{"foo": "bar"}', unescapedJson: { foo: 'bar' }, someJson: { random: 'abcdefg' } },
    expected: {
      output: { greeting: 'Hello, my name is Arnav.', escaped: "{} Arnav it's", parsed: { foo: 'bar' }, string: '{"foo":"bar"}', array: ['Foo', 2020, { random: 'abcdefg' }, null] },
    },
  },
  {
    name: 'intrinsics: the array functions',
    source: intrinsicsDoc,
    definition: single({
      Type: 'Pass',
      Parameters: {
        'partition.$': 'States.ArrayPartition($.inputArray, 4)',
        'contains.$': 'States.ArrayContains($.inputArray, $.lookingFor)',
        'range.$': 'States.ArrayRange(1, 9, 2)',
        'item.$': 'States.ArrayGetItem($.inputArray, $.index)',
        'length.$': 'States.ArrayLength($.inputArray)',
        'unique.$': 'States.ArrayUnique($.duplicates)',
      },
    }),
    input: { inputArray: [1, 2, 3, 4, 5, 6, 7, 9], lookingFor: 5, index: 5, duplicates: [1, 2, 3, 3, 3, 3, 3, 3, 4] },
    expected: { output: { partition: [[1, 2, 3, 4], [5, 6, 7, 9]], contains: true, range: [1, 3, 5, 7, 9], item: 6, length: 8, unique: [1, 2, 3, 4] } },
  },
  {
    name: 'intrinsics: Base64, Hash, JsonMerge, MathAdd, nesting',
    source: intrinsicsDoc,
    definition: single({
      Type: 'Pass',
      Parameters: {
        'encoded.$': 'States.Base64Encode($.input)',
        'decoded.$': "States.Base64Decode('RGF0YSB0byBlbmNvZGU=')",
        'hash.$': "States.Hash($.Data, 'SHA-1')",
        'merged.$': 'States.JsonMerge($.json1, $.json2, false)',
        'sum.$': 'States.MathAdd($.value1, $.step)',
        'nested.$': "States.Format('{} items', States.ArrayLength(States.Array(1, 2, 3)))",
      },
    }),
    input: { input: 'Data to encode', Data: 'input data', json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 }, value1: 111, step: -1 },
    expected: {
      output: {
        encoded: 'RGF0YSB0byBlbmNvZGU=',
        decoded: 'Data to encode',
        hash: 'aaff4a450a104cd177d28d18d74485e8cae074b7',
        merged: { a: { a3: 1, a4: 2 }, b: 2, c: 3 },
        sum: 110,
        nested: '3 items',
      },
    },
  },
  {
    name: 'intrinsics: StringSplit splits on every delimiter character',
    source: intrinsicsDoc,
    definition: single({ Type: 'Pass', Parameters: { 'simple.$': "States.StringSplit($.inputString, ',')", 'many.$': 'States.StringSplit($.other, $.splitter)' } }),
    input: { inputString: '1,2,3,4,5', other: 'This.is+a,test=string', splitter: '.+,=' },
    expected: { output: { simple: ['1', '2', '3', '4', '5'], many: ['This', 'is', 'a', 'test', 'string'] } },
  },
  {
    name: 'intrinsics: MathRandom stays in [start, end)',
    source: `${intrinsicsDoc} (start inclusive, end exclusive)`,
    definition: single({ Type: 'Pass', Parameters: { 'random.$': 'States.MathRandom(5, 6)' } }),
    input: {},
    expected: { output: { random: 5 } },
    notDifferential: 'aws-local-stepfunctions includes the end: States.MathRandom(5, 6) returns 5 or 6 at random',
  },
  {
    name: 'intrinsics: UUID has five groups',
    source: intrinsicsDoc,
    definition: single({ Type: 'Pass', Parameters: { 'groups.$': "States.ArrayLength(States.StringSplit(States.UUID(), '-'))" } }),
    input: {},
    expected: { output: { groups: 5 } },
  },
  {
    name: 'intrinsics: a failing function raises States.IntrinsicFailure',
    source: `${intrinsicsDoc} (ArrayRange: "can't contain more than 1000 items"); spec appendix A (States.IntrinsicFailure)`,
    definition: single({ Type: 'Pass', Parameters: { 'x.$': 'States.ArrayRange(1, 2000, 1)' } }),
    input: {},
    expected: { error: 'States.IntrinsicFailure' },
  },

  // ---- Choice ---------------------------------------------------------------------------------------------------
  ...(
    [
      [{ type: 'Public', value: 22 }, 'Public'],
      [{ type: 'Private', value: 0 }, 'ValueIsZero'],
      [{ type: 'Private', value: 25 }, 'ValueInTwenties'],
      [{ type: 'Private', value: 42 }, 'DefaultState'],
    ] as const
  ).map(([input, next]) => ({
    name: `Choice (AWS example): ${JSON.stringify(input)} goes to ${next}`,
    source: choiceDoc,
    definition: choiceExample,
    input,
    expected: { output: next },
  })),
  {
    name: 'Choice without Default fails with States.NoChoiceMatched',
    source: choiceDoc,
    definition: {
      StartAt: 'ChoiceStateX',
      States: {
        ChoiceStateX: { Type: 'Choice', Choices: choiceExample.States.ChoiceStateX.Choices },
        Public: marker('Public'),
        ValueIsZero: marker('ValueIsZero'),
        ValueInTwenties: marker('ValueInTwenties'),
      },
    },
    input: { type: 'Private', value: 42 },
    expected: { error: 'States.NoChoiceMatched' },
  },
  {
    name: 'Choice: StringMatches with wildcards and escapes, Is* tests, timestamps and …Path comparators',
    source: choiceDoc,
    definition: {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.file', StringMatches: 'log-*.txt' },
                { Variable: '$.literal', StringMatches: 'a\\*b' },
                { Variable: '$.nothing', IsNull: true },
                { Variable: '$.count', IsNumeric: true },
                { Variable: '$.file', IsString: true },
                { Variable: '$.flag', IsBoolean: true },
                { Variable: '$.when', IsTimestamp: true },
                { Variable: '$.when', TimestampLessThan: '2030-01-01T00:00:00Z' },
                { Variable: '$.when', TimestampGreaterThanEqualsPath: '$.earlier' },
                { Variable: '$.count', NumericLessThanEqualsPath: '$.limit' },
                { Variable: '$.flag', BooleanEqualsPath: '$.expectedFlag' },
                { Variable: '$.file', StringEqualsPath: '$.sameFile' },
                { Not: { Variable: '$.count', StringEquals: '3' } },
              ],
              Next: 'Yes',
            },
          ],
          Default: 'No',
        },
        Yes: marker('Yes'),
        No: marker('No'),
      },
    },
    input: {
      file: 'log-2021.txt',
      sameFile: 'log-2021.txt',
      literal: 'a*b',
      nothing: null,
      count: 3,
      limit: 3,
      flag: true,
      expectedFlag: true,
      when: '2026-05-01T12:00:00+08:00',
      earlier: '2026-05-01T04:00:00Z',
    },
    expected: { output: 'Yes' },
  },
  {
    name: 'Choice: IsPresent false matches a missing field',
    source: choiceDoc,
    definition: {
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [{ Variable: '$.missing', IsPresent: false, Next: 'Yes' }], Default: 'No' }, Yes: marker('Yes'), No: marker('No') },
    },
    input: { present: 1 },
    expected: { output: 'Yes' },
  },
  {
    name: 'Choice: a Variable that matches nothing is States.Runtime',
    source: choiceDoc,
    definition: { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.nope', NumericEquals: 1, Next: 'Y' }], Default: 'Y' }, Y: { Type: 'Succeed' } } },
    input: {},
    expected: { error: 'States.Runtime', causeIncludes: '$.nope' },
  },

  // ---- Wait, Succeed, Fail --------------------------------------------------------------------------------------
  {
    name: 'Wait: Seconds 0 and a past TimestampPath pass the input through',
    source: 'dg/state-wait.html',
    definition: {
      StartAt: 'W1',
      States: { W1: { Type: 'Wait', Seconds: 0, Next: 'W2' }, W2: { Type: 'Wait', TimestampPath: '$.at', Next: 'Done' }, Done: { Type: 'Succeed' } },
    },
    input: { at: '2001-01-01T00:00:00Z' },
    expected: { output: { at: '2001-01-01T00:00:00Z' } },
  },
  {
    name: 'Succeed applies InputPath and OutputPath',
    source: 'dg/state-succeed.html',
    definition: { StartAt: 'S', States: { S: { Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' } } },
    input: { a: { b: 'kept' } },
    expected: { output: 'kept' },
  },
  {
    name: 'Fail with Error and Cause',
    source: 'dg/state-fail.html',
    definition: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'ErrorA', Cause: 'Kaiju attack' } } },
    input: {},
    expected: { error: 'ErrorA', causeIncludes: 'Kaiju attack' },
  },
  {
    name: 'Fail with ErrorPath and CausePath',
    source: 'dg/state-fail.html',
    definition: { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.error', CausePath: '$.cause' } } },
    input: { error: 'Custom.Broken', cause: 'because' },
    expected: { error: 'Custom.Broken', causeIncludes: 'because' },
  },

  {
    name: 'Fail with CausePath as an intrinsic function (AWS example)',
    source: 'dg/state-fail.html',
    definition: {
      StartAt: 'F',
      States: { F: { Type: 'Fail', ErrorPath: '$.Error', CausePath: "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)" } },
    },
    input: { Error: 'Error1', Cause: 'Cause1' },
    expected: { error: 'Error1', causeIncludes: 'This is a custom error message for Error1, caused by Cause1.' },
  },

  // ---- Map ------------------------------------------------------------------------------------------------------
  {
    name: 'Map: ItemsPath, ItemSelector with $$.Map.Item, results in item order at ResultPath',
    source: mapDoc,
    definition: single({
      Type: 'Map',
      ItemsPath: '$.detail.shipped',
      ItemSelector: { 'parcel.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'courier.$': '$.detail.courier' },
      MaxConcurrency: 0,
      ItemProcessor: {
        StartAt: 'Label',
        States: {
          Label: { Type: 'Pass', Parameters: { 'label.$': "States.Format('{}#{} via {}', $.parcel.prod, $.index, $.courier)" }, Next: 'Done' },
          Done: { Type: 'Succeed' },
        },
      },
      ResultPath: '$.detail.labels',
    }),
    input: { detail: { courier: 'UQS', shipped: [{ prod: 'R31' }, { prod: 'S39' }, { prod: 'R15' }] } },
    expected: {
      output: {
        detail: {
          courier: 'UQS',
          shipped: [{ prod: 'R31' }, { prod: 'S39' }, { prod: 'R15' }],
          labels: [{ label: 'R31#0 via UQS' }, { label: 'S39#1 via UQS' }, { label: 'R15#2 via UQS' }],
        },
      },
    },
  },
  {
    name: 'Map: legacy Iterator and Parameters, MaxConcurrency 1, ResultSelector',
    source: 'dg/amazon-states-language-map-state.html (legacy fields)',
    definition: single({
      Type: 'Map',
      MaxConcurrency: 1,
      Parameters: { 'n.$': '$$.Map.Item.Value' },
      Iterator: { StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } } },
      ResultSelector: { 'count.$': 'States.ArrayLength($)', 'all.$': '$[*].doubled' },
    }),
    input: [1, 2, 3],
    expected: { output: { count: 3, all: [2, 4, 6] } },
  },
  {
    name: 'Map over an empty array returns []',
    source: mapDoc,
    definition: single({ Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ResultPath: '$.results' }),
    input: { items: [] },
    expected: { output: { items: [], results: [] } },
  },
  {
    name: 'Map: a failing iteration fails the Map; Catch at the Map handles it',
    source: `${mapDoc}; ${errorsDoc}`,
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'Check',
            States: {
              Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 1, Next: 'TooBig' }], Default: 'Ok' },
              TooBig: { Type: 'Fail', Error: 'Item.TooBig', Cause: 'item over 1' },
              Ok: { Type: 'Succeed' },
            },
          },
          Catch: [{ ErrorEquals: ['Item.TooBig'], ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', InputPath: '$.error.Error', End: true },
      },
    },
    input: { items: [1, 2] },
    expected: { output: 'Item.TooBig' },
  },

  // ---- Parallel -------------------------------------------------------------------------------------------------
  {
    name: 'Parallel: branch outputs in branch order, ResultSelector, ResultPath',
    source: parallelDoc,
    definition: single({
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Add', States: { Add: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, End: true } } },
        { StartAt: 'Join', States: { Join: { Type: 'Pass', Parameters: { 'text.$': "States.Format('{}-{}', $.a, $.b)" }, End: true } } },
      ],
      ResultSelector: { 'sum.$': '$[0].sum', 'text.$': '$[1].text' },
      ResultPath: '$.combined',
    }),
    input: { a: 1, b: 2 },
    expected: { output: { a: 1, b: 2, combined: { sum: 3, text: '1-2' } } },
  },
  {
    name: 'Parallel: a failing branch is caught with its Error and Cause',
    source: `${parallelDoc}; ${errorsDoc}`,
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Fine', States: { Fine: { Type: 'Pass', End: true } } },
            { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Branch.Boom', Cause: 'went wrong' } } },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Recovered' }],
          End: true,
        },
        Recovered: { Type: 'Pass', End: true },
      },
    },
    input: { kept: true },
    expected: { output: { kept: true, failure: { Error: 'Branch.Boom', Cause: 'went wrong' } } },
  },

  // ---- Task, Retry and Catch ------------------------------------------------------------------------------------
  {
    name: 'Task: Parameters, ResultSelector, ResultPath and OutputPath around the call',
    source: ioDoc,
    definition: single({
      Type: 'Task',
      Resource: 'test:echo',
      Parameters: { 'disk.$': '$.disk', static: 1 },
      ResultSelector: { 'echoed.$': '$.disk' },
      ResultPath: '$.result',
      OutputPath: '$.result',
    }),
    actions: { 'test:echo': { echo: true } },
    input: { disk: 'd-1', other: true },
    expected: { output: { echoed: 'd-1' } },
  },
  {
    name: 'Retry: a flaky task succeeds on the third attempt',
    source: errorsDoc,
    definition: single({ Type: 'Task', Resource: 'test:flaky', Retry: [{ ErrorEquals: ['Custom.Flaky'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }] }),
    actions: { 'test:flaky': { fails: { error: 'Custom.Flaky', cause: 'try again' }, times: 2, thenReturns: { ok: true } } },
    input: {},
    expected: { output: { ok: true } },
  },
  {
    name: 'Retry exhausted, then Catch puts { Error, Cause } at its ResultPath',
    source: errorsDoc,
    definition: {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'test:broken',
          Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['Custom.Other'], Next: 'Wrong' }, { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Recovered' }],
          End: true,
        },
        Wrong: { Type: 'Fail', Error: 'Wrong.Catcher', Cause: 'the first catcher must not match' },
        Recovered: { Type: 'Pass', End: true },
      },
    },
    actions: { 'test:broken': { fails: { error: 'Custom.Broken', cause: 'always broken' } } },
    input: { disk: 'd-1' },
    expected: { output: { disk: 'd-1', error: { Error: 'Custom.Broken', Cause: 'always broken' } } },
  },
  {
    name: 'an uncaught task error fails the run with that error',
    source: errorsDoc,
    definition: single({ Type: 'Task', Resource: 'test:broken', Catch: [{ ErrorEquals: ['Custom.Other'], Next: 'Only' }] }),
    actions: { 'test:broken': { fails: { error: 'Custom.Broken', cause: 'always broken' } } },
    input: {},
    expected: { error: 'Custom.Broken', causeIncludes: 'always broken' },
  },
  {
    name: 'States.Runtime is not caught by States.ALL',
    source: errorsDoc,
    definition: {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'test:echo', Parameters: { 'x.$': '$.missing' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true },
        Caught: { Type: 'Succeed' },
      },
    },
    actions: { 'test:echo': { echo: true } },
    input: {},
    expected: { error: 'States.Runtime', causeIncludes: '$.missing' },
  },
  {
    name: 'States.ResultPathMatchFailure is caught by States.ALL',
    source: errorsDoc,
    definition: {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'test:echo', ResultPath: '$.text.result', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }], End: true },
        Caught: { Type: 'Pass', OutputPath: '$.error.Error', End: true },
      },
    },
    actions: { 'test:echo': { echo: true } },
    input: { text: 'not an object' },
    expected: { output: 'States.ResultPathMatchFailure' },
  },
  // ---- More control flow ----------------------------------------------------------------------------------------
  {
    name: 'Choice loop: a counter incremented with MathAdd until it reaches a limit',
    source: `${choiceDoc}; ${intrinsicsDoc}`,
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Parameters: { count: 0, 'limit.$': '$.limit' }, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.count', NumericGreaterThanEqualsPath: '$.limit', Next: 'Done' }], Default: 'Increment' },
        Increment: { Type: 'Pass', Parameters: { 'count.$': 'States.MathAdd($.count, 1)', 'limit.$': '$.limit' }, Next: 'Check' },
        Done: { Type: 'Succeed', OutputPath: '$.count' },
      },
    },
    input: { limit: 25 },
    expected: { output: 25 },
  },
  {
    name: 'Wait: SecondsPath and a future Timestamp leave the input unchanged',
    source: 'dg/state-wait.html',
    definition: {
      StartAt: 'W1',
      States: {
        W1: { Type: 'Wait', SecondsPath: '$.seconds', Next: 'W2' },
        W2: { Type: 'Wait', Timestamp: '2099-01-01T00:00:00Z', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    },
    input: { seconds: 30 },
    expected: { output: { seconds: 30 } },
  },
  {
    name: 'Map without ItemSelector passes each item; OutputPath on the Map',
    source: mapDoc,
    definition: single({
      Type: 'Map',
      ItemsPath: '$.numbers',
      ItemProcessor: { StartAt: 'Wrap', States: { Wrap: { Type: 'Pass', Parameters: { 'value.$': '$' }, End: true } } },
      ResultPath: '$.wrapped',
      OutputPath: '$.wrapped',
    }),
    input: { numbers: [3, 1, 2] },
    expected: { output: [{ value: 3 }, { value: 1 }, { value: 2 }] },
  },
  {
    name: 'Parallel inside Map: nested scopes keep item order and branch order',
    source: `${mapDoc}; ${parallelDoc}`,
    definition: single({
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($, $)' }, OutputPath: '$.v', End: true } } },
              { StartAt: 'Same', States: { Same: { Type: 'Pass', End: true } } },
            ],
            End: true,
          },
        },
      },
    }),
    input: [1, 2, 3],
    expected: { output: [[2, 1], [4, 2], [6, 3]] },
  },
  {
    name: 'Parallel: an uncaught branch failure fails the run with the branch error',
    source: parallelDoc,
    definition: single({
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Fine', States: { Fine: { Type: 'Pass', End: true } } },
        { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Branch.Boom', Cause: 'went wrong' } } },
      ],
    }),
    input: {},
    expected: { error: 'Branch.Boom', causeIncludes: 'went wrong' },
  },
  {
    name: 'Catch without ResultPath replaces the input with { Error, Cause }',
    source: errorsDoc,
    definition: {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'test:broken', Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'After' }], End: true },
        After: { Type: 'Pass', End: true },
      },
    },
    actions: { 'test:broken': { fails: { error: 'Custom.Broken', cause: 'always broken' } } },
    input: { dropped: true },
    expected: { output: { Error: 'Custom.Broken', Cause: 'always broken' } },
  },
  {
    name: 'Retry with MaxAttempts 0 never retries; the Catch takes the first failure',
    source: errorsDoc,
    definition: {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'test:flaky',
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Gave up' }],
          End: true,
        },
        'Gave up': { Type: 'Pass', Result: 'gave up', End: true },
      },
    },
    actions: { 'test:flaky': { fails: { error: 'Custom.Flaky', cause: 'once' }, times: 1, thenReturns: 'ok' } },
    input: {},
    expected: { output: 'gave up' },
  },
  {
    name: 'Parallel with Retry: a failing branch is retried as a whole',
    source: `${parallelDoc}; ${errorsDoc}`,
    definition: single({
      Type: 'Parallel',
      Branches: [{ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'test:flaky', End: true } } }],
      Retry: [{ ErrorEquals: ['Custom.Flaky'], IntervalSeconds: 1, MaxAttempts: 2 }],
    }),
    actions: { 'test:flaky': { fails: { error: 'Custom.Flaky', cause: 'try again' }, times: 1, thenReturns: 'ok' } },
    input: {},
    expected: { output: ['ok'] },
  },
  {
    name: 'Map with Retry: a failing iteration makes the Map retry',
    source: `${mapDoc}; ${errorsDoc}`,
    definition: single({
      Type: 'Map',
      ItemProcessor: { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'test:flaky', End: true } } },
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3 }],
    }),
    actions: { 'test:flaky': { fails: { error: 'Custom.Flaky', cause: 'try again' }, times: 1, thenReturns: 'ok' } },
    input: [1, 2],
    expected: { output: ['ok', 'ok'] },
  },
  {
    name: "bracket notation reads keys with spaces and dots: $['my key']['a.b']",
    source: 'dg/amazon-states-language-paths.html',
    definition: single({ Type: 'Pass', Parameters: { "value.$": "$['my key']['a.b']" } }),
    input: { 'my key': { 'a.b': 'found' } },
    expected: { output: { value: 'found' } },
  },
]
