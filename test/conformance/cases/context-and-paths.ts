import { single, type AslDefinition, type ConformanceCase } from '../conformance-case'
import { Docs } from './docs'

/** Copies context fields with Parameters, then checks their types with a Choice: values like ids and times differ per engine and run. */
function contextShape(name: string, fields: Record<string, string>, rules: unknown[]): ConformanceCase {
  const definition: AslDefinition = {
    StartAt: 'Read',
    States: {
      Read: { Type: 'Pass', Parameters: fields, Next: 'Check' },
      Check: { Type: 'Choice', Choices: [{ And: rules, Next: 'Ok' }], Default: 'Bad' },
      Ok: { Type: 'Pass', Result: 'shape ok', End: true },
      Bad: { Type: 'Fail', Error: 'Test.BadContext', Cause: 'a context field has the wrong type' },
    },
  }
  return {
    name: `context: ${name}`,
    doc: Docs.contextObject,
    definition,
    input: { any: 'input' },
    expect: { output: 'shape ok' },
  }
}

const items = {
  things: [
    { name: 'a', price: 5, type: 'book' },
    { name: 'b', price: 15, type: 'pen' },
    { name: 'c', price: 8, type: 'book' },
  ],
}

export const contextCases: ConformanceCase[] = [
  {
    name: 'context: $$.Execution.Input is the run input, unchanged by earlier states',
    doc: Docs.contextObject,
    definition: {
      StartAt: 'Change',
      States: {
        Change: { Type: 'Pass', Result: { replaced: true }, Next: 'Read' },
        Read: {
          Type: 'Pass',
          Parameters: { 'original.$': '$$.Execution.Input', 'first.$': '$$.Execution.Input.list[0]', 'now.$': '$' },
          End: true,
        },
      },
    },
    input: { list: ['x', 'y'] },
    expect: { output: { original: { list: ['x', 'y'] }, first: 'x', now: { replaced: true } } },
  },
  {
    name: 'context: $$.State.Name is the current state name',
    doc: Docs.contextObject,
    definition: single({ Type: 'Pass', Parameters: { 'name.$': '$$.State.Name' } }, 'Name Of This State'),
    input: {},
    expect: { output: { name: 'Name Of This State' } },
  },
  {
    name: 'context: $$.State.RetryCount is 0 before any retry',
    doc: Docs.contextObject,
    definition: single({ Type: 'Pass', Parameters: { 'retries.$': '$$.State.RetryCount' } }),
    input: {},
    expect: { output: { retries: 0 } },
  },
  contextShape(
    '$$.Execution.StartTime and $$.State.EnteredTime are timestamps',
    { 'start.$': '$$.Execution.StartTime', 'entered.$': '$$.State.EnteredTime' },
    [
      { Variable: '$.start', IsTimestamp: true },
      { Variable: '$.entered', IsTimestamp: true },
      { Variable: '$.entered', TimestampGreaterThanEqualsPath: '$.start' },
    ],
  ),
  contextShape(
    '$$.Execution.Id and $$.Execution.Name are strings',
    { 'id.$': '$$.Execution.Id', 'name.$': '$$.Execution.Name' },
    [
      { Variable: '$.id', IsString: true },
      { Variable: '$.name', IsString: true },
    ],
  ),
  {
    name: 'context: $$.Map.Item.Index and $$.Map.Item.Value in ItemSelector (AWS example)',
    doc: Docs.contextMap,
    definition: single({
      Type: 'Map',
      ItemSelector: { 'ContextIndex.$': '$$.Map.Item.Index', 'ContextValue.$': '$$.Map.Item.Value' },
      ItemProcessor: { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
    }),
    input: [{ who: 'bob' }, { who: 'meg' }, { who: 'joe' }],
    expect: {
      output: [
        { ContextIndex: 0, ContextValue: { who: 'bob' } },
        { ContextIndex: 1, ContextValue: { who: 'meg' } },
        { ContextIndex: 2, ContextValue: { who: 'joe' } },
      ],
    },
  },
  {
    name: 'context: $$.Execution.Input is visible inside a Map iteration',
    doc: Docs.contextObject,
    definition: single({
      Type: 'Map',
      ItemsPath: '$.xs',
      ItemProcessor: {
        StartAt: 'Read',
        States: { Read: { Type: 'Pass', Parameters: { 'item.$': '$', 'tag.$': '$$.Execution.Input.tag' }, End: true } },
      },
    }),
    input: { xs: [1, 2], tag: 't' },
    expect: {
      output: [
        { item: 1, tag: 't' },
        { item: 2, tag: 't' },
      ],
    },
  },
]

export const jsonPathCases: ConformanceCase[] = [
  {
    name: 'jsonpath: dot and bracket notation, array index',
    doc: Docs.paths,
    definition: single({
      Type: 'Pass',
      Parameters: { 'a.$': '$.foo', 'b.$': "$['key with space']", 'c.$': '$.bar[1]', 'd.$': '$.car.cdr' },
    }),
    input: { foo: 123, bar: ['a', 'b', 'c'], car: { cdr: true }, 'key with space': 'spaced' },
    expect: { output: { a: 123, b: 'spaced', c: 'b', d: true } },
  },
  {
    name: 'jsonpath: bracket notation for keys with spaces and dots, chained',
    doc: Docs.paths,
    definition: single({ Type: 'Pass', Parameters: { 'value.$': "$['my key']['a.b']" } }),
    input: { 'my key': { 'a.b': 'found' }, my: { key: 'wrong' } },
    expect: { output: { value: 'found' } },
  },
  {
    // Paths are JsonPath as Jayway implements it (AWS paths page), where [-1] is the last element.
    name: 'jsonpath: negative index [-1] selects the last element',
    doc: `${Docs.paths} ; ${Docs.filters}`,
    definition: single({ Type: 'Pass', Parameters: { 'last.$': '$.things[-1].name' } }),
    input: items,
    expect: { output: { last: 'c' } },
  },
  {
    name: 'jsonpath: slice [1:3]',
    doc: Docs.paths,
    definition: single({ Type: 'Pass', InputPath: '$.a[1:3]' }),
    input: { a: [0, 1, 2, 3, 4] },
    expect: { output: [1, 2] },
  },
  {
    name: 'jsonpath: slice from the end [-2:]',
    doc: Docs.paths,
    definition: single({ Type: 'Pass', InputPath: '$.a[-2:]' }),
    input: { a: [0, 1, 2, 3, 4] },
    expect: { output: [3, 4] },
  },
  {
    name: 'jsonpath: wildcard over array members',
    doc: Docs.paths,
    definition: single({ Type: 'Pass', Parameters: { 'names.$': '$.things[*].name' } }),
    input: items,
    expect: { output: { names: ['a', 'b', 'c'] } },
  },
  {
    name: 'jsonpath: filter with a numeric comparison',
    doc: Docs.paths,
    definition: single({ Type: 'Pass', Parameters: { 'cheap.$': '$.things[?(@.price < 10)].name' } }),
    input: items,
    expect: { output: { cheap: ['a', 'c'] } },
  },
  {
    name: 'jsonpath: filter with a string equality',
    doc: Docs.paths,
    definition: single({ Type: 'Pass', InputPath: "$.things[?(@.type == 'pen')]" }),
    input: items,
    expect: { output: [{ name: 'b', price: 15, type: 'pen' }] },
  },
  {
    name: 'jsonpath: recursive descent',
    doc: Docs.paths,
    definition: single({ Type: 'Pass', Parameters: { 'all.$': '$..price' } }),
    input: items,
    expect: { output: { all: [5, 15, 8] } },
  },
  {
    name: 'jsonpath: a filter in InputPath selects the items a Map iterates',
    doc: `${Docs.paths} ; ${Docs.map}`,
    definition: single({
      Type: 'Map',
      InputPath: "$.things[?(@.type == 'book')]",
      ItemProcessor: { StartAt: 'Name', States: { Name: { Type: 'Pass', InputPath: '$.name', End: true } } },
    }),
    input: items,
    expect: { output: ['a', 'c'] },
  },
]
