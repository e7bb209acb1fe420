import { describe, expect, it } from 'vitest'
import { mapBounded } from './map-bounded'

/** Calls that finish only when the test says so, recording how many were in flight at once. */
function gate() {
  let inFlight = 0
  let maxInFlight = 0
  const started: number[] = []
  const pending = new Map<number, { resolve: (v: string) => void; reject: (e: unknown) => void }>()
  const fn = (item: number) => {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    started.push(item)
    return new Promise<string>((resolve, reject) => pending.set(item, { resolve, reject })).finally(
      () => void inFlight--,
    )
  }
  const settle = async (item: number, error?: Error) => {
    await new Promise((r) => setImmediate(r))
    const call = pending.get(item)!
    if (error) call.reject(error)
    else call.resolve(`r${item}`)
    await new Promise((r) => setImmediate(r))
  }
  return { fn, settle, started, max: () => maxInFlight, inFlight: () => inFlight }
}

describe('mapBounded', () => {
  it('keeps at most `limit` calls in flight and returns results in input order', async () => {
    const g = gate()
    const done = mapBounded([0, 1, 2, 3, 4, 5], 2, g.fn)
    await g.settle(1)
    await g.settle(0)
    for (const item of [3, 2, 5, 4]) await g.settle(item)
    expect(await done).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5'])
    expect(g.max()).toBe(2)
  })

  it('starts nothing new after a failure, waits for the calls in flight, then throws the first failure', async () => {
    const g = gate()
    const done = mapBounded([0, 1, 2, 3, 4], 2, g.fn)
    const outcome = done.then(
      () => 'resolved',
      (error: Error) => error.message,
    )
    await g.settle(0, new Error('boom'))
    expect(g.inFlight()).toBe(1) // item 1 still running: not abandoned
    await g.settle(1, new Error('later'))
    expect(await outcome).toBe('boom')
    expect(g.started).toEqual([0, 1])
  })

  it('stops when the signal aborts, and refuses a limit below 1', async () => {
    const controller = new AbortController()
    controller.abort(new Error('budget spent'))
    await expect(mapBounded([1, 2], 2, async (x) => x, { signal: controller.signal })).rejects.toThrow('budget spent')
    await expect(mapBounded([1], 0, async (x) => x)).rejects.toThrow(RangeError)
    expect(await mapBounded([], 3, async (x) => x)).toEqual([])
  })
})
