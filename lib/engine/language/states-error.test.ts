import { describe, expect, it } from 'vitest'
import { errorMatches, StatesError, StatesErrorNames, toStatesError } from './states-error'

describe('errorMatches', () => {
  it('matches exact names', () => {
    expect(errorMatches(['Ctyun.Throttled'], 'Ctyun.Throttled')).toBe(true)
    expect(errorMatches(['Ctyun.Throttled'], 'Ctyun.NotFound')).toBe(false)
    expect(errorMatches([], 'Ctyun.NotFound')).toBe(false)
  })

  it('never matches States.Runtime, which always fails the execution', () => {
    expect(errorMatches(['States.Runtime'], 'States.Runtime')).toBe(false)
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false)
  })

  it('lets States.ALL match everything but the terminal States.DataLimitExceeded', () => {
    expect(errorMatches(['States.ALL'], 'Ctyun.NotFound')).toBe(true)
    expect(errorMatches(['States.ALL'], 'States.Timeout')).toBe(true)
    expect(errorMatches(['States.ALL'], 'States.DataLimitExceeded')).toBe(false)
    expect(errorMatches(['States.DataLimitExceeded'], 'States.DataLimitExceeded')).toBe(true)
  })

  it('lets States.TaskFailed match task errors but not other predefined errors', () => {
    expect(errorMatches(['States.TaskFailed'], 'Ctyun.OrderFailed')).toBe(true)
    expect(errorMatches(['States.TaskFailed'], 'States.TaskFailed')).toBe(true)
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false)
    expect(errorMatches(['States.TaskFailed'], 'States.Runtime')).toBe(false)
  })
})

describe('StatesError', () => {
  it('carries the error name and cause', () => {
    const error = new StatesError(StatesErrorNames.NoChoiceMatched, 'no rule matched')
    expect(error.message).toBe('States.NoChoiceMatched: no rule matched')
    expect(toStatesError(error)).toBe(error)
    expect(toStatesError(new Error('boom'))).toMatchObject({ error: 'States.Runtime', cause: 'boom' })
  })
})
