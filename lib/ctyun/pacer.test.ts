import { describe, expect, it } from 'vitest'
import { BETA, createPacer, DEFAULT_INITIAL_RPS } from './pacer'
import { parseMaxRps, maxRpsFor } from './max-rps'
import { CtyunConfigError } from './errors'

/** A fake clock: sleeping moves it; waiters resolve in order. */
function fakeTime() {
  let t = 0
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms
    },
    advance: (ms: number) => {
      t += ms
    },
  }
}

describe('createPacer', () => {
  it('lets the first burst through at once, then serves waiters first come first served at the rate', async () => {
    const time = fakeTime()
    const pacer = createPacer({ now: time.now, sleep: time.sleep, initialRps: 4 })
    const order: number[] = []
    const turns = await Promise.all(
      Array.from({ length: 8 }, (_, i) => pacer.acquire('ebs').then((at) => (order.push(i), at))),
    )
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(turns.slice(0, 4)).toEqual([0, 0, 0, 0])
    // Four more at four a second: one every 250 ms.
    expect(turns.slice(4)).toEqual([250, 500, 750, 1000])
  })

  it('drops the rate by BETA on a throttle answer, once for the calls sent before it, and climbs back to it', async () => {
    const time = fakeTime()
    const pacer = createPacer({ now: time.now, sleep: time.sleep, initialRps: 20 })
    const sentAt = await pacer.acquire('ecs')
    time.advance(100)
    pacer.throttled('ecs', sentAt)
    expect(pacer.stats('ecs').rps).toBeCloseTo(20 * BETA)
    pacer.throttled('ecs', sentAt) // sent before the decrease: already answered for
    expect(pacer.stats('ecs').rps).toBeCloseTo(20 * BETA)
    // The rate only grows while callers wait on it: keep a queue busy for 5 s.
    const waiters = Array.from({ length: 100 }, () => pacer.acquire('ecs').then(() => pacer.succeeded('ecs')))
    await Promise.all(waiters)
    expect(pacer.stats('ecs').rps).toBeGreaterThan(20)
    expect(pacer.stats('ecs').throttles).toBe(2)
  })

  it('never goes above a ceiling, and starts there', async () => {
    const time = fakeTime()
    const pacer = createPacer({ now: time.now, sleep: time.sleep, maxRps: { all: 30, services: { cbr: 2 } } })
    expect(pacer.stats('ebs').rps).toBe(30)
    expect(pacer.stats('cbr').rps).toBe(2)
    await Promise.all(Array.from({ length: 50 }, () => pacer.acquire('cbr').then(() => pacer.succeeded('cbr'))))
    expect(pacer.stats('cbr').rps).toBe(2)
    expect(time.now()).toBeGreaterThanOrEqual(24_000)
  })

  it('does not grow while idle, and starts an unknown service at DEFAULT_INITIAL_RPS', () => {
    const time = fakeTime()
    const pacer = createPacer({ now: time.now, sleep: time.sleep })
    expect(pacer.stats('ecs').rps).toBe(DEFAULT_INITIAL_RPS)
    time.advance(60_000)
    pacer.succeeded('ecs')
    expect(pacer.stats('ecs').rps).toBe(DEFAULT_INITIAL_RPS)
  })

  it('stops waiting when the caller aborts', async () => {
    const time = fakeTime()
    let release: () => void = () => {}
    const pacer = createPacer({ now: time.now, sleep: () => new Promise<void>((r) => (release = r)), initialRps: 1 })
    await pacer.acquire('ecs')
    const controller = new AbortController()
    const waiting = pacer.acquire('ecs', controller.signal)
    controller.abort(new Error('cancelled'))
    await expect(waiting).rejects.toThrow('cancelled')
    expect(pacer.stats('ecs').waiting).toBe(0)
    release()
  })
})

describe('parseMaxRps (CTYUN_MAX_RPS)', () => {
  it('reads a rate for every service, per service, or both', () => {
    expect(parseMaxRps(undefined)).toBeUndefined()
    expect(parseMaxRps(' ')).toBeUndefined()
    const both = parseMaxRps('20, ebs=10')
    expect(both).toEqual({ all: 20, services: { ebs: 10 } })
    expect(maxRpsFor(both, 'ebs')).toBe(10)
    expect(maxRpsFor(both, 'cbr')).toBe(20)
    expect(maxRpsFor(parseMaxRps('cbr=5'), 'ebs')).toBe(Number.POSITIVE_INFINITY)
  })

  it('names the bad entry and the setting', () => {
    for (const [text, pattern] of [
      ['fast', /"fast" is not a rate/],
      ['ebs=0', /"ebs=0" is not a rate/],
      ['disk=5', /"disk" is not a CTyun service/],
      ['5,6', /more than one rate/],
    ] as const) {
      const error = (() => {
        try {
          parseMaxRps(text)
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(CtyunConfigError)
      expect((error as CtyunConfigError).setting).toBe('CTYUN_MAX_RPS')
      expect((error as Error).message).toMatch(pattern)
    }
  })
})
