import { describe, expect, it } from 'vitest'
import { createPollGroups } from './poll-groups'

function setup() {
  let now = 1_000_000
  const groups = createPollGroups({ now: () => now })
  const fetched: Array<ReadonlySet<string>> = []
  let resolve: ((value: number) => void) | undefined
  const fetch = (members: ReadonlySet<string>) => {
    fetched.push(members)
    return new Promise<number>((r) => (resolve = r))
  }
  return {
    groups,
    fetched,
    fetch,
    settle: (value: number) => resolve!(value),
    advance: (ms: number) => (now += ms),
    now: () => now,
  }
}

describe('poll groups', () => {
  it('lets probes launched together share one fetch, with every member in its set', async () => {
    const { groups, fetched, fetch, settle, now } = setup()
    const a = groups.read('k', { since: now(), member: 'a' }, fetch)
    const b = groups.read('k', { since: now(), member: 'b' }, fetch)
    settle(7)
    expect(await Promise.all([a, b])).toEqual([7, 7])
    expect(fetched).toHaveLength(1)
    expect([...fetched[0]!]).toEqual(['a', 'b'])
  })

  it('never gives a member the same result twice, nor one from before its wait began', async () => {
    const { groups, fetched, fetch, settle, advance, now } = setup()
    const first = groups.read('k', { since: now(), member: 'a' }, fetch)
    settle(1)
    await first
    advance(1_000)
    const again = groups.read('k', { since: now() - 5_000, member: 'a' }, fetch)
    settle(2)
    expect(await again).toBe(2)
    // b's wait began after the latest fetch started: that fetch says nothing about it.
    const late = groups.read('k', { since: now() + 1, member: 'b' }, fetch)
    settle(3)
    expect(await late).toBe(3)
    expect(fetched).toHaveLength(3)
  })

  it('shares a settled result only while it is in the later half of the time since the member last read', async () => {
    const { groups, fetched, fetch, settle, advance, now } = setup()
    const since = now()
    const a0 = groups.read('k', { since, member: 'a' }, fetch)
    settle(1)
    await a0
    advance(1_000)
    const b0 = groups.read('k', { since, member: 'b' }, fetch) // a's fetch is news to b
    expect(await b0).toBe(1)
    advance(9_000)
    const b1 = groups.read('k', { since, member: 'b' }, fetch) // b last read 9 s ago: needs a fetch after +4.5 s
    settle(2)
    expect(await b1).toBe(2)
    advance(4_000)
    const a1 = groups.read('k', { since, member: 'a' }, fetch) // a last read 14 s ago; b's fetch is 4 s old
    expect(await a1).toBe(2)
    expect(fetched).toHaveLength(2)
  })

  it('keeps no failed fetch: the next read tries again', async () => {
    const { groups, now } = setup()
    await expect(
      groups.read('k', { since: now(), member: 'a' }, () => Promise.reject(new Error('503'))),
    ).rejects.toThrow('503')
    expect(await groups.read('k', { since: now(), member: 'b' }, async () => 'ok')).toBe('ok')
  })
})
