import { single, type AslDefinition, type ConformanceCase } from '../conformance-case'
import { Docs } from './docs'

// State names are unique across a whole machine, branches included: helpers used twice in one case take a name.
const passThrough = (name = 'Keep'): AslDefinition => ({
  StartAt: name,
  States: { [name]: { Type: 'Pass', End: true } },
})
const constant = (value: unknown, name = 'Const'): AslDefinition => ({
  StartAt: name,
  States: { [name]: { Type: 'Pass', Result: value, End: true } },
})
const failing = (error: string, cause: string): AslDefinition => ({
  StartAt: 'Boom',
  States: { Boom: { Type: 'Fail', Error: error, Cause: cause } },
})

export const parallelCases: ConformanceCase[] = [
  {
    name: 'parallel: outputs in branch order',
    doc: Docs.parallel,
    definition: single({
      Type: 'Parallel',
      Branches: [constant('first', 'C1'), constant('second', 'C2'), constant({ third: 3 }, 'C3')],
    }),
    input: {},
    expect: { output: ['first', 'second', { third: 3 }] },
  },
  {
    name: 'parallel: every branch gets the same input',
    doc: Docs.parallel,
    definition: single({ Type: 'Parallel', Branches: [passThrough('Keep1'), passThrough('Keep2')] }),
    input: { v: 1 },
    expect: { output: [{ v: 1 }, { v: 1 }] },
  },
  {
    name: 'parallel: a branch with several states',
    doc: Docs.parallel,
    definition: single({
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'A',
          States: {
            A: { Type: 'Pass', Result: 1, ResultPath: '$.a', Next: 'B' },
            B: { Type: 'Pass', Result: 2, ResultPath: '$.b', End: true },
          },
        },
        constant('other'),
      ],
    }),
    input: { start: true },
    expect: { output: [{ start: true, a: 1, b: 2 }, 'other'] },
  },
  {
    name: "parallel: Parameters build the branches' input",
    doc: Docs.parallel,
    definition: single({ Type: 'Parallel', Parameters: { 'x.$': '$.deep.x', fixed: 'f' }, Branches: [passThrough()] }),
    input: { deep: { x: 9 } },
    expect: { output: [{ x: 9, fixed: 'f' }] },
  },
  {
    name: 'parallel: ResultSelector picks from the array of branch outputs',
    doc: Docs.parallel,
    definition: single({
      Type: 'Parallel',
      Branches: [constant({ v: 'a' }, 'C1'), constant({ v: 'b' }, 'C2')],
      ResultSelector: { 'first.$': '$[0].v', 'second.$': '$[1].v' },
    }),
    input: {},
    expect: { output: { first: 'a', second: 'b' } },
  },
  {
    name: 'parallel: ResultPath and OutputPath',
    doc: Docs.parallel,
    definition: single({
      Type: 'Parallel',
      Branches: [constant(1, 'C1'), constant(2, 'C2')],
      ResultPath: '$.results',
      OutputPath: '$.results[1]',
    }),
    input: { keep: true },
    expect: { output: 2 },
  },
  {
    name: 'parallel: Succeed ends only its branch',
    doc: Docs.parallel,
    definition: single({
      Type: 'Parallel',
      Branches: [{ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }, constant('after')],
    }),
    input: { x: 1 },
    expect: { output: [{ x: 1 }, 'after'] },
  },
  {
    name: 'parallel: nested Parallel',
    doc: Docs.parallel,
    definition: single({
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Inner',
          States: { Inner: { Type: 'Parallel', Branches: [constant('a', 'C1'), constant('b', 'C2')], End: true } },
        },
        constant('c', 'C3'),
      ],
    }),
    input: {},
    expect: { output: [['a', 'b'], 'c'] },
  },
  {
    name: "parallel: a failing branch fails the state with the branch's error",
    doc: `${Docs.parallel} ; ${Docs.errors}`,
    definition: single({ Type: 'Parallel', Branches: [constant('ok'), failing('Branch.Broke', 'branch two failed')] }),
    input: {},
    expect: { error: 'Branch.Broke', cause: 'branch two failed' },
  },
  {
    name: 'parallel: Catch with ResultPath keeps the input and adds the error',
    doc: `${Docs.parallel} ; ${Docs.catch}`,
    definition: {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [constant('ok'), failing('Branch.Broke', 'branch two failed')],
          Catch: [{ ErrorEquals: ['Branch.Broke'], ResultPath: '$.error', Next: 'Recovered' }],
          Next: 'Unreached',
        },
        Unreached: { Type: 'Fail', Error: 'Test.NotCaught' },
        Recovered: { Type: 'Pass', End: true },
      },
    },
    input: { id: 7 },
    expect: { output: { id: 7, error: { Error: 'Branch.Broke', Cause: 'branch two failed' } } },
  },
  {
    name: 'parallel: Catch States.ALL without ResultPath outputs the error object',
    doc: `${Docs.parallel} ; ${Docs.catch}`,
    definition: {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [failing('Any.Error', 'cause text')],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recovered' }],
          End: true,
        },
        Recovered: { Type: 'Pass', End: true },
      },
    },
    input: { id: 7 },
    expect: { output: { Error: 'Any.Error', Cause: 'cause text' } },
  },
  {
    name: 'parallel: Retry re-runs the branches',
    doc: `${Docs.parallel} ; ${Docs.retry}`,
    definition: single({
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Flaky', States: { Flaky: { Type: 'Task', Resource: 'test:failTimes:1:Test.Flaky', End: true } } },
      ],
      Retry: [{ ErrorEquals: ['Test.Flaky'], IntervalSeconds: 1, MaxAttempts: 2 }],
    }),
    input: { v: 1 },
    expect: { output: [{ attempts: 2, input: { v: 1 } }] },
  },
]

const shipment = {
  'ship-date': '2016-03-14T01:59:00Z',
  detail: {
    'delivery-partner': 'UQS',
    shipped: [
      { prod: 'R31', 'dest-code': 9511, quantity: 1344 },
      { prod: 'S39', 'dest-code': 9511, quantity: 40 },
      { prod: 'R31', 'dest-code': 9833, quantity: 12 },
    ],
  },
}
const parcels = shipment.detail.shipped.map((parcel) => ({ parcel, courier: 'UQS' }))
const sleepy: AslDefinition = {
  // the first item takes longest, so completion order differs from item order
  StartAt: 'Pick',
  States: {
    Pick: { Type: 'Choice', Choices: [{ Variable: '$', StringEquals: 'first', Next: 'Slow' }], Default: 'Fast' },
    Slow: { Type: 'Task', Resource: 'test:sleep:80', End: true },
    Fast: { Type: 'Task', Resource: 'test:sleep:1', End: true },
  },
}

export const mapCases: ConformanceCase[] = [
  {
    name: 'map: the input array, one iteration per item, results in item order',
    doc: Docs.map,
    definition: single({
      Type: 'Map',
      ItemProcessor: { StartAt: 'Wrap', States: { Wrap: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } } },
    }),
    input: ['a', 'b', 'c'],
    expect: { output: [{ v: 'a' }, { v: 'b' }, { v: 'c' }] },
  },
  {
    name: 'map: InputPath, ItemsPath and ItemSelector (AWS example)',
    doc: `${Docs.map} ; ${Docs.itemSelector}`,
    definition: single({
      Type: 'Map',
      InputPath: '$.detail',
      ItemsPath: '$.shipped',
      ItemSelector: { 'parcel.$': '$$.Map.Item.Value', 'courier.$': '$.delivery-partner' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Validate',
        States: { Validate: { Type: 'Pass', End: true } },
      },
    }),
    input: shipment,
    expect: { output: parcels },
  },
  {
    name: 'map: legacy Parameters and Iterator behave like ItemSelector and ItemProcessor',
    doc: Docs.mapSpec,
    definition: single({
      Type: 'Map',
      InputPath: '$.detail',
      ItemsPath: '$.shipped',
      Parameters: { 'parcel.$': '$$.Map.Item.Value', 'courier.$': '$.delivery-partner' },
      Iterator: { StartAt: 'Validate', States: { Validate: { Type: 'Pass', End: true } } },
    }),
    input: shipment,
    expect: { output: parcels },
  },
  {
    name: 'map: an empty array gives an empty result',
    doc: Docs.map,
    definition: single({ Type: 'Map', ItemsPath: '$.xs', ItemProcessor: passThrough() }),
    input: { xs: [] },
    expect: { output: [] },
  },
  {
    name: 'map: MaxConcurrency 1 runs items one at a time, results in item order',
    doc: Docs.map,
    definition: single({ Type: 'Map', MaxConcurrency: 1, ItemProcessor: sleepy }),
    input: ['first', 'second', 'third'],
    expect: { output: ['first', 'second', 'third'] },
  },
  {
    name: 'map: MaxConcurrency 0 (unbounded) keeps item order when items finish out of order',
    doc: Docs.map,
    definition: single({ Type: 'Map', MaxConcurrency: 0, ItemProcessor: sleepy }),
    input: ['first', 'second', 'third', 'fourth'],
    expect: { output: ['first', 'second', 'third', 'fourth'] },
  },
  {
    name: 'map: ResultSelector over the array of results',
    doc: Docs.map,
    definition: single({
      Type: 'Map',
      ItemProcessor: passThrough(),
      ResultSelector: { 'count.$': 'States.ArrayLength($)', 'first.$': '$[0]' },
    }),
    input: ['x', 'y'],
    expect: { output: { count: 2, first: 'x' } },
  },
  {
    name: 'map: ResultPath puts the results beside the input',
    doc: Docs.map,
    definition: single({ Type: 'Map', ItemsPath: '$.xs', ItemProcessor: constant('done'), ResultPath: '$.results' }),
    input: { xs: [1, 2] },
    expect: { output: { xs: [1, 2], results: ['done', 'done'] } },
  },
  {
    name: 'map: ItemSelector mixes the item, its index, static values and the Map input',
    doc: Docs.itemSelector,
    definition: single({
      Type: 'Map',
      ItemsPath: '$.xs',
      ItemSelector: {
        'item.$': '$$.Map.Item.Value',
        'index.$': '$$.Map.Item.Index',
        'prefix.$': '$.prefix',
        kind: 'static',
      },
      ItemProcessor: {
        StartAt: 'Name',
        States: {
          Name: {
            Type: 'Pass',
            Parameters: { 'name.$': "States.Format('{}-{}-{}', $.prefix, $.index, $.item)", 'kind.$': '$.kind' },
            End: true,
          },
        },
      },
    }),
    input: { xs: ['a', 'b'], prefix: 'p' },
    expect: {
      output: [
        { name: 'p-0-a', kind: 'static' },
        { name: 'p-1-b', kind: 'static' },
      ],
    },
  },
  {
    name: 'map: nested Map sees its own $$.Map.Item',
    doc: Docs.contextMap,
    definition: single({
      Type: 'Map',
      ItemSelector: { 'outer.$': '$$.Map.Item.Index', 'row.$': '$$.Map.Item.Value' },
      ItemProcessor: {
        StartAt: 'Inner',
        States: {
          Inner: {
            Type: 'Map',
            ItemsPath: '$.row',
            ItemSelector: { 'outer.$': '$.outer', 'inner.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value' },
            ItemProcessor: passThrough(),
            End: true,
          },
        },
      },
    }),
    input: [['a', 'b'], ['c']],
    expect: {
      output: [
        [
          { outer: 0, inner: 0, v: 'a' },
          { outer: 0, inner: 1, v: 'b' },
        ],
        [{ outer: 1, inner: 0, v: 'c' }],
      ],
    },
  },
  {
    name: 'map: Choice and Fail inside the processor; a failing item fails the Map',
    doc: `${Docs.map} ; ${Docs.errors}`,
    definition: single({
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'Check',
        States: {
          Check: {
            Type: 'Choice',
            Choices: [{ Variable: '$', NumericLessThan: 0, Next: 'Negative' }],
            Default: 'Fine',
          },
          Negative: { Type: 'Fail', Error: 'Item.Negative', Cause: 'negative item' },
          Fine: { Type: 'Pass', End: true },
        },
      },
    }),
    input: [1, -1, 2],
    expect: { error: 'Item.Negative', cause: 'negative item' },
  },
  {
    name: 'map: Catch with ResultPath after an item fails',
    doc: `${Docs.map} ; ${Docs.catch}`,
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.xs',
          ItemProcessor: failing('Item.Bad', 'bad item'),
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Recovered' }],
          End: true,
        },
        Recovered: { Type: 'Pass', End: true },
      },
    },
    input: { xs: [1] },
    expect: { output: { xs: [1], failure: { Error: 'Item.Bad', Cause: 'bad item' } } },
  },
  {
    name: 'map: Retry re-runs the iterations',
    doc: `${Docs.map} ; ${Docs.retry}`,
    definition: single({
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'Flaky',
        States: { Flaky: { Type: 'Task', Resource: 'test:failTimes:1:Test.Flaky', End: true } },
      },
      Retry: [{ ErrorEquals: ['Test.Flaky'], IntervalSeconds: 1, MaxAttempts: 1 }],
    }),
    input: ['only'],
    expect: { output: [{ attempts: 2, input: 'only' }] },
  },
  {
    name: 'map: ItemsPath naming a non-array fails with States.Runtime',
    doc: `${Docs.map} ; ${Docs.errors} (States.Runtime)`,
    definition: single({ Type: 'Map', ItemsPath: '$.xs', ItemProcessor: passThrough() }),
    input: { xs: 'not an array' },
    expect: { error: 'States.Runtime' },
  },
  {
    name: 'map: Task per item with Parameters from the item',
    doc: Docs.map,
    definition: single({
      Type: 'Map',
      ItemsPath: '$.disks',
      ItemProcessor: {
        StartAt: 'Snap',
        States: {
          Snap: {
            Type: 'Task',
            Resource: 'test:echo',
            Parameters: { 'diskID.$': '$.id', action: 'snapshot' },
            End: true,
          },
        },
      },
    }),
    input: { disks: [{ id: 'd-1' }, { id: 'd-2' }] },
    expect: {
      output: [
        { diskID: 'd-1', action: 'snapshot' },
        { diskID: 'd-2', action: 'snapshot' },
      ],
    },
  },
]
