import { describe, expect, it } from 'vitest'
import { mismatches } from './outcome'

describe('mismatches (how runs are compared with expectations)', () => {
  it('accepts an equal output, whatever the key order', () => {
    expect(
      mismatches(
        { output: { a: 1, b: [1, { c: null }] } },
        { status: 'SUCCEEDED', output: { b: [1, { c: null }], a: 1 } },
      ),
    ).toEqual([])
  })

  it('rejects a different output, an error instead of an output, and an output instead of an error', () => {
    expect(mismatches({ output: { a: 1 } }, { status: 'SUCCEEDED', output: { a: '1' } })).toHaveLength(1)
    expect(mismatches({ output: [1, 2] }, { status: 'SUCCEEDED', output: [2, 1] })).toHaveLength(1)
    expect(mismatches({ output: 'x' }, { status: 'FAILED', error: 'States.Runtime' })[0]).toContain(
      'got error States.Runtime',
    )
    expect(mismatches({ error: 'States.Runtime' }, { status: 'SUCCEEDED', output: {} })[0]).toContain(
      'expected error States.Runtime',
    )
  })

  it('checks the error name, the exact cause and a cause fragment', () => {
    expect(mismatches({ error: 'E', cause: 'why' }, { status: 'FAILED', error: 'E', cause: 'why' })).toEqual([])
    expect(mismatches({ error: 'E' }, { status: 'FAILED', error: 'F' })).toHaveLength(1)
    expect(mismatches({ error: 'E', cause: 'why' }, { status: 'FAILED', error: 'E', cause: 'other' })).toHaveLength(1)
    expect(
      mismatches({ error: 'E', causeIncludes: 'state "S"' }, { status: 'FAILED', error: 'E', cause: 'in state "S"' }),
    ).toEqual([])
    expect(mismatches({ error: 'E', causeIncludes: 'state "S"' }, { status: 'FAILED', error: 'E' })).toHaveLength(1)
  })

  it('checks how the run ended (FAILED unless the case says TIMED_OUT)', () => {
    expect(mismatches({ error: 'States.Timeout' }, { status: 'TIMED_OUT', error: 'States.Timeout' })).toHaveLength(1)
    expect(
      mismatches({ status: 'TIMED_OUT', error: 'States.Timeout' }, { status: 'TIMED_OUT', error: 'States.Timeout' }),
    ).toEqual([])
  })
})
