import { single, type ConformanceCase } from '../conformance-case'
import { stubFailureCause } from '../stub-resources'
import { Docs } from './docs'

/** States inside states, and whole-machine fields. */
export const compositionCases: ConformanceCase[] = [
  {
    name: 'execution: TimeoutSeconds on the machine fails a run that waits longer with States.Timeout',
    doc: 'https://states-language.net/spec.html#toplevelfields',
    definition: { StartAt: 'Long', TimeoutSeconds: 60, States: { Long: { Type: 'Wait', Seconds: 3600, End: true } } },
    input: {},
    expect: { status: 'TIMED_OUT', error: 'States.Timeout' },
    // aws-local-stepfunctions has no virtual clock: the Wait either really lasts an hour or is overridden to a fixed delay.
    differential: false,
  },
  {
    name: 'execution: a machine TimeoutSeconds that is not reached changes nothing',
    doc: 'https://states-language.net/spec.html#toplevelfields',
    definition: { StartAt: 'Short', TimeoutSeconds: 3600, States: { Short: { Type: 'Wait', Seconds: 60, End: true } } },
    input: { a: 1 },
    expect: { output: { a: 1 } },
  },
  {
    name: 'execution: an array input passes through',
    doc: Docs.pass,
    definition: single({ Type: 'Pass' }),
    input: [1, 'two', { three: 3 }],
    expect: { output: [1, 'two', { three: 3 }] },
  },
  {
    name: 'execution: a string input passes through',
    doc: Docs.pass,
    definition: single({ Type: 'Pass' }),
    input: 'just a string',
    expect: { output: 'just a string' },
  },
  {
    name: 'composition: Map inside a Parallel branch',
    doc: `${Docs.parallel} ; ${Docs.map}`,
    definition: single({
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Each',
          States: {
            Each: {
              Type: 'Map',
              ItemsPath: '$.xs',
              ItemProcessor: {
                StartAt: 'Wrap',
                States: { Wrap: { Type: 'Pass', Parameters: { 'x.$': '$' }, End: true } },
              },
              End: true,
            },
          },
        },
        {
          StartAt: 'Count',
          States: { Count: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.xs)' }, End: true } },
        },
      ],
    }),
    input: { xs: ['a', 'b'] },
    expect: { output: [[{ x: 'a' }, { x: 'b' }], { n: 2 }] },
  },
  {
    name: 'composition: Parallel inside a Map iteration',
    doc: `${Docs.map} ; ${Docs.parallel}`,
    definition: single({
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'Twice',
                States: { Twice: { Type: 'Pass', Parameters: { 'v.$': 'States.Array($, $)' }, End: true } },
              },
              {
                StartAt: 'Text',
                States: { Text: { Type: 'Pass', Parameters: { 'v.$': "States.Format('n={}', $)" }, End: true } },
              },
            ],
            End: true,
          },
        },
      },
    }),
    input: [1, 2],
    expect: {
      output: [
        [{ v: [1, 1] }, { v: 'n=1' }],
        [{ v: [2, 2] }, { v: 'n=2' }],
      ],
    },
  },
  {
    name: 'composition: a Catch inside a Map iteration turns its failure into a result',
    doc: `${Docs.map} ; ${Docs.catch}`,
    definition: single({
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'Try',
        States: {
          Try: {
            Type: 'Choice',
            Choices: [{ Variable: '$', StringEquals: 'bad', Next: 'Broken' }],
            Default: 'Fine',
          },
          Broken: {
            Type: 'Task',
            Resource: 'test:fail:Item.Failed',
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }],
            End: true,
          },
          Recover: { Type: 'Pass', Parameters: { 'failed.$': '$.Error' }, End: true },
          Fine: { Type: 'Pass', Parameters: { 'ok.$': '$' }, End: true },
        },
      },
    }),
    input: ['good', 'bad'],
    expect: { output: [{ ok: 'good' }, { failed: 'Item.Failed' }] },
  },
  {
    name: 'composition: a Catch inside a Parallel branch keeps the Parallel from failing',
    doc: `${Docs.parallel} ; ${Docs.catch}`,
    definition: single({
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Risky',
          States: {
            Risky: {
              Type: 'Task',
              Resource: 'test:fail:Branch.Error',
              Catch: [{ ErrorEquals: ['Branch.Error'], ResultPath: '$.caught', Next: 'Handled' }],
              End: true,
            },
            Handled: { Type: 'Pass', End: true },
          },
        },
        { StartAt: 'Safe', States: { Safe: { Type: 'Pass', Result: 'safe', End: true } } },
      ],
    }),
    input: { id: 1 },
    expect: {
      output: [{ id: 1, caught: { Error: 'Branch.Error', Cause: stubFailureCause('test:fail:Branch.Error') } }, 'safe'],
    },
  },
  {
    name: 'composition: a Task error propagates out of a nested Map and Parallel unchanged',
    doc: Docs.errors,
    definition: single({
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Each',
          States: {
            Each: {
              Type: 'Map',
              ItemProcessor: {
                StartAt: 'Work',
                States: { Work: { Type: 'Task', Resource: 'test:fail:Deep.Error', End: true } },
              },
              End: true,
            },
          },
        },
      ],
    }),
    input: [1],
    expect: { error: 'Deep.Error', cause: stubFailureCause('test:fail:Deep.Error') },
  },
  {
    name: 'composition: Retry with a Wait loop and a counter in one workflow',
    doc: `${Docs.retry} ; ${Docs.wait} ; ${Docs.choice}`,
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Result: { polls: 1 }, Next: 'Call' },
        Call: {
          Type: 'Task',
          Resource: 'test:failTimes:1:Test.Flaky',
          Parameters: { 'polls.$': '$.polls' },
          Retry: [{ ErrorEquals: ['Test.Flaky'], IntervalSeconds: 5 }],
          ResultSelector: { 'polls.$': '$.input.polls' },
          Next: 'Enough',
        },
        Enough: {
          Type: 'Choice',
          Choices: [{ Variable: '$.polls', NumericGreaterThanEquals: 3, Next: 'Done' }],
          Default: 'Pause',
        },
        Pause: { Type: 'Wait', Seconds: 30, Next: 'Bump' },
        Bump: { Type: 'Pass', Parameters: { 'polls.$': 'States.MathAdd($.polls, 1)' }, Next: 'Call' },
        Done: { Type: 'Succeed' },
      },
    },
    input: {},
    expect: { output: { polls: 3 } },
  },
]
