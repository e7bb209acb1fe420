import { describe, expect, it } from 'vitest'
import { StatesError } from '../language'
import { createActionRegistry } from './registry'
import { toTaskError } from './task-errors'

describe('toTaskError names what an action threw', () => {
  const mapped = createActionRegistry().mapErrors((thrown) =>
    thrown instanceof RangeError ? { error: 'My.OutOfRange', cause: `mapped: ${thrown.message}` } : undefined,
  )

  it('gives a StatesError its own name, before any mapper', () => {
    const always = createActionRegistry().mapErrors(() => ({ error: 'Mapped', cause: '' }))
    expect(toTaskError(new StatesError('States.Timeout', 'late'), always)).toEqual({
      error: 'States.Timeout',
      cause: 'late',
    })
  })

  it("asks the registry's mappers, then names an Error by its name and anything else States.TaskFailed", () => {
    expect(toTaskError(new RangeError('7 > 5'), mapped)).toEqual({ error: 'My.OutOfRange', cause: 'mapped: 7 > 5' })
    expect(toTaskError(Object.assign(new Error('quota'), { name: 'QuotaError' }), mapped)).toEqual({
      error: 'QuotaError',
      cause: 'quota',
    })
    expect(toTaskError(new RangeError('7 > 5'))).toEqual({ error: 'RangeError', cause: '7 > 5' })
    expect(toTaskError('oops', mapped)).toEqual({ error: 'States.TaskFailed', cause: 'oops' })
    expect(toTaskError({ code: 1 })).toEqual({ error: 'States.TaskFailed', cause: '{"code":1}' })
  })

  it('fails the task with States.Runtime, naming the mapper, when a mapper throws', () => {
    const broken = createActionRegistry().mapErrors(() => {
      throw new TypeError('mapper bug')
    })
    expect(toTaskError(new Error('x'), broken)).toEqual({
      error: 'States.Runtime',
      cause: expect.stringContaining('TypeError: mapper bug'),
    })
  })
})
