import { describe, expect, it } from 'vitest'
import { formatEopDate, parseEopDate } from './eop-date'

describe('eop-date', () => {
  const instant = new Date('2025-01-01T04:00:00Z')

  it('formats Beijing wall-clock time with a literal Z by default', () => {
    expect(formatEopDate(instant)).toBe('20250101T120000Z')
  })

  it('formats real UTC when asked', () => {
    expect(formatEopDate(instant, 'utc')).toBe('20250101T040000Z')
  })

  it('crosses midnight into the next Beijing day', () => {
    expect(formatEopDate(new Date('2024-12-31T20:30:05Z'))).toBe('20250101T043005Z')
  })

  it('parses back to the same instant in either zone', () => {
    expect(parseEopDate('20250101T120000Z', 'beijing')?.toISOString()).toBe(instant.toISOString())
    expect(parseEopDate('20250101T040000Z', 'utc')?.toISOString()).toBe(instant.toISOString())
  })

  it.each(['2025-01-01T12:00:00Z', '20250101T120000', '20251301T120000Z', '20250230T120000Z', '20250101T250000Z', ''])(
    'rejects the malformed date %j',
    (text) => {
      expect(parseEopDate(text)).toBeUndefined()
    },
  )
})
