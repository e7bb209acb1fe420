import { randomUUID } from 'node:crypto'
import { validate as isUuid, version as uuidVersion } from 'uuid'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { assembleEngine } from '../assemble-engine'
import type { NewHistoryEvent, RunStatus } from '../run'
import { LeaseLostError, type NewRun, type RunQuery, type RunStore, type RunUpdate } from './run-store'
import { InvalidCursorError, RunExistsError } from './store-errors'

export interface StoreContractOptions {
  /**
   * How many run records the store has read from its storage so far (the file store: run files read). Given, the list
   * tests also check that a page reads about as many runs as it returns, whatever the store holds.
   */
  runsRead?: () => number
}

/**
 * The one contract every run store keeps. Each store's test file calls it with a factory that returns a fresh,
 * empty store; the suite closes it after each test.
 *
 * @example runStoreContract('memory', async () => createMemoryStore())
 */
export function runStoreContract(
  name: string,
  createStore: () => Promise<RunStore>,
  options: StoreContractOptions = {},
): void {
  describe(`RunStore contract: ${name}`, () => {
    let store: RunStore
    const t0 = new Date('2026-03-01T00:00:00.000Z')
    const at = (ms: number) => new Date(t0.getTime() + ms)
    const lease = (owner: string, nowMs: number, leaseMs = 1_000) => ({ owner, leaseMs, now: at(nowMs) })

    function newRun(id: string, overrides: Partial<NewRun> = {}): NewRun {
      return {
        id,
        workflow: 'nightly-backup',
        input: { disks: ['d-1'], nested: { n: 1 } },
        machine: { pc: 'Start', stack: [] },
        resumeAt: null,
        now: t0,
        events: [event('RunStarted')],
        ...overrides,
      }
    }

    function event(type: string, state?: string): NewHistoryEvent {
      return { at: t0.toISOString(), type, ...(state ? { state } : {}) }
    }

    function update(overrides: Partial<RunUpdate> = {}): RunUpdate {
      return {
        status: 'RUNNING',
        machine: { pc: 'Next' },
        resumeAt: null,
        events: [event('StateEntered', 'Next')],
        now: at(10),
        ...overrides,
      }
    }

    beforeEach(async () => {
      store = await createStore()
    })
    afterEach(async () => {
      await store.close()
    })

    describe('create and get', () => {
      it('creates a RUNNING run at version 0 with its first events numbered from 1', async () => {
        const { run, created } = await store.create(
          newRun('r1', { events: [event('RunStarted'), event('StateEntered', 'A')] }),
        )

        expect(created).toBe(true)
        expect(run).toMatchObject({
          id: 'r1',
          workflow: 'nightly-backup',
          status: 'RUNNING',
          version: 0,
          cancelRequested: false,
        })
        expect(run.createdAt).toEqual(t0)
        expect(run.updatedAt).toEqual(t0)
        expect(await store.get('r1')).toEqual(run)
        expect((await store.history('r1')).map((e) => [e.seq, e.type])).toEqual([
          [1, 'RunStarted'],
          [2, 'StateEntered'],
        ])
      })

      it('round-trips input, machine and resumeAt exactly', async () => {
        const input = { text: '天翼云 "quoted" \\ \n', list: [1, 2.5, null, true], deep: { a: { b: [] } } }
        await store.create(newRun('r1', { input, machine: { pc: 'Wait', vars: { x: [1] } }, resumeAt: at(5_000) }))

        const run = await store.get('r1')
        expect(run?.input).toEqual(input)
        expect(Object.keys(run?.input as object)).toEqual(['text', 'list', 'deep']) // key order is kept, as users see it
        expect(run?.machine).toEqual({ pc: 'Wait', vars: { x: [1] } })
        expect(run?.resumeAt).toEqual(at(5_000))
      })

      it('returns undefined for an unknown run', async () => {
        expect(await store.get('nope')).toBeUndefined()
      })

      it('returns the existing run with created: false when the idempotency key is taken, keeping its requestHash', async () => {
        const first = await store.create(newRun('r1', { idempotencyKey: 'hook:backup:42', requestHash: 'hash-a' }))
        const again = await store.create(newRun('r2', { idempotencyKey: 'hook:backup:42', requestHash: 'hash-b' }))

        expect(again.created).toBe(false)
        expect(again.run.id).toBe('r1')
        expect(again.run.requestHash).toBe('hash-a')
        expect(again.run.idempotencyKey).toBe('hook:backup:42')
        expect(first.run.requestHash).toBe('hash-a')
        expect(await store.get('r2')).toBeUndefined()
        expect(await store.history('r1')).toHaveLength(1)
      })

      it('creates exactly one run when the same idempotency key races', async () => {
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.create(newRun(`race-${i}`, { idempotencyKey: 'same-key' }))),
        )

        expect(results.filter((r) => r.created)).toHaveLength(1)
        expect(new Set(results.map((r) => r.run.id)).size).toBe(1)
      })

      it('refuses a second run with the same id', async () => {
        await store.create(newRun('r1'))
        await expect(store.create(newRun('r1'))).rejects.toBeInstanceOf(RunExistsError)
      })
    })

    describe('list', () => {
      async function seed(): Promise<void> {
        // r0…r6, one second apart; r3 and r4 share a createdAt so ties are exercised
        const times = [0, 1_000, 2_000, 3_000, 3_000, 4_000, 5_000]
        for (const [i, ms] of times.entries()) {
          await store.create(newRun(`r${i}`, { now: at(ms), workflow: i % 2 ? 'odd' : 'even' }))
        }
      }

      it('lists newest first, ties broken by id, without machine or input', async () => {
        await seed()
        const { runs, nextCursor } = await store.list({})

        expect(runs.map((r) => r.id)).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1', 'r0'])
        expect(nextCursor).toBeUndefined()
        expect(runs[0]).not.toHaveProperty('machine')
        expect(runs[0]).not.toHaveProperty('input')
        expect(runs[0]).toMatchObject({ id: 'r6', status: 'RUNNING', workflow: 'even' })
      })

      it('pages with a cursor, visiting every run once', async () => {
        await seed()
        const seen: string[] = []
        let cursor: string | undefined
        let pages = 0
        do {
          const page = await store.list({ limit: 2, ...(cursor ? { cursor } : {}) })
          seen.push(...page.runs.map((r) => r.id))
          cursor = page.nextCursor
          pages++
        } while (cursor)

        expect(seen).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1', 'r0'])
        expect(pages).toBe(4)
      })

      it('filters by workflow and status, and pages within the filter', async () => {
        await seed()
        const l = await store.acquire('r2', lease('w', 0))
        await store.save(l!, update({ status: 'SUCCEEDED', output: { ok: true } }))

        const even = await store.list({ workflow: 'even', limit: 2 })
        expect(even.runs.map((r) => r.id)).toEqual(['r6', 'r4'])
        const evenRest = await store.list({ workflow: 'even', limit: 2, cursor: even.nextCursor! })
        expect(evenRest.runs.map((r) => r.id)).toEqual(['r2', 'r0'])
        expect(evenRest.nextCursor).toBeUndefined()

        expect((await store.list({ status: 'SUCCEEDED' })).runs.map((r) => r.id)).toEqual(['r2'])
        expect((await store.list({ status: 'RUNNING', workflow: 'even' })).runs.map((r) => r.id)).toEqual([
          'r6',
          'r4',
          'r0',
        ])
        expect((await store.list({ workflow: 'none' })).runs).toEqual([])
      })

      it('rejects a cursor it did not issue', async () => {
        await seed()
        await expect(store.list({ cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError)
      })

      /** An engine over this store whose clock the test sets; its runs are a one-state Pass workflow. */
      function engineAt(clock: { ms: number }) {
        return assembleEngine({
          store,
          workflows: { job: { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } } },
          validate: () => [],
          clock: { now: () => clock.ms, sleep: async () => undefined },
        })
      }

      it('gives new runs time-ordered UUIDv7 ids and lists them in creation order, even within one millisecond', async () => {
        const clock = { ms: t0.getTime() }
        const engine = engineAt(clock)
        const created: string[] = []
        for (let i = 0; i < 12; i++) {
          if (i >= 6) clock.ms += 1_000 // the first six share createdAt: only the id can order them
          created.push((await engine.start({ workflow: 'job', input: { i } })).run.id)
        }

        expect(created.every((id) => isUuid(id) && uuidVersion(id) === 7)).toBe(true)
        expect([...created].sort()).toEqual(created) // the order of ids is the order of creation
        expect((await store.list({})).runs.map((r) => r.id)).toEqual([...created].reverse())
        const firstPage = await store.list({ limit: 4 })
        const secondPage = await store.list({ limit: 4, cursor: firstPage.nextCursor! })
        expect([...firstPage.runs, ...secondPage.runs].map((r) => r.id)).toEqual([...created].reverse().slice(0, 8))
      })

      it('keeps a cursor stable while runs are created: the next page goes on where the last ended, new runs come first on a new first page', async () => {
        const clock = { ms: t0.getTime() }
        const engine = engineAt(clock)
        const created: string[] = []
        for (let i = 0; i < 6; i++) created.push((await engine.start({ workflow: 'job', input: {} })).run.id)

        const first = await store.list({ limit: 3 })
        const later: string[] = []
        for (let i = 0; i < 3; i++) later.push((await engine.start({ workflow: 'job', input: {} })).run.id) // same millisecond
        clock.ms += 10
        later.push((await engine.start({ workflow: 'job', input: {} })).run.id)
        const second = await store.list({ limit: 3, cursor: first.nextCursor! })

        expect(first.runs.map((r) => r.id)).toEqual(created.slice(3).reverse())
        expect(second.runs.map((r) => r.id)).toEqual(created.slice(0, 3).reverse())
        expect(second.nextCursor).toBeUndefined()
        expect((await store.list({ limit: 4 })).runs.map((r) => r.id)).toEqual([...later].reverse())
      })

      it('still gets, cancels and lists a run whose id is not time-ordered (older ids, child runs), by its createdAt', async () => {
        const clock = { ms: at(1_000).getTime() }
        const engine = engineAt(clock)
        const older = (await engine.start({ workflow: 'job', input: {} })).run.id
        const v4 = randomUUID() // ids before UUIDv7: random, so their order says nothing
        await store.create(newRun(v4, { now: at(1_500), workflow: 'job' }))
        await store.create(newRun('zz-caller-chosen', { now: at(500), workflow: 'job' }))
        clock.ms = at(2_000).getTime()
        const newer = (await engine.start({ workflow: 'job', input: {} })).run.id

        expect((await store.list({})).runs.map((r) => r.id)).toEqual([newer, v4, older, 'zz-caller-chosen'])
        expect((await store.list({ workflow: 'job', status: 'RUNNING', limit: 2 })).runs.map((r) => r.id)).toEqual([
          newer,
          v4,
        ])
        expect(await store.get(v4)).toMatchObject({ id: v4, status: 'RUNNING' })
        expect(await store.requestCancel(v4, at(3_000))).toMatchObject({ id: v4, cancelRequested: true })
        const l = (await store.acquire(v4, lease('w', 3_000)))!
        await store.save(l, update({ status: 'ABORTED', now: at(3_000) }))
        expect((await store.list({ status: 'ABORTED' })).runs.map((r) => r.id)).toEqual([v4])
        expect((await store.list({ status: 'RUNNING' })).runs.map((r) => r.id)).toEqual([
          newer,
          older,
          'zz-caller-chosen',
        ])
      })

      it('pages through sparse filters over runs spread from milliseconds to weeks apart: each run once, in order', async () => {
        // 160 runs: bursts within one millisecond, runs seconds, minutes and days apart; one in eight fails, a few
        // stay RUNNING; two workflows. Every filter is paged with a small limit and compared with the expected order.
        const offsets: number[] = []
        for (let i = 0; i < 160; i++)
          offsets.push(
            [0, 1, 7, 999, 1_000, 61_000, 3_600_000, 86_400_000 * 3, 86_400_000 * 20][i % 9]! + Math.floor(i / 9) * 11,
          )
        const runs: Array<{ id: string; ms: number; workflow: string; status: RunStatus }> = []
        for (const [i, ms] of offsets.entries()) {
          const id = `s-${String(i).padStart(3, '0')}`
          const workflow = i % 3 === 0 ? 'three' : 'other'
          const status: RunStatus = i % 8 === 5 ? 'FAILED' : i % 16 === 2 ? 'RUNNING' : 'SUCCEEDED'
          await store.create(newRun(id, { now: at(ms), workflow }))
          if (status !== 'RUNNING') {
            const l = (await store.acquire(id, lease('w', 0)))!
            await store.save(
              l,
              update({ status, ...(status === 'FAILED' ? { error: { error: 'E' } } : { output: i }) }),
            )
          }
          runs.push({ id, ms, workflow, status })
        }
        const expected = (query: RunQuery) =>
          runs
            .filter(
              (r) =>
                (query.workflow === undefined || r.workflow === query.workflow) &&
                (query.status === undefined || r.status === query.status),
            )
            .sort((a, b) => b.ms - a.ms || (a.id < b.id ? 1 : -1))
            .map((r) => r.id)

        for (const query of [
          {},
          { status: 'FAILED' },
          { status: 'RUNNING' },
          { workflow: 'three' },
          { workflow: 'three', status: 'FAILED' },
        ] as RunQuery[]) {
          const seen: string[] = []
          let cursor: string | undefined
          do {
            const readsBefore = options.runsRead?.()
            const page = await store.list({ ...query, limit: 7, ...(cursor ? { cursor } : {}) })
            // A page reads its own runs and the one after it (is there a next page?), not the store.
            if (readsBefore !== undefined) expect(options.runsRead!() - readsBefore).toBeLessThanOrEqual(8)
            seen.push(...page.runs.map((r) => r.id))
            cursor = page.nextCursor
          } while (cursor)
          expect({ query, seen }).toEqual({ query, seen: expected(query) })
        }
      })
    })

    describe('child runs (distributed Map)', () => {
      it('keeps parentId, lists children only under their parent, and top-level runs without them', async () => {
        await store.create(newRun('parent', { now: at(0) }))
        await store.create(
          newRun('child-1', { now: at(1_000), parentId: 'parent', workflow: 'nightly-backup#/States/M/ItemProcessor' }),
        )
        await store.create(
          newRun('child-0', { now: at(1_000), parentId: 'parent', workflow: 'nightly-backup#/States/M/ItemProcessor' }),
        )
        await store.create(newRun('other', { now: at(2_000) }))

        expect((await store.get('child-0'))!.parentId).toBe('parent')
        expect((await store.get('parent'))!.parentId).toBeUndefined()
        expect((await store.list({})).runs.map((r) => r.id)).toEqual(['other', 'parent'])
        const children = await store.list({ parentId: 'parent', limit: 1 })
        expect(children.runs.map((r) => [r.id, r.parentId])).toEqual([['child-1', 'parent']])
        expect((await store.list({ parentId: 'parent', cursor: children.nextCursor! })).runs.map((r) => r.id)).toEqual([
          'child-0',
        ])
        expect((await store.list({ parentId: 'other' })).runs).toEqual([])
      })

      it('makes the parent due when a child finishes — not when it merely saves — and leaves a finished parent alone', async () => {
        await store.create(newRun('parent', { resumeAt: at(60_000) }))
        await store.create(newRun('child', { parentId: 'parent', resumeAt: at(0) }))
        const child = (await store.acquire('child', lease('w', 0)))!

        await store.save(child, update({ resumeAt: at(5), now: at(5) }))
        expect((await store.get('parent'))!.resumeAt).toEqual(at(60_000))
        await store.save(child, update({ status: 'SUCCEEDED', output: { ok: 1 }, now: at(10) }))
        expect((await store.get('parent'))!.resumeAt).toEqual(at(10))
        expect((await store.claimDue({ ...lease('w2', 10), limit: 5 })).map((c) => c.runId)).toEqual(['parent'])

        // A parent that is already due earlier, or finished, is not moved.
        await store.create(newRun('done', {}))
        const done = (await store.acquire('done', lease('w', 20)))!
        await store.save(done, update({ status: 'FAILED', error: { error: 'E' }, now: at(20) }))
        await store.create(newRun('orphan', { parentId: 'done', resumeAt: at(0) }))
        const orphan = (await store.acquire('orphan', lease('w', 30)))!
        await store.save(orphan, update({ status: 'SUCCEEDED', now: at(30) }))
        expect(await store.get('done')).toMatchObject({ status: 'FAILED', resumeAt: null })
      })
    })

    describe('history', () => {
      it('keeps events in seq order across saves, with afterSeq and limit', async () => {
        await store.create(newRun('r1'))
        const l = (await store.acquire('r1', lease('w', 0)))!
        await store.save(l, update({ events: [event('StateEntered', 'A'), event('StateExited', 'A')] }))
        await store.save(l, update({ events: [] }))
        await store.save(l, update({ events: [event('RunSucceeded')], status: 'SUCCEEDED' }))

        const all = await store.history('r1')
        expect(all.map((e) => [e.seq, e.type, e.state])).toEqual([
          [1, 'RunStarted', undefined],
          [2, 'StateEntered', 'A'],
          [3, 'StateExited', 'A'],
          [4, 'RunSucceeded', undefined],
        ])
        expect((await store.history('r1', { afterSeq: 2 })).map((e) => e.seq)).toEqual([3, 4])
        expect((await store.history('r1', { afterSeq: 1, limit: 2 })).map((e) => e.seq)).toEqual([2, 3])
        expect(await store.history('unknown')).toEqual([])
      })

      it('counts the history events of a run (historyLength) through create, save and get', async () => {
        const { run } = await store.create(newRun('r1', { events: [event('RunStarted'), event('StateEntered', 'A')] }))
        expect(run.historyLength).toBe(2)
        const l = (await store.acquire('r1', lease('w', 0)))!
        const saved = await store.save(
          l,
          update({ events: [event('StateExited', 'A'), event('StateEntered', 'B'), event('StateExited', 'B')] }),
        )
        expect(saved.historyLength).toBe(5)
        expect((await store.save(l, update({ events: [] }))).historyLength).toBe(5)
        expect((await store.get('r1'))?.historyLength).toBe(5)
      })

      it('keeps event details', async () => {
        await store.create(
          newRun('r1', { events: [{ at: t0.toISOString(), type: 'RunStarted', detail: { input: { a: [1, 'b'] } } }] }),
        )
        expect((await store.history('r1'))[0]).toEqual({
          seq: 1,
          at: t0.toISOString(),
          type: 'RunStarted',
          detail: { input: { a: [1, 'b'] } },
        })
      })
    })

    describe('save', () => {
      it('saves a transition: version +1, updatedAt, status, output, error', async () => {
        await store.create(newRun('r1'))
        const l = (await store.acquire('r1', lease('w', 0)))!
        const saved = await store.save(l, update({ resumeAt: at(60_000), now: at(5) }))

        expect(saved).toMatchObject({ version: 1, status: 'RUNNING', machine: { pc: 'Next' } })
        expect(saved.updatedAt).toEqual(at(5))
        expect(saved.resumeAt).toEqual(at(60_000))
        expect(saved.createdAt).toEqual(t0)

        const failed = await store.save(
          l,
          update({ status: 'FAILED', error: { error: 'States.TaskFailed', cause: 'boom' }, now: at(6) }),
        )
        expect(failed).toMatchObject({
          version: 2,
          status: 'FAILED',
          error: { error: 'States.TaskFailed', cause: 'boom' },
        })
        expect(failed.resumeAt).toBeNull()
        expect(await store.get('r1')).toEqual(failed)
      })

      it('appends nothing and changes nothing when the lease is lost', async () => {
        await store.create(newRun('r1'))
        const stale = (await store.acquire('r1', lease('w1', 0, 100)))!
        const fresh = (await store.acquire('r1', lease('w2', 200)))!
        const before = await store.get('r1')

        await expect(store.save(stale, update({ events: [event('Ghost')] }))).rejects.toBeInstanceOf(LeaseLostError)

        expect(await store.get('r1')).toEqual(before)
        expect((await store.history('r1')).map((e) => e.type)).toEqual(['RunStarted'])
        await expect(store.save(fresh, update())).resolves.toMatchObject({ version: 1 })
      })
    })

    describe('leases', () => {
      it('refuses a run whose lease is live and grants it after expiry with a higher token', async () => {
        await store.create(newRun('r1'))
        const first = (await store.acquire('r1', lease('w1', 0, 1_000)))!
        expect(first).toMatchObject({ runId: 'r1', owner: 'w1' })
        expect(first.expiresAt).toEqual(at(1_000))

        expect(await store.acquire('r1', lease('w2', 999))).toBeUndefined()
        const second = (await store.acquire('r1', lease('w2', 1_000)))!

        expect(second.owner).toBe('w2')
        expect(second.token).toBeGreaterThan(first.token)
        await expect(store.save(first, update())).rejects.toBeInstanceOf(LeaseLostError)
        await expect(store.renew(first, lease('w1', 1_001))).rejects.toBeInstanceOf(LeaseLostError)
      })

      it('grants exactly one lease when several workers race for a run', async () => {
        await store.create(newRun('r1'))
        const leases = await Promise.all(Array.from({ length: 8 }, (_, i) => store.acquire('r1', lease(`w${i}`, 0))))
        expect(leases.filter(Boolean)).toHaveLength(1)
      })

      it('lets the holder save past expiry while nobody took the run over (the token still fences)', async () => {
        await store.create(newRun('r1'))
        const l = (await store.acquire('r1', lease('w1', 0, 100)))!
        await expect(store.save(l, update({ now: at(500) }))).resolves.toMatchObject({ version: 1 })
      })

      it('refuses unknown and finished runs', async () => {
        await store.create(newRun('r1'))
        const l = (await store.acquire('r1', lease('w', 0)))!
        await store.save(l, update({ status: 'SUCCEEDED', output: 1 }))
        await store.release(l)

        expect(await store.acquire('r1', lease('w', 5_000))).toBeUndefined()
        expect(await store.acquire('nope', lease('w', 0))).toBeUndefined()
      })

      it('renews a live lease with the same token and a later expiry', async () => {
        await store.create(newRun('r1'))
        const l = (await store.acquire('r1', lease('w1', 0, 1_000)))!
        const renewed = await store.renew(l, lease('w1', 900, 1_000))

        expect(renewed.token).toBe(l.token)
        expect(renewed.expiresAt).toEqual(at(1_900))
        expect(await store.acquire('r1', lease('w2', 1_500))).toBeUndefined()
        expect(await store.acquire('r1', lease('w2', 1_900))).toBeDefined()
      })

      it('release lets another worker take the run at once; a released lease cannot save', async () => {
        await store.create(newRun('r1'))
        const l = (await store.acquire('r1', lease('w1', 0, 60_000)))!
        await store.release(l)

        const next = await store.acquire('r1', lease('w2', 1))
        expect(next?.token).toBeGreaterThan(l.token)
        await expect(store.save(l, update())).rejects.toBeInstanceOf(LeaseLostError)
        await expect(store.release(l)).resolves.toBeUndefined()
        // the stale release did not free the new holder's lease
        expect(await store.acquire('r1', lease('w3', 2))).toBeUndefined()
      })

      it('throws LeaseLostError for a lease on an unknown run', async () => {
        const ghost = { runId: 'nope', owner: 'w', token: 1, expiresAt: at(1_000) }
        await expect(store.save(ghost, update())).rejects.toBeInstanceOf(LeaseLostError)
        await expect(store.renew(ghost, lease('w', 0))).rejects.toBeInstanceOf(LeaseLostError)
        await expect(store.release(ghost)).resolves.toBeUndefined()
      })
    })

    describe('worker attempts', () => {
      it('counts each grant of the lease since it was last given back, through acquire and claimDue', async () => {
        await store.create(newRun('r1', { resumeAt: t0 }))
        // Three workers take it in turn and die: none gives it back, each lease expires.
        const first = await store.acquire('r1', lease('w1', 0, 100))
        const [second] = await store.claimDue({ ...lease('w2', 100, 100), limit: 1 })
        const third = await store.acquire('r1', lease('w3', 200, 100))
        expect([first?.attempt, second?.attempt, third?.attempt]).toEqual([1, 2, 3])

        // The fourth finishes its advance normally: it gives the lease back, and the count starts again.
        const fourth = (await store.acquire('r1', lease('w4', 300, 100)))!
        expect(fourth.attempt).toBe(4)
        await store.release(fourth)
        expect((await store.acquire('r1', lease('w5', 301, 100)))?.attempt).toBe(1)
      })

      it('does not start the count again on the release of a lease that was lost', async () => {
        await store.create(newRun('r1'))
        const stalled = (await store.acquire('r1', lease('w1', 0, 100)))!
        const taker = (await store.acquire('r1', lease('w2', 100, 100)))!
        await store.release(stalled) // too late: w2 holds the run

        expect(taker.attempt).toBe(2)
        expect((await store.acquire('r1', lease('w3', 200, 100)))?.attempt).toBe(3)
      })
    })

    describe('claimDue', () => {
      async function suspended(id: string, resumeMs: number | null): Promise<void> {
        await store.create(newRun(id, { resumeAt: resumeMs === null ? null : at(resumeMs) }))
      }

      it('claims only RUNNING runs due by now, earliest first, up to the limit', async () => {
        await suspended('late', 3_000)
        await suspended('first', 1_000)
        await suspended('second', 2_000)
        await suspended('future', 9_000)
        await suspended('never', null)
        await suspended('done', 500)
        const l = (await store.acquire('done', lease('w', 0)))!
        await store.save(l, update({ status: 'SUCCEEDED', resumeAt: at(500) }))
        await store.release(l)

        const two = await store.claimDue({ ...lease('w1', 5_000), limit: 2 })
        expect(two.map((c) => c.runId)).toEqual(['first', 'second'])
        const rest = await store.claimDue({ ...lease('w2', 5_000), limit: 10 })
        expect(rest.map((c) => c.runId)).toEqual(['late'])
        expect(rest[0]).toMatchObject({ owner: 'w2' })
        expect(rest[0]!.expiresAt).toEqual(at(6_000))
      })

      it('skips runs with a live lease and takes them back after expiry', async () => {
        await suspended('a', 0)
        await suspended('b', 0)
        const held = (await store.acquire('a', lease('w0', 0, 1_000)))!

        expect((await store.claimDue({ ...lease('w1', 10), limit: 5 })).map((c) => c.runId)).toEqual(['b'])
        expect(await store.claimDue({ ...lease('w2', 20), limit: 5 })).toEqual([])
        const later = await store.claimDue({ ...lease('w2', 2_000), limit: 5 })
        expect(later.map((c) => c.runId).sort()).toEqual(['a', 'b'])
        expect(later.find((c) => c.runId === 'a')!.token).toBeGreaterThan(held.token)
      })

      it('gives each due run to one worker when several claim at once', async () => {
        for (let i = 0; i < 12; i++) await suspended(`d${i}`, i)
        const batches = await Promise.all(
          Array.from({ length: 4 }, (_, w) => store.claimDue({ ...lease(`w${w}`, 100), limit: 5 })),
        )
        const ids = batches.flat().map((c) => c.runId)

        expect(ids).toHaveLength(12)
        expect(new Set(ids).size).toBe(12)
      })

      it('no longer returns a run once its save moved resumeAt into the future', async () => {
        await suspended('a', 0)
        const [claimed] = await store.claimDue({ ...lease('w', 10), limit: 1 })
        await store.save(claimed!, update({ resumeAt: at(60_000) }))
        await store.release(claimed!)

        expect(await store.claimDue({ ...lease('w', 20), limit: 1 })).toEqual([])
        expect((await store.claimDue({ ...lease('w', 60_000), limit: 1 })).map((c) => c.runId)).toEqual(['a'])
      })
    })

    describe('cancel', () => {
      it('flags the run, and the holder sees the flag on its next save', async () => {
        await store.create(newRun('r1'))
        const l = (await store.acquire('r1', lease('w', 0)))!
        const flagged = await store.requestCancel('r1', at(3))

        expect(flagged).toMatchObject({ id: 'r1', cancelRequested: true, status: 'RUNNING' })
        expect(await store.save(l, update())).toMatchObject({ cancelRequested: true })
        expect((await store.get('r1'))?.cancelRequested).toBe(true)
      })

      it('returns undefined for an unknown run and leaves a finished run as it was', async () => {
        expect(await store.requestCancel('nope', t0)).toBeUndefined()
        await store.create(newRun('r1'))
        const l = (await store.acquire('r1', lease('w', 0)))!
        const done = await store.save(l, update({ status: 'SUCCEEDED', output: 'x' }))

        expect(await store.requestCancel('r1', at(50))).toEqual(done)
      })
    })

    describe('workflow versions', () => {
      const v1 = '0123456789abcdef0123456789abcdef'
      const v2 = 'fedcba9876543210fedcba9876543210'
      // Members out of alphabetical order: a run resumes on the definition as written.
      const definition = () => ({
        StartAt: 'Snap',
        States: { Snap: { Type: 'Pass', Result: { z: 1, a: [1, 'b'] }, End: true } },
        Comment: '天翼云',
      })

      it('gives back the definition kept under a version, member order included', async () => {
        await store.putWorkflowVersion(v1, definition(), t0)

        const kept = await store.getWorkflowVersion(v1)
        expect(kept).toEqual(definition())
        expect(Object.keys(kept as object)).toEqual(['StartAt', 'States', 'Comment'])
        expect(Object.keys((kept as ReturnType<typeof definition>).States.Snap.Result)).toEqual(['z', 'a'])
      })

      it('leaves a version already kept as it is', async () => {
        await store.putWorkflowVersion(v1, definition(), t0)
        await store.putWorkflowVersion(v1, { StartAt: 'Other', States: {} }, at(1_000))

        expect(await store.getWorkflowVersion(v1)).toEqual(definition())
      })

      it('returns undefined for a version it does not keep', async () => {
        await store.putWorkflowVersion(v1, definition(), t0)
        expect(await store.getWorkflowVersion(v2)).toBeUndefined()
      })

      it('keeps the same version put several times at once, once', async () => {
        await Promise.all(Array.from({ length: 8 }, () => store.putWorkflowVersion(v1, definition(), t0)))
        expect(await store.getWorkflowVersion(v1)).toEqual(definition())
      })

      it('never changes what it keeps when what was put or got is mutated', async () => {
        const put = definition()
        await store.putWorkflowVersion(v1, put, t0)
        put.States.Snap.Result.a.push('put')
        const got = (await store.getWorkflowVersion(v1)) as ReturnType<typeof definition>
        got.States.Snap.Result.a.push('got')
        got.StartAt = 'Changed'

        expect(await store.getWorkflowVersion(v1)).toEqual(definition())
      })

      it("keeps a run's workflowVersion through create, get, list and save; a run created without one has none", async () => {
        await store.putWorkflowVersion(v1, definition(), t0)
        const { run } = await store.create(newRun('versioned', { workflowVersion: v1, now: at(1) }))
        await store.create(
          newRun('child', {
            workflowVersion: v1,
            parentId: 'versioned',
            workflow: 'nightly-backup#/States/M/ItemProcessor',
          }),
        )
        await store.create(newRun('unversioned', { now: at(0) }))

        expect(run.workflowVersion).toBe(v1)
        expect((await store.get('versioned'))!.workflowVersion).toBe(v1)
        expect((await store.get('child'))!.workflowVersion).toBe(v1)
        expect((await store.list({})).runs.map((r) => [r.id, r.workflowVersion])).toEqual([
          ['versioned', v1],
          ['unversioned', undefined],
        ])
        expect((await store.list({ parentId: 'versioned' })).runs[0]!.workflowVersion).toBe(v1)
        const unversioned = (await store.get('unversioned'))!
        expect(unversioned.workflowVersion).toBeUndefined()
        expect(unversioned).not.toHaveProperty('workflowVersion')
        const l = (await store.acquire('versioned', lease('w', 0)))!
        expect((await store.save(l, update({ status: 'SUCCEEDED', output: 1 }))).workflowVersion).toBe(v1)
      })
    })

    describe('outbox', () => {
      const claimOpts = (
        owner: string,
        nowMs: number,
        extra: { limit?: number; leaseMs?: number; topic?: string } = {},
      ) => ({
        topic: extra.topic ?? 'notify',
        owner,
        leaseMs: extra.leaseMs ?? 1_000,
        now: at(nowMs),
        limit: extra.limit ?? 10,
      })
      const item = (id: string, topic = 'notify') => ({ id, topic, payload: { channel: 0, run: { id } } })

      async function endWith(id: string, items: ReturnType<typeof item>[]) {
        await store.create(newRun(id))
        const l = (await store.acquire(id, lease('w', 0)))!
        return store.save(l, update({ status: 'FAILED', error: { error: 'E' }, outbox: items }))
      }

      it('keeps the items a save wrote, pending, and lists them per run in the order written', async () => {
        await endWith('r1', [item('r1/0'), item('r1/1')])
        await endWith('r2', [])

        const entries = await store.outbox('r1')
        expect(entries.map((e) => [e.id, e.state, e.attempts])).toEqual([
          ['r1/0', 'pending', 0],
          ['r1/1', 'pending', 0],
        ])
        expect(entries[0]).toMatchObject({ runId: 'r1', topic: 'notify', payload: { channel: 0, run: { id: 'r1/0' } } })
        expect(entries[0]!.createdAt).toEqual(at(10))
        expect(entries[0]!.notBefore).toEqual(at(10))
        expect(await store.outbox('r2')).toEqual([])
        expect(await store.outbox('nope')).toEqual([])
      })

      it('writes nothing when the save loses its lease: the items commit with the save or not at all', async () => {
        await store.create(newRun('r1'))
        const stale = (await store.acquire('r1', lease('a', 0, 100)))!
        await store.acquire('r1', lease('b', 200))

        await expect(store.save(stale, update({ status: 'FAILED', outbox: [item('r1/0')] }))).rejects.toBeInstanceOf(
          LeaseLostError,
        )
        expect(await store.outbox('r1')).toEqual([])
        expect(await store.claimOutbox(claimOpts('s', 1_000))).toEqual([])
      })

      it('keeps items of the same id in different runs apart (an id is unique within its run)', async () => {
        await endWith('r1', [item('end-0')])
        await endWith('r2', [item('end-0')])

        const claims = await store.claimOutbox(claimOpts('s', 100))
        expect(claims.map((c) => `${c.runId}:${c.id}`).sort()).toEqual(['r1:end-0', 'r2:end-0'])
        const r2 = claims.find((c) => c.runId === 'r2')!
        expect(await store.settleOutbox(r2, { result: 'sent', now: at(200) })).toBe(true)
        expect((await store.outbox('r1'))[0]!.state).toBe('pending')
        expect((await store.outbox('r2'))[0]!.state).toBe('sent')
      })

      it('skips an item whose id the run already has', async () => {
        await store.create(newRun('r1'))
        const l = (await store.acquire('r1', lease('w', 0)))!
        await store.save(l, update({ outbox: [{ id: 'same', topic: 'notify', payload: 1 }] }))
        await store.save(l, update({ status: 'SUCCEEDED', outbox: [{ id: 'same', topic: 'notify', payload: 2 }] }))

        expect((await store.outbox('r1')).map((e) => e.payload)).toEqual([1])
      })

      it('gives a pending item to one sender at a time, and to another once the claim expired, one attempt further', async () => {
        await endWith('r1', [item('r1/0')])

        const first = await store.claimOutbox(claimOpts('s1', 100, { leaseMs: 1_000 }))
        expect(first.map((c) => [c.id, c.owner, c.attempts])).toEqual([['r1/0', 's1', 1]])
        expect(first[0]!.claimExpiresAt).toEqual(at(1_100))
        expect(await store.claimOutbox(claimOpts('s2', 500))).toEqual([])

        const second = await store.claimOutbox(claimOpts('s2', 1_100))
        expect(second.map((c) => [c.id, c.owner, c.attempts])).toEqual([['r1/0', 's2', 2]])
        // The first sender's claim was taken over: its outcome changes nothing.
        expect(await store.settleOutbox(first[0]!, { result: 'sent', now: at(1_200) })).toBe(false)
        expect((await store.outbox('r1'))[0]!.state).toBe('pending')
        expect(await store.settleOutbox(second[0]!, { result: 'sent', now: at(1_300) })).toBe(true)
      })

      it('never gives the same item to two senders claiming at once', async () => {
        await endWith('r1', [item('r1/0'), item('r1/1'), item('r1/2')])
        await endWith('r2', [item('r2/0'), item('r2/1')])

        const claims = await Promise.all(
          Array.from({ length: 6 }, (_, i) => store.claimOutbox(claimOpts(`s${i}`, 100, { limit: 2 }))),
        )
        const ids = claims.flat().map((c) => `${c.runId}:${c.id}`)
        expect(new Set(ids).size).toBe(ids.length)
        // Items a busy claimer skipped (SKIP LOCKED) are there for the next one.
        ids.push(...(await store.claimOutbox(claimOpts('late', 200))).map((c) => `${c.runId}:${c.id}`))
        expect(ids.sort()).toEqual(['r1:r1/0', 'r1:r1/1', 'r1:r1/2', 'r2:r2/0', 'r2:r2/1'])
      })

      it('takes at most `limit` items, only of the topic asked, and only once notBefore has come', async () => {
        await endWith('r1', [item('a'), item('b'), item('c', 'other')])

        const claimed = await store.claimOutbox(claimOpts('s', 100, { limit: 1 }))
        expect(claimed).toHaveLength(1)
        const retried = await store.settleOutbox(claimed[0]!, {
          result: 'retry',
          now: at(200),
          notBefore: at(5_000),
          error: 'HTTP 503',
        })
        expect(retried).toBe(true)

        const next = await store.claimOutbox(claimOpts('s', 300, { leaseMs: 100_000 }))
        expect(next.map((c) => c.id)).toEqual(claimed[0]!.id === 'a' ? ['b'] : ['a'])
        expect(await store.claimOutbox(claimOpts('s', 4_999, { leaseMs: 1 }))).toEqual([])
        const again = await store.claimOutbox(claimOpts('s', 5_000))
        expect(again.map((c) => [c.id, c.attempts, c.lastError])).toEqual([[claimed[0]!.id, 2, 'HTTP 503']])
        expect((await store.claimOutbox(claimOpts('s', 9_000, { topic: 'other' }))).map((c) => c.id)).toEqual(['c'])
      })

      it('never claims an item again once it was sent or given up, and remembers which and when', async () => {
        await endWith('r1', [item('sent'), item('dropped')])
        const claims = await store.claimOutbox(claimOpts('s', 100))
        const byId = new Map(claims.map((c) => [c.id, c]))

        expect(await store.settleOutbox(byId.get('sent')!, { result: 'sent', now: at(200) })).toBe(true)
        expect(
          await store.settleOutbox(byId.get('dropped')!, { result: 'given-up', now: at(300), error: 'HTTP 400' }),
        ).toBe(true)
        expect(await store.settleOutbox(byId.get('sent')!, { result: 'sent', now: at(400) })).toBe(false)

        expect(await store.claimOutbox(claimOpts('s', 100_000))).toEqual([])
        const entries = await store.outbox('r1')
        expect(entries.map((e) => [e.id, e.state, e.settledAt?.getTime(), e.lastError])).toEqual([
          ['sent', 'sent', at(200).getTime(), undefined],
          ['dropped', 'given-up', at(300).getTime(), 'HTTP 400'],
        ])
      })

      it('prunes the items of the topic sent or given up before the cut-off, never a pending one, and says how many', async () => {
        await endWith('r1', [item('early'), item('dropped'), item('late'), item('waiting'), item('other', 'other')])
        const claims = await store.claimOutbox(claimOpts('s', 100))
        const byId = new Map(claims.map((c) => [c.id, c]))
        await store.settleOutbox(byId.get('early')!, { result: 'sent', now: at(200) })
        await store.settleOutbox(byId.get('dropped')!, { result: 'given-up', now: at(300), error: 'HTTP 400' })
        await store.settleOutbox(byId.get('late')!, { result: 'sent', now: at(5_000) })
        await store.settleOutbox(byId.get('waiting')!, {
          result: 'retry',
          now: at(200),
          notBefore: at(400),
          error: 'HTTP 503',
        })
        const [other] = await store.claimOutbox(claimOpts('s', 100, { topic: 'other' }))
        await store.settleOutbox(other!, { result: 'sent', now: at(200) })

        expect(await store.pruneOutbox({ topic: 'notify', settledBefore: at(1_000), limit: 100 })).toBe(2)
        expect((await store.outbox('r1')).map((e) => [e.id, e.state])).toEqual([
          ['late', 'sent'],
          ['waiting', 'pending'],
          ['other', 'sent'],
        ])
        expect(await store.pruneOutbox({ topic: 'notify', settledBefore: at(1_000), limit: 100 })).toBe(0)
        // A pending item is never pruned, however old: it is still claimed as before.
        expect((await store.claimOutbox(claimOpts('s', 1_000_000))).map((c) => c.id)).toEqual(['waiting'])
      })

      it('prunes at most `limit` items a call, across runs, and the rest on the next', async () => {
        for (const id of ['r1', 'r2', 'r3']) await endWith(id, [item(`${id}/0`), item(`${id}/1`)])
        for (const claim of await store.claimOutbox(claimOpts('s', 100)))
          await store.settleOutbox(claim, { result: 'sent', now: at(200) })

        const cut = { topic: 'notify', settledBefore: at(300) }
        expect(await store.pruneOutbox({ ...cut, limit: 4 })).toBe(4)
        expect(await store.pruneOutbox({ ...cut, limit: 4 })).toBe(2)
        expect(await store.pruneOutbox({ ...cut, limit: 4 })).toBe(0)
        for (const id of ['r1', 'r2', 'r3']) expect(await store.outbox(id)).toEqual([])
        expect((await store.get('r2'))?.status).toBe('FAILED') // the runs themselves stay
      })
    })

    describe('records are copies', () => {
      it('mutating objects passed in or returned never changes the store', async () => {
        const input = { disks: ['d-1'] }
        const created = await store.create(newRun('r1', { input }))
        input.disks.push('d-2')
        ;(created.run.input as { disks: string[] }).disks.push('d-3')
        created.run.status = 'FAILED'

        const got = (await store.get('r1'))!
        expect(got.input).toEqual({ disks: ['d-1'] })
        expect(got.status).toBe('RUNNING')
        ;(got.machine as { pc: string }).pc = 'Hacked'
        got.createdAt.setTime(0)

        const l = (await store.acquire('r1', lease('w', 0)))!
        const machine = { pc: 'Next', vars: [1] }
        const saved = await store.save(l, update({ machine }))
        machine.vars.push(2)
        ;(saved.machine as { vars: number[] }).vars.push(3)

        const listed = (await store.list({})).runs[0]!
        listed.workflow = 'changed'
        const history = await store.history('r1')
        history[0]!.type = 'Changed'

        const after = (await store.get('r1'))!
        expect(after.machine).toEqual({ pc: 'Next', vars: [1] })
        expect(after.createdAt).toEqual(t0)
        expect((await store.list({})).runs[0]!.workflow).toBe('nightly-backup')
        expect((await store.history('r1'))[0]!.type).toBe('RunStarted')
      })
    })
  })
}
