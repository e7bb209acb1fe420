import { describe, expect, it } from 'vitest'
import { createPrng } from './prng'

describe('createPrng', () => {
  it('replays the same sequence for the same seed and differs for another', () => {
    const a = createPrng(7)
    const b = createPrng(7)
    const c = createPrng(8)
    const seqA = [a.next(), a.next(), a.uuid()]
    expect([b.next(), b.next(), b.uuid()]).toEqual(seqA)
    expect(c.next()).not.toEqual(seqA[0])
  })

  it('stays in [0, 1) and makes v4-shaped uuids', () => {
    const random = createPrng(1)
    for (let i = 0; i < 1000; i++) {
      const x = random.next()
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(1)
    }
    expect(random.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
