import { single, type ConformanceCase } from '../conformance-case'
import { Docs } from './docs'

const resultPathInput = {
  comment: 'This is a test of the input and output of a Task state.',
  details: 'Default example',
  who: 'AWS Step Functions',
}
const product = {
  product: {
    details: { color: 'blue', size: 'small', material: 'cotton' },
    availability: 'in stock',
    sku: '2317',
    cost: '$23',
  },
}
const datasets = {
  comment: 'Example for InputPath.',
  dataset1: { val1: 1, val2: 2, val3: 3 },
  dataset2: { val1: 'a', val2: 'b', val3: 'c' },
}

/** Pass, and the InputPath → Parameters → ResultSelector → ResultPath → OutputPath pipeline. */
export const inputOutputCases: ConformanceCase[] = [
  {
    name: 'pass: without Result passes its input through',
    doc: Docs.pass,
    definition: single({ Type: 'Pass' }),
    input: { a: 1, b: [true, null] },
    expect: { output: { a: 1, b: [true, null] } },
  },
  {
    name: 'pass: Result replaces the input (ResultPath defaults to $)',
    doc: Docs.pass,
    definition: single({ Type: 'Pass', Result: { x: 0.381018, y: 622.2269926397355 } }),
    input: { georefOf: 'Home' },
    expect: { output: { x: 0.381018, y: 622.2269926397355 } },
  },
  {
    name: 'pass: Result placed by ResultPath (AWS example)',
    doc: Docs.pass,
    definition: single({ Type: 'Pass', Result: { x: 0.381018, y: 622.2269926397355 }, ResultPath: '$.coords' }),
    input: { georefOf: 'Home' },
    expect: { output: { georefOf: 'Home', coords: { x: 0.381018, y: 622.2269926397355 } } },
  },
  {
    name: 'pass: a scalar Result',
    doc: Docs.pass,
    definition: single({ Type: 'Pass', Result: 'Hello, AWS Step Functions!' }),
    input: {},
    expect: { output: 'Hello, AWS Step Functions!' },
  },
  {
    name: 'pass: chained states hand output to input',
    doc: Docs.pass,
    definition: {
      StartAt: 'One',
      States: {
        One: { Type: 'Pass', Result: 1, ResultPath: '$.one', Next: 'Two' },
        Two: { Type: 'Pass', Result: 2, ResultPath: '$.two', End: true },
      },
    },
    input: {},
    expect: { output: { one: 1, two: 2 } },
  },
  {
    name: 'ResultPath: adds the result to the input (AWS example)',
    doc: Docs.resultPath,
    definition: single({ Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: '$.taskresult' }),
    input: resultPathInput,
    expect: { output: { ...resultPathInput, taskresult: 'Hello, AWS Step Functions!' } },
  },
  {
    name: 'ResultPath: null discards the result and keeps the input (AWS example)',
    doc: Docs.resultPath,
    definition: single({ Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: null }),
    input: resultPathInput,
    expect: { output: resultPathInput },
  },
  {
    name: 'ResultPath: $ replaces the input with the result',
    doc: Docs.resultPath,
    definition: single({ Type: 'Pass', Result: { only: 'result' }, ResultPath: '$' }),
    input: resultPathInput,
    expect: { output: { only: 'result' } },
  },
  {
    name: 'ResultPath: overwrites an existing field',
    doc: Docs.resultPath,
    definition: single({ Type: 'Pass', Result: 'new', ResultPath: '$.who' }),
    input: resultPathInput,
    expect: { output: { ...resultPathInput, who: 'new' } },
  },
  {
    name: 'ResultPath: creates missing intermediate objects',
    doc: Docs.resultPath,
    definition: single({ Type: 'Pass', Result: [1, 2], ResultPath: '$.a.b.c' }),
    input: { keep: true },
    expect: { output: { keep: true, a: { b: { c: [1, 2] } } } },
  },
  {
    name: 'ResultPath: merges under an existing object without touching siblings',
    doc: Docs.resultPath,
    definition: single({ Type: 'Pass', Result: 3, ResultPath: '$.master.detail.third' }),
    input: { master: { detail: { first: 1, second: 2 }, other: 'x' } },
    expect: { output: { master: { detail: { first: 1, second: 2, third: 3 }, other: 'x' } } },
  },
  {
    name: 'ResultPath: applies to the raw input, not the InputPath selection',
    doc: Docs.resultPath,
    definition: single({ Type: 'Pass', InputPath: '$.inner', ResultPath: '$.copy' }),
    input: { inner: { v: 1 }, outer: 2 },
    expect: { output: { inner: { v: 1 }, outer: 2, copy: { v: 1 } } },
  },
  {
    name: 'InputPath: selects part of the input (AWS example)',
    doc: Docs.inputPathParameters,
    definition: single({ Type: 'Pass', InputPath: '$.dataset2' }),
    input: datasets,
    expect: { output: { val1: 'a', val2: 'b', val3: 'c' } },
  },
  {
    name: 'InputPath: null gives the state an empty object',
    doc: Docs.inputPathParameters,
    definition: single({ Type: 'Pass', InputPath: null }),
    input: datasets,
    expect: { output: {} },
  },
  {
    name: 'InputPath: $ is the whole input',
    doc: Docs.inputPathParameters,
    definition: single({ Type: 'Pass', InputPath: '$' }),
    input: { a: 1 },
    expect: { output: { a: 1 } },
  },
  {
    name: 'InputPath: a path matching nothing fails with States.Runtime',
    doc: `${Docs.errors} (States.Runtime)`,
    definition: single({ Type: 'Pass', InputPath: '$.missing' }),
    input: { a: 1 },
    expect: { error: 'States.Runtime' },
  },
  {
    name: 'Parameters: static values, paths and nesting (AWS example)',
    doc: Docs.inputPathParameters,
    definition: single({
      Type: 'Pass',
      Parameters: {
        comment: 'Selecting what I care about.',
        MyDetails: { 'size.$': '$.product.details.size', 'exists.$': '$.product.availability', StaticValue: 'foo' },
      },
    }),
    input: product,
    expect: {
      output: {
        comment: 'Selecting what I care about.',
        MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' },
      },
    },
  },
  {
    name: 'Parameters: applied after InputPath',
    doc: Docs.inputPathParameters,
    definition: single({
      Type: 'Pass',
      InputPath: '$.product',
      Parameters: { 'sku.$': '$.sku', 'color.$': '$.details.color' },
    }),
    input: product,
    expect: { output: { sku: '2317', color: 'blue' } },
  },
  {
    name: 'Parameters: static arrays kept as they are, and a path to the whole input',
    doc: Docs.payloadTemplate,
    definition: single({ Type: 'Pass', Parameters: { list: [{ k: 'v' }, 'literal', 7], 'whole.$': '$' } }),
    input: { a: 'A' },
    expect: { output: { list: [{ k: 'v' }, 'literal', 7], whole: { a: 'A' } } },
  },
  {
    name: 'Parameters: a path that matches nothing fails with States.Runtime',
    doc: `${Docs.inputPathParameters} ; ${Docs.errors} (States.Runtime)`,
    definition: single({ Type: 'Pass', Parameters: { 'x.$': '$.nope' } }),
    input: { a: 1 },
    expect: { error: 'States.Runtime' },
  },
  {
    name: 'Parameters: a path may select null',
    doc: Docs.payloadTemplate,
    definition: single({ Type: 'Pass', Parameters: { 'v.$': '$.n' } }),
    input: { n: null },
    expect: { output: { v: null } },
  },
  {
    name: 'pass: Parameters output goes through ResultPath',
    doc: Docs.pass,
    definition: single({ Type: 'Pass', Parameters: { 'doubled.$': 'States.Array($.v, $.v)' }, ResultPath: '$.out' }),
    input: { v: 2 },
    expect: { output: { v: 2, out: { doubled: [2, 2] } } },
  },
  {
    name: 'OutputPath: selects part of the output',
    doc: Docs.outputPath,
    definition: single({ Type: 'Pass', Result: { keep: 1, drop: 2 }, ResultPath: '$.r', OutputPath: '$.r.keep' }),
    input: { a: 1 },
    expect: { output: 1 },
  },
  {
    name: 'OutputPath: null makes the output an empty object',
    doc: Docs.outputPath,
    definition: single({ Type: 'Pass', OutputPath: null }),
    input: { a: 1 },
    expect: { output: {} },
  },
  {
    name: 'OutputPath: a path matching nothing fails with States.Runtime',
    doc: `${Docs.outputPath} ; ${Docs.errors} (States.Runtime)`,
    definition: single({ Type: 'Pass', OutputPath: '$.missing' }),
    input: { a: 1 },
    expect: { error: 'States.Runtime' },
  },
  {
    name: 'processing order: InputPath, task, ResultPath into the raw input, OutputPath (AWS example)',
    doc: Docs.ioExample,
    definition: single({
      Type: 'Task',
      Resource: 'test:echo',
      InputPath: '$.lambda',
      ResultPath: '$.data.lambdaresult',
      OutputPath: '$.data',
    }),
    input: {
      comment: 'An input comment.',
      data: { val1: 23, val2: 17 },
      extra: 'foo',
      lambda: { who: 'AWS Step Functions' },
    },
    expect: { output: { val1: 23, val2: 17, lambdaresult: { who: 'AWS Step Functions' } } },
  },
  {
    name: 'processing order: ResultSelector reshapes the task result before ResultPath (AWS example shape)',
    doc: Docs.resultSelector,
    definition: single({
      Type: 'Task',
      Resource: 'test:echo',
      InputPath: '$.response',
      ResultSelector: { 'ClusterId.$': '$.output.ClusterId', 'ResourceType.$': '$.resourceType', fixed: 'yes' },
      ResultPath: '$.EMROutput',
    }),
    input: {
      response: {
        resourceType: 'elasticmapreduce',
        resource: 'createCluster.sync',
        output: { SdkHttpMetadata: { HttpStatusCode: 200 }, ClusterId: 'AKIAIOSFODNN7EXAMPLE' },
      },
    },
    expect: {
      output: {
        response: {
          resourceType: 'elasticmapreduce',
          resource: 'createCluster.sync',
          output: { SdkHttpMetadata: { HttpStatusCode: 200 }, ClusterId: 'AKIAIOSFODNN7EXAMPLE' },
        },
        EMROutput: { ClusterId: 'AKIAIOSFODNN7EXAMPLE', ResourceType: 'elasticmapreduce', fixed: 'yes' },
      },
    },
  },
  {
    name: 'processing order: all five fields on a Task',
    doc: Docs.ioExample,
    definition: single({
      Type: 'Task',
      Resource: 'test:echo',
      InputPath: '$.in',
      Parameters: { 'value.$': '$.v', tag: 'p' },
      ResultSelector: { 'got.$': '$.value' },
      ResultPath: '$.in.result',
      OutputPath: '$.in',
    }),
    input: { in: { v: 5 }, other: true },
    expect: { output: { v: 5, result: { got: 5 } } },
  },
]
