import { describe, expect, it } from 'vitest'
import { createContextObject } from './context-object'
import { evaluatePayloadTemplate } from './payload-template'
import { caughtStatesError } from '../testing/caught-states-error'

const context = createContextObject({
  executionId: 'arn:run-1',
  executionName: 'run-1',
  input: { original: true },
  startTime: '2026-01-02T03:04:05.000Z',
  stateMachineName: 'nightly',
  stateName: 'Snapshot',
  enteredTime: '2026-01-02T03:04:06.000Z',
  retryCount: 2,
  mapItem: { index: 3, value: { id: 'd-3' } },
})
const where = { state: 'Snapshot', field: 'Parameters' }

const caught = caughtStatesError

describe('evaluatePayloadTemplate', () => {
  it('reads the context object with $$ paths (AWS "Context object" example)', () => {
    const template = {
      'execution.$': '$$.Execution.Id',
      'name.$': '$$.Execution.Name',
      'retry.$': '$$.State.RetryCount',
      'item.$': '$$.Map.Item.Value',
      'index.$': '$$.Map.Item.Index',
    }
    expect(evaluatePayloadTemplate(template, {}, context, where)).toEqual({
      execution: 'arn:run-1',
      name: 'run-1',
      retry: 2,
      item: { id: 'd-3' },
      index: 3,
    })
  })

  it('evaluates nested objects and objects inside arrays, copies other values', () => {
    const template = {
      list: [{ 'id.$': '$.id' }, 'plain', 3],
      nested: { deeper: { 'flag.$': '$.flag' } },
      'plain.text': 'kept',
    }
    expect(evaluatePayloadTemplate(template, { id: 'x', flag: false }, context, where)).toEqual({
      list: [{ id: 'x' }, 'plain', 3],
      nested: { deeper: { flag: false } },
      'plain.text': 'kept',
    })
  })

  it('calls intrinsic functions, nested ones included', () => {
    const template = {
      'greeting.$': "States.Format('Hello, {}', $.name)",
      'count.$': 'States.ArrayLength(States.Array($.a, $.b))',
    }
    expect(evaluatePayloadTemplate(template, { name: 'World', a: 1, b: 2 }, context, where)).toEqual({
      greeting: 'Hello, World',
      count: 2,
    })
  })

  it("passes the caller's random source to States.MathRandom and States.UUID", () => {
    const template = { 'n.$': 'States.MathRandom(0, 100)', 'id.$': 'States.UUID()' }
    const first = evaluatePayloadTemplate(template, {}, context, { ...where, random: () => 0.25 })
    expect(first).toEqual(evaluatePayloadTemplate(template, {}, context, { ...where, random: () => 0.25 }))
    expect((first as { n: number }).n).toBe(25)
  })

  it('fails with States.Runtime naming the state, the field and the path when a path matches nothing', () => {
    const error = caught(() => evaluatePayloadTemplate({ disk: { 'id.$': '$.disk.id' } }, { disk: {} }, context, where))
    expect(error.error).toBe('States.Runtime')
    expect(error.cause).toContain('"$.disk.id"')
    expect(error.cause).toContain('Parameters.disk.id.$')
    expect(error.cause).toContain('state "Snapshot"')
  })

  it('fails with States.IntrinsicFailure naming the state when an intrinsic fails', () => {
    const error = caught(() =>
      evaluatePayloadTemplate({ 'x.$': 'States.StringToJson($.text)' }, { text: '{' }, context, where),
    )
    expect(error.error).toBe('States.IntrinsicFailure')
    expect(error.cause).toContain('state "Snapshot"')
  })

  it('rejects a .$ value that is neither a path nor an intrinsic', () => {
    const error = caught(() => evaluatePayloadTemplate({ 'x.$': 'hello' }, {}, context, where))
    expect(error.cause).toContain('x.$')
  })

  it('does not let a __proto__ key change the prototype', () => {
    const output = evaluatePayloadTemplate(
      JSON.parse('{"__proto__.$": "$.evil"}'),
      { evil: { polluted: true } },
      context,
      where,
    ) as object
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
