import { describe, expect, it } from 'vitest'
import { emptyContextObject as context } from './context-object'
import {
  applyInputPath,
  applyOutputPath,
  applyParameters,
  applyResultPath,
  applyResultSelector,
  readRequiredPath,
} from './io-processing'
import { caughtStatesError } from '../testing/caught-states-error'

const where = { state: 'MyState' }

const caught = caughtStatesError

// Examples from the AWS Step Functions Developer Guide, "Processing input and output in Step Functions".
describe('InputPath (AWS example)', () => {
  const input = {
    comment: 'Example for InputPath.',
    dataset1: { val1: 1, val2: 2, val3: 3 },
    dataset2: { val1: 'a', val2: 'b', val3: 'c' },
  }

  it('selects a part of the input', () => {
    expect(applyInputPath(input, '$.dataset2', context, where)).toEqual({ val1: 'a', val2: 'b', val3: 'c' })
  })

  it('passes the whole input when absent or $ and an empty object when null', () => {
    expect(applyInputPath(input, undefined, context, where)).toBe(input)
    expect(applyInputPath(input, '$', context, where)).toBe(input)
    expect(applyInputPath(input, null, context, where)).toEqual({})
  })

  it('fails with States.Runtime naming the state and path when nothing matches', () => {
    const error = caught(() => applyInputPath(input, '$.dataset3', context, where))
    expect(error.error).toBe('States.Runtime')
    expect(error.cause).toContain('"$.dataset3"')
    expect(error.cause).toContain('InputPath')
    expect(error.cause).toContain('"MyState"')
  })
})

describe('Parameters (AWS example)', () => {
  const input = {
    comment: 'Example for Parameters.',
    product: {
      details: { color: 'blue', size: 'small', material: 'cotton' },
      availability: 'in stock',
      sku: '2317',
      cost: '$23',
    },
  }

  it('builds a new input from static values and paths', () => {
    const parameters = {
      comment: 'Selecting what I care about.',
      MyDetails: { 'size.$': '$.product.details.size', 'exists.$': '$.product.availability', StaticValue: 'foo' },
    }
    expect(applyParameters(input, parameters, context, where)).toEqual({
      comment: 'Selecting what I care about.',
      MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' },
    })
  })

  it('leaves the input unchanged when absent', () => {
    expect(applyParameters(input, undefined, context, where)).toBe(input)
  })
})

describe('ResultSelector (AWS example)', () => {
  const result = {
    resourceType: 'elasticmapreduce',
    resource: 'createCluster.sync',
    output: {
      SdkHttpMetadata: { httpStatusCode: 200 },
      SdkResponseMetadata: { requestId: '1234' },
      ClusterId: 'AKIAIOSFODNN7EXAMPLE',
    },
  }

  it('picks fields from the result before ResultPath places it', () => {
    const selected = applyResultSelector(
      result,
      { 'ClusterId.$': '$.output.ClusterId', 'ResourceType.$': '$.resourceType' },
      context,
      where,
    )
    expect(selected).toEqual({ ClusterId: 'AKIAIOSFODNN7EXAMPLE', ResourceType: 'elasticmapreduce' })
    expect(applyResultPath({ comment: 'x' }, selected, '$.EMROutput', where)).toEqual({
      comment: 'x',
      EMROutput: { ClusterId: 'AKIAIOSFODNN7EXAMPLE', ResourceType: 'elasticmapreduce' },
    })
  })

  it('names ResultSelector when a path matches nothing', () => {
    const error = caught(() => applyResultSelector(result, { 'id.$': '$.output.Missing' }, context, where))
    expect(error.cause).toContain('ResultSelector')
    expect(error.cause).toContain('"$.output.Missing"')
  })
})

describe('ResultPath (AWS examples)', () => {
  const input = {
    comment: 'This is a test of the input and output of a Task state.',
    details: 'Default example',
    who: 'AWS Step Functions',
  }
  const result = 'Hello, AWS Step Functions!'

  it('replaces the input with the result for $ and when absent', () => {
    expect(applyResultPath(input, result, '$', where)).toBe(result)
    expect(applyResultPath(input, result, undefined, where)).toBe(result)
  })

  it('includes the result with the input', () => {
    expect(applyResultPath(input, result, '$.taskresult', where)).toEqual({ ...input, taskresult: result })
  })

  it('discards the result and keeps the input for null', () => {
    expect(applyResultPath(input, result, null, where)).toBe(input)
  })

  it('updates a node in the input', () => {
    const nested = {
      comment: 'An input comment.',
      data: { val1: 23, val2: 17 },
      extra: 'foo',
      lambda: { who: 'AWS Step Functions' },
    }
    expect(applyResultPath(nested, result, '$.data.lambdaresult', where)).toEqual({
      comment: 'An input comment.',
      data: { val1: 23, val2: 17, lambdaresult: result },
      extra: 'foo',
      lambda: { who: 'AWS Step Functions' },
    })
  })

  it('fails with States.ResultPathMatchFailure naming the state when the input cannot hold the result', () => {
    const error = caught(() => applyResultPath('a string input', result, '$.taskresult', where))
    expect(error.error).toBe('States.ResultPathMatchFailure')
    expect(error.cause).toContain('"MyState"')
  })
})

describe('OutputPath (AWS example)', () => {
  const value = {
    comment: 'An input comment.',
    data: { val1: 23, val2: 17 },
    extra: 'foo',
    lambda: { who: 'AWS Step Functions' },
  }

  it('selects a part of the output, everything when absent and {} when null', () => {
    expect(applyOutputPath(value, '$.data', context, where)).toEqual({ val1: 23, val2: 17 })
    expect(applyOutputPath(value, undefined, context, where)).toBe(value)
    expect(applyOutputPath(value, null, context, where)).toEqual({})
  })

  it('reads the context object with $$', () => {
    expect(applyOutputPath(value, '$$.State.RetryCount', context, where)).toBe(0)
  })
})

describe('readRequiredPath', () => {
  it('evaluates an intrinsic call, as Fail CausePath allows (AWS state-fail.html example)', () => {
    const input = { Error: 'Error1', Cause: 'Cause1' }
    const cause = readRequiredPath(
      input,
      "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)",
      context,
      where,
      'CausePath',
    )
    expect(cause).toBe('This is a custom error message for Error1, caused by Cause1.')
  })

  it('names the state and field when the intrinsic fails', () => {
    const error = caught(() => readRequiredPath({}, 'States.ArrayLength($.nope)', context, where, 'CausePath'))
    expect(error.cause).toContain('state "MyState", CausePath')
  })
})
