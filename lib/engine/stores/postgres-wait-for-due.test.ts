import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createPostgresStore } from './postgres-store'
import type { NewRun, RunStore } from './run-store'
import { PG_URL, testSchemas } from '../testing/pg-schemas'

// waitForDue: idle workers LISTEN instead of polling, so a run that becomes due is picked up in milliseconds.
const url = PG_URL
const schemas = testSchemas('wait')
const opened: RunStore[] = []
const open = async (schema: string) => {
  const store = await createPostgresStore({ connectionString: url, schema, poolMax: 2 })
  opened.push(store)
  return store
}
const newRun = (id: string, resumeAt: Date | null): NewRun => ({
  id,
  workflow: 'wf',
  input: {},
  machine: {},
  resumeAt,
  now: new Date(),
  events: [],
})
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** How long a wait took, in ms. */
const timed = async (wait: Promise<void>) => {
  const started = Date.now()
  await wait
  return Date.now() - started
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()))
})
afterAll(() => schemas.dropAll())

describe('postgres store waitForDue', () => {
  it('wakes when another instance creates a run, long before the timeout', async () => {
    const schema = schemas.fresh()
    const [worker, starter] = [await open(schema), await open(schema)]
    const waiting = timed(worker.waitForDue!({ since: new Date(), timeoutMs: 5_000 }))
    await sleep(300) // the worker is listening by now
    await starter.create(newRun('r1', new Date()))
    expect(await waiting).toBeLessThan(1_000)
  })

  it('wakes when a RUNNING run is released (budget spent or suspended), not when a finished one is', async () => {
    const schema = schemas.fresh()
    const [worker, other] = [await open(schema), await open(schema)]
    await other.create(newRun('done', null))
    await other.create(newRun('running', null))
    const now = new Date()
    const doneLease = (await other.acquire('done', { owner: 'o', leaseMs: 10_000, now }))!
    await other.save(doneLease, { status: 'SUCCEEDED', machine: {}, resumeAt: null, now, events: [] })
    const runningLease = (await other.acquire('running', { owner: 'o', leaseMs: 10_000, now }))!

    await worker.waitForDue!({ since: new Date(), timeoutMs: 50 }) // starts listening
    const finished = timed(worker.waitForDue!({ since: new Date(), timeoutMs: 700 }))
    await other.release(doneLease)
    expect(await finished).toBeGreaterThanOrEqual(600) // a finished run's release notifies nobody

    const waiting = timed(worker.waitForDue!({ since: new Date(), timeoutMs: 5_000 }))
    await sleep(100)
    await other.release(runningLease)
    expect(await waiting).toBeLessThan(1_000)
  })

  it('sleeps until the earliest future resumeAt, else the timeout', async () => {
    const schema = schemas.fresh()
    const starter = await open(schema)
    await starter.create(newRun('later', new Date(Date.now() + 60_000)))
    await starter.create(newRun('soon', new Date(Date.now() + 600)))
    // A fresh instance: it starts listening after the creates, so only the resumeAt can wake it.
    const worker = await open(schema)
    const elapsed = await timed(worker.waitForDue!({ since: new Date(), timeoutMs: 5_000 }))
    expect(elapsed).toBeGreaterThanOrEqual(300)
    expect(elapsed).toBeLessThan(1_500)

    const idle = await open(schemas.fresh())
    const timedOut = await timed(idle.waitForDue!({ since: new Date(), timeoutMs: 400 }))
    expect(timedOut).toBeGreaterThanOrEqual(350)
    expect(timedOut).toBeLessThan(1_500)
  })

  it('returns at once for a notice that arrived after `since` (while the caller was claiming)', async () => {
    const schema = schemas.fresh()
    const [worker, starter] = [await open(schema), await open(schema)]
    await worker.waitForDue!({ since: new Date(), timeoutMs: 50 }) // starts listening
    const since = new Date()
    await starter.create(newRun('r1', new Date()))
    await sleep(300) // the notice has arrived; the worker was "claiming"
    expect(await timed(worker.waitForDue!({ since, timeoutMs: 5_000 }))).toBeLessThan(100)
    // An older notice does not count for a wait that starts after it.
    expect(await timed(worker.waitForDue!({ since: new Date(), timeoutMs: 300 }))).toBeGreaterThanOrEqual(250)
  })

  it('ignores notices for other schemas; resolves on abort and on close', async () => {
    const schema = schemas.fresh()
    const worker = await open(schema)
    const elsewhere = await open(schemas.fresh())
    await worker.waitForDue!({ since: new Date(), timeoutMs: 50 })
    const waiting = timed(worker.waitForDue!({ since: new Date(), timeoutMs: 700 }))
    await elsewhere.create(newRun('r1', new Date()))
    expect(await waiting).toBeGreaterThanOrEqual(600)

    const controller = new AbortController()
    const aborted = timed(worker.waitForDue!({ since: new Date(), timeoutMs: 5_000, signal: controller.signal }))
    setTimeout(() => controller.abort(), 100)
    expect(await aborted).toBeLessThan(1_000)

    const closing = timed(worker.waitForDue!({ since: new Date(), timeoutMs: 5_000 }))
    await sleep(100)
    await worker.close()
    expect(await closing).toBeLessThan(1_000)
  })
})
