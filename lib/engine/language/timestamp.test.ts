import { describe, expect, it } from 'vitest'
import { parseTimestamp } from './timestamp'

describe('parseTimestamp', () => {
  it('reads RFC 3339 timestamps with Z, offsets and fractions', () => {
    expect(parseTimestamp('2016-03-14T01:59:00Z')).toBe(Date.UTC(2016, 2, 14, 1, 59))
    expect(parseTimestamp('2016-03-14T09:59:00+08:00')).toBe(Date.UTC(2016, 2, 14, 1, 59))
    expect(parseTimestamp('2016-03-14T01:59:00.250Z')).toBe(Date.UTC(2016, 2, 14, 1, 59, 0, 250))
  })

  it.each([
    '2016-03-14 01:59:00Z',
    '2016-03-14t01:59:00z',
    '2016-03-14T01:59:00',
    '2016-02-30T00:00:00Z',
    '2016-13-01T00:00:00Z',
    '2016-03-14',
    42,
  ])('rejects %s', (text) => {
    expect(parseTimestamp(text)).toBeUndefined()
  })
})
