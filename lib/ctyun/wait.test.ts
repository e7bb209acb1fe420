import { describe, expect, it } from 'vitest'
import { CtyunResourceFailedError, CtyunWaitTimeoutError } from './errors'
import type { ProbeResult } from './wait'
import { pollDelay, waitFor } from './wait'

function scripted<T>(results: ProbeResult<T>[]) {
  let i = 0
  const probe = async () => results[Math.min(i++, results.length - 1)]!
  return { probe, polls: () => i }
}

function fakeTime() {
  let clock = 0
  const delays: number[] = []
  return { delays, now: () => clock, sleep: async (ms: number) => void (delays.push(ms), (clock += ms)) }
}

describe('waitFor', () => {
  it('polls fast first, then backs off to the cap, and returns the value when done', async () => {
    const time = fakeTime()
    const pending = { state: 'pending', status: 'creating' } as const
    const { probe } = scripted([
      pending,
      pending,
      pending,
      pending,
      pending,
      pending,
      { state: 'done', status: 'available', value: 's-1' },
    ])
    const value = await waitFor(probe, 'snapshot s-1 → available', {
      ...time,
      initialDelayMs: 1000,
      fastPolls: 3,
      factor: 2,
      maxDelayMs: 5000,
    })
    expect(value).toBe('s-1')
    expect(time.delays).toEqual([1000, 1000, 1000, 2000, 4000, 5000])
  })

  it('fails at once on a terminal status, naming the resource and status', async () => {
    const time = fakeTime()
    const { probe, polls } = scripted([
      { state: 'pending', status: 'creating' },
      { state: 'failed', status: 'error', reason: 'disk busy' },
    ])
    const error = await waitFor(probe, 'snapshot s-1 → available', time).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CtyunResourceFailedError)
    expect((error as Error).message).toBe('snapshot s-1 → available failed with status "error": disk busy')
    expect(polls()).toBe(2)
  })

  it('gives up at the deadline with the last status, polling once at the deadline', async () => {
    const time = fakeTime()
    const { probe } = scripted([{ state: 'pending', status: '14 开通中' }])
    const error = (await waitFor(probe, 'order mo-1 → resource ids', {
      ...time,
      timeoutMs: 2500,
      initialDelayMs: 1000,
    }).catch((e: unknown) => e)) as CtyunWaitTimeoutError
    expect(error).toBeInstanceOf(CtyunWaitTimeoutError)
    expect(error).toMatchObject({
      resource: 'order mo-1 → resource ids',
      lastStatus: '14 开通中',
      waitedMs: 2500,
      polls: 4,
    })
    expect(time.delays).toEqual([1000, 1000, 500])
  })

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController()
    const { probe } = scripted([{ state: 'pending', status: 'queued' }])
    const done = waitFor(probe, 'image i-1 → active', { signal: controller.signal, initialDelayMs: 60_000 })
    controller.abort(new Error('stop'))
    await expect(done).rejects.toThrow('stop')
  })
})

describe('pollDelay', () => {
  it('is capped', () => {
    expect(pollDelay(50, { initialDelayMs: 1000, maxDelayMs: 30_000 })).toBe(30_000)
  })
})
