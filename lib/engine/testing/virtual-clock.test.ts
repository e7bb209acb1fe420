import { describe, expect, it } from 'vitest'
import { createVirtualClock, type VirtualTime } from './virtual-clock'

/** Virtual time with a frozen wall clock: it moves only when the clock advances it. */
function frozenTime(): VirtualTime & { advances: number[] } {
  let now = 0
  const advances: number[] = []
  return {
    advances,
    now: () => now,
    advance(ms) {
      advances.push(ms)
      now += ms
    },
  }
}

/** Lets the event loop go round a few times (enough for the clock to advance if it were going to). */
async function eventLoopTurns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('createVirtualClock', () => {
  it('wakes concurrent sleepers in order of wake-up time, each at its own instant, ties in arrival order', async () => {
    const time = frozenTime()
    const clock = createVirtualClock(time)
    const woke: string[] = []
    const sleeper = async (name: string, ms: number) => {
      await clock.sleep(ms)
      woke.push(`${name}@${clock.now()}`)
    }

    await Promise.all([sleeper('c', 300), sleeper('a', 100), sleeper('d', 200), sleeper('b', 100)])

    expect(woke).toEqual(['a@100', 'b@100', 'd@200', 'c@300'])
    expect(time.advances).toEqual([100, 100, 100])
  })

  it('does not advance before other work has run its microtasks and a pending setImmediate', async () => {
    const clock = createVirtualClock(frozenTime())
    const woke: string[] = []
    const longSleep = clock.sleep(1_000).then(() => woke.push(`long@${clock.now()}`))
    const busy = (async () => {
      for (let i = 0; i < 1_000; i++) await Promise.resolve()
      await new Promise((resolve) => setImmediate(resolve))
      await clock.sleep(10)
      woke.push(`short@${clock.now()}`)
    })()

    await Promise.all([longSleep, busy])

    expect(woke).toEqual(['short@10', 'long@1000'])
  })

  it('gives work started by a new sleeper one more quiet turn before advancing', async () => {
    const clock = createVirtualClock(frozenTime())
    const woke: string[] = []
    const follower = async () => {
      await new Promise((resolve) => setImmediate(resolve))
      await clock.sleep(10)
      woke.push(`follower@${clock.now()}`)
    }
    let started: Promise<void> | undefined
    // The leader wakes from a timer queued before the clock's own idle turn, and sets off the follower as it sleeps.
    const leader = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 0))
      const sleeping = clock.sleep(500)
      started = follower()
      await sleeping
      woke.push(`leader@${clock.now()}`)
    })()
    const idle = clock.sleep(1_000).then(() => woke.push(`idle@${clock.now()}`))

    await Promise.all([leader, idle])
    await started

    expect(woke).toEqual(['follower@10', 'leader@500', 'idle@1000'])
  })

  it('holds the clock while a request is in flight, until its body has been read', async () => {
    const time = frozenTime()
    const headers = deferred<void>()
    let closeBody!: () => void
    const fetch: typeof globalThis.fetch = async () => {
      await headers.promise
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"statusCode":800}'))
          closeBody = () => controller.close()
        },
      })
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })
    }
    const clock = createVirtualClock(time, { fetch })
    const request = clock.fetch('http://127.0.0.1:1/v4/ebs/list-ebs')
    let wokeAt: number | undefined
    const sleeping = clock.sleep(5_000).then(() => (wokeAt = clock.now()))

    await eventLoopTurns(10)
    expect(wokeAt).toBeUndefined()
    headers.resolve()
    await eventLoopTurns(10)
    expect(wokeAt).toBeUndefined() // headers arrived, the body has not
    expect(time.now()).toBe(0)
    closeBody()
    const response = await request
    await sleeping

    expect(await response.json()).toEqual({ statusCode: 800 })
    expect(wokeAt).toBe(5_000)
  })

  it('wakes a sleeper whose time has come while a request is still in flight', async () => {
    const request = deferred<Response>()
    const clock = createVirtualClock(frozenTime(), { fetch: () => request.promise })
    const reply = clock.fetch('http://127.0.0.1:1/')

    await clock.sleep(0)

    expect(clock.now()).toBe(0)
    request.resolve(new Response(null, { status: 204 }))
    expect((await reply).status).toBe(204)
  })

  it('lets an AbortSignal cut a sleep short without moving the clock to its wake-up', async () => {
    const time = frozenTime()
    const clock = createVirtualClock(time)
    const controller = new AbortController()
    const hour = clock.sleep(3_600_000, controller.signal)
    const held = deferred<void>()
    void clock.hold(held.promise) // keeps the hour-long sleeper from being reached before the abort

    controller.abort()
    await hour
    held.resolve()
    await clock.sleep(10)

    expect(clock.now()).toBe(10)
    expect(time.advances).toEqual([10])
    expect(clock.sleeping).toBe(0)
    await expect(clock.sleep(1_000, controller.signal)).resolves.toBeUndefined() // already aborted: at once
    expect(clock.now()).toBe(10)
  })
})
