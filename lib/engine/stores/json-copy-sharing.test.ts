import { describe, expect, it } from 'vitest'
import { createSharingCopier } from './json-copy'
import { createMemoryStore } from './memory-store'

describe('createSharingCopier', () => {
  it('gives what a JSON round trip gives, value after value', () => {
    const copier = createSharingCopier()
    const shared = { list: [1, undefined], when: new Date(0) }
    const values: unknown[] = [
      { output: shared },
      { input: shared, n: Number.NaN },
      shared,
      [shared, shared],
      'text',
      undefined,
      { other: { gone: undefined } },
    ]
    for (const value of values) {
      const text = JSON.stringify(value)
      expect(copier.copy(value)).toStrictEqual(text === undefined ? undefined : JSON.parse(text))
      expect(createSharingCopier().copyAndKeep(value)).toStrictEqual(text === undefined ? undefined : JSON.parse(text))
    }
  })

  it('copies an object once when it comes again right after, and never shares with the original', () => {
    const copier = createSharingCopier()
    const output = { n: 1, nested: { m: 2 } }
    const first = copier.copy({ output })
    const second = copier.copy({ input: output })
    expect(second.input).toBe(first.output)
    expect(first.output).not.toBe(output)
    expect(first.output.nested).not.toBe(output.nested)
  })

  it('shares the copy of a kept value wherever it comes again', () => {
    const copier = createSharingCopier()
    const input = { items: [{ i: 0 }, { i: 1 }] }
    const kept = copier.copyAndKeep(input)
    const machine = copier.copy({ frames: { root: { scope: [], input } } })
    const event = copier.copy({ detail: { input, workflow: 'w' } })
    expect(machine.frames.root.input).toBe(kept)
    expect(event.detail.input).toBe(kept)
    expect(kept).toEqual(input)
    expect(kept).not.toBe(input)
  })
})

describe('memory store with repeated payloads', () => {
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
    expect((await store.history('r1')).map((event) => event.detail)).toEqual([
      { output: { disks: ['d-1'] } },
      { input: { disks: ['d-1'] } },
      { output: { disks: ['d-1'] } },
    ])
  })

  it("hands out a run's input and its machine as independent copies", async () => {
    const store = createMemoryStore()
    const input = { items: [{ i: 0 }] }
    const machine = { frames: { root: { input } } }
    await store.create({
      id: 'r1',
      workflow: 'w',
      input,
      machine,
      resumeAt: null,
      now,
      events: [{ at, type: 'ExecutionStarted', detail: { input } }],
    })

    const got = (await store.get('r1'))!
    ;(got.input as typeof input).items.push({ i: 1 })

    expect((got.machine as typeof machine).frames.root.input).toEqual({ items: [{ i: 0 }] })
    expect((await store.history('r1'))[0]!.detail).toEqual({ input: { items: [{ i: 0 }] } })
    expect((await store.get('r1'))!.input).toEqual({ items: [{ i: 0 }] })
  })

  it("keeps a finished run's output once for its record, machine and last events, and hands out copies", async () => {
    const store = createMemoryStore()
    await store.create({ id: 'r1', workflow: 'w', input: {}, machine: null, resumeAt: now, now, events: [] })
    const lease = (await store.acquire('r1', { owner: 'o', leaseMs: 1000, now }))!
    const output = [{ i: 0 }]
    const events = [
      { at, type: 'MapStateExited', state: 'M', detail: { output } },
      { at, type: 'ExecutionSucceeded', detail: { output } },
    ]
    const saved = await store.save(lease, {
      status: 'SUCCEEDED',
      machine: { status: 'succeeded', frames: {}, output },
      resumeAt: null,
      output,
      events,
      now,
    })
    ;(saved.output as typeof output).push({ i: 9 })
    output.push({ i: 8 })

    const got = (await store.get('r1'))!
    expect(got.output).toEqual([{ i: 0 }])
    expect((got.machine as { output: unknown }).output).toEqual([{ i: 0 }])
    expect((await store.history('r1')).map((event) => event.detail)).toEqual([
      { output: [{ i: 0 }] },
      { output: [{ i: 0 }] },
    ])
  })

  it('gives back every detail as a JSON round trip would, members in order, whatever its shape', async () => {
    const store = createMemoryStore()
    const item = { i: 1 }
    const details: unknown[] = [
      { output: item, frame: 'root/1.0:0' },
      { frame: 'root/1.0:0' },
      { input: item },
      { index: 3 },
      { frame: 'root/1.0:0', output: item },
      { output: item, frame: 7 },
      { output: undefined },
      { output: undefined, frame: 'f' },
      { output: () => 1, frame: 'f' },
      { frame: undefined },
      { output: item, frame: undefined },
      { a: 1, b: 2, frame: 'f' },
      {},
      [item, 'x'],
      { when: new Date(0), frame: 'f' },
      { toJSON: () => ({ replaced: true }) },
      JSON.parse('{"__proto__": {"p": 1}, "frame": "f"}'),
      Object.assign(Object.create(null), { output: item }),
      'text',
      null,
    ]
    const events = details.map((detail, i) => ({ at, type: `E${i}`, state: 'S', detail }))
    await store.create({ id: 'r1', workflow: 'w', input: {}, machine: null, resumeAt: null, now, events })

    const expected = events.map((event, i) => ({ ...JSON.parse(JSON.stringify(event)), seq: i + 1 }))
    const history = await store.history('r1')
    expect(history).toStrictEqual(expected)
    expect(JSON.stringify(history)).toBe(JSON.stringify(expected))
  })
})
