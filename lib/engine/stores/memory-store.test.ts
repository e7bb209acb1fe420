import { describe, expect, it } from 'vitest'
import { createMemoryStore } from './memory-store'
import { runStoreContract } from './store.contract'

runStoreContract('memory', async () => createMemoryStore())

describe('memory store copies', () => {
  const now = new Date('2026-03-01T00:00:00.000Z')
  const at = now.toISOString()

  it('keeps events and payloads as a JSON round trip would (like the file and PostgreSQL stores)', async () => {
    const store = createMemoryStore()
    const events = [
      { at, type: 'Plain', state: 'A', detail: { output: { n: 1, gone: undefined }, list: [1, undefined] } },
      { at, type: 'NoDetail', detail: undefined },
      { at, type: 'Extra', extra: { when: new Date(0) } },
      { at, type: 'DateDetail', detail: { when: new Date(0) } },
    ]
    const input = { when: new Date(0), skip: undefined, n: Number.NaN }
    await store.create({ id: 'r1', workflow: 'w', input, machine: { frames: {} }, resumeAt: null, now, events })
    const history = await store.history('r1')
    expect(history).toStrictEqual(events.map((event, i) => ({ ...JSON.parse(JSON.stringify(event)), seq: i + 1 })))
    expect((await store.get('r1'))!.input).toStrictEqual({ when: '1970-01-01T00:00:00.000Z', n: null })
  })

  it('numbers each save’s events on, across batches, honouring afterSeq and limit inside a batch', async () => {
    const store = createMemoryStore()
    const event = (type: string) => ({ at, type })
    await store.create({
      id: 'r1',
      workflow: 'w',
      input: {},
      machine: null,
      resumeAt: now,
      now,
      events: [event('a'), event('b')],
    })
    const lease = (await store.acquire('r1', { owner: 'o', leaseMs: 1000, now }))!
    await store.save(lease, {
      status: 'RUNNING',
      machine: null,
      resumeAt: now,
      now,
      events: [event('c'), event('d'), event('e')],
    })
    expect((await store.history('r1')).map((e) => `${e.seq}${e.type}`)).toEqual(['1a', '2b', '3c', '4d', '5e'])
    expect((await store.history('r1', { afterSeq: 3, limit: 1 })).map((e) => e.seq)).toEqual([4])
    expect((await store.history('r1', { afterSeq: 1, limit: 2 })).map((e) => e.seq)).toEqual([2, 3])
  })
})
