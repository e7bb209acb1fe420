import { describe, expect, it } from 'vitest'
import { createSharingCopier } from './json-copy'
import { createMemoryStore } from './memory-store'

describe('createSharingCopier', () => {
  it('gives what a JSON round trip gives, value after value', () => {
    const copy = createSharingCopier()
    const shared = { list: [1, undefined], when: new Date(0) }
    const values: unknown[] = [{ output: shared }, { input: shared, n: Number.NaN }, shared, [shared, shared], 'text', undefined, { other: { gone: undefined } }]
    for (const value of values) {
      const text = JSON.stringify(value)
      expect(copy(value)).toStrictEqual(text === undefined ? undefined : JSON.parse(text))
    }
  })

  it('copies an object once when it comes again right after, and never shares with the original', () => {
    const copy = createSharingCopier()
    const output = { n: 1, nested: { m: 2 } }
    const first = copy({ output })
    const second = copy({ input: output })
    expect(second.input).toBe(first.output)
    expect(first.output).not.toBe(output)
    expect(first.output.nested).not.toBe(output.nested)
  })
})

describe('memory store history with repeated payloads', () => {
  const now = new Date('2026-03-01T00:00:00.000Z')
  const at = now.toISOString()

  it('hands out independent copies of events that named one object', async () => {
    const store = createMemoryStore()
    const output = { disks: ['d-1'] }
    const events = [
      { at, type: 'PassStateExited', state: 'A', detail: { output } },
      { at, type: 'PassStateEntered', state: 'B', detail: { input: output } },
      { at, type: 'PassStateExited', state: 'B', detail: { output } },
    ]
    await store.create({ id: 'r1', workflow: 'w', input: {}, machine: null, resumeAt: null, now, events })
    output.disks.push('d-2')

    const history = await store.history('r1')
    ;(history[0]!.detail as { output: { disks: string[] } }).output.disks.push('d-3')

    expect((history[1]!.detail as { input: unknown }).input).toEqual({ disks: ['d-1'] })
    expect((await store.history('r1')).map((event) => event.detail)).toEqual([{ output: { disks: ['d-1'] } }, { input: { disks: ['d-1'] } }, { output: { disks: ['d-1'] } }])
  })
})
