import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunStatus } from '../run'
import { createFileStore } from './file-store'
import type { NewRun, RunStore } from './run-store'

// The file store's list index (file-list-index.ts), through the store: rebuilt when missing, a superset of the truth
// that crashes can only add to, pruned as it is read.
const root = mkdtempSync(join(tmpdir(), 'ctflow-list-index-'))
let count = 0
const freshDir = () => join(root, `store-${++count}`)
afterAll(() => rmSync(root, { recursive: true, force: true }))

const t0 = new Date('2026-03-01T00:00:00.000Z')
const at = (ms: number) => new Date(t0.getTime() + ms)
const newRun = (id: string, overrides: Partial<NewRun> = {}): NewRun => ({
  id,
  workflow: 'wf',
  input: {},
  machine: null,
  resumeAt: null,
  now: t0,
  events: [],
  ...overrides,
})

async function finish(store: RunStore, id: string, status: RunStatus, now = at(400 * 86_400_000)): Promise<void> {
  const lease = (await store.acquire(id, { owner: 'w', leaseMs: 1_000, now }))!
  await store.save(lease, { status, machine: null, resumeAt: null, now, events: [] })
}

const ids = async (store: RunStore, query: Parameters<RunStore['list']>[0] = {}) =>
  (await store.list({ limit: 100, ...query })).runs.map((r) => r.id)

/** Every entry file under a list directory of the index (its time levels walked). */
function entriesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
}

describe('file store list index', () => {
  it('indexes a store an older ctflow left (no index, layout 1) on its first list, and moves the layout on so older ctflow refuses it', async () => {
    const dir = freshDir()
    const old = createFileStore(dir)
    for (let i = 0; i < 5; i++)
      await old.create(newRun(`r${i}`, { now: at(i * 1_000), workflow: i % 2 ? 'odd' : 'even' }))
    await finish(old, 'r3', 'FAILED')
    // What layout 1 looked like: no index directory, marker at 1.
    rmSync(join(dir, 'index'), { recursive: true })
    writeFileSync(join(dir, 'ctflow-store.json'), '{"layout":1}\n')

    const store = createFileStore(dir)

    expect(JSON.parse(readFileSync(join(dir, 'ctflow-store.json'), 'utf8'))).toEqual({ layout: 2 })
    expect(await ids(store)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0'])
    expect(await ids(store, { status: 'FAILED' })).toEqual(['r3'])
    expect(await ids(store, { workflow: 'even', status: 'RUNNING' })).toEqual(['r4', 'r2', 'r0'])
    expect(existsSync(join(dir, 'index', 'v1', 'ready.json'))).toBe(true)
  })

  it('rebuilds an index an operator deleted, while the store is open, on the next list', async () => {
    const dir = freshDir()
    const store = createFileStore(dir)
    for (let i = 0; i < 4; i++) await store.create(newRun(`r${i}`, { now: at(i) }))
    expect(await ids(store)).toEqual(['r3', 'r2', 'r1', 'r0'])

    rmSync(join(dir, 'index'), { recursive: true })
    await store.create(newRun('r4', { now: at(4) })) // a writer before the rebuild: its entries come back too

    expect(await ids(store)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0'])
    expect(await ids(store, { status: 'RUNNING', limit: 2 })).toEqual(['r4', 'r3'])
  })

  it('never lists what a crash left in the index, and prunes it: an entry whose run was never written, an entry of a status never saved', async () => {
    const dir = freshDir()
    const store = createFileStore(dir)
    await store.create(newRun('kept', { now: at(0) }))
    await store.create(newRun('ghost', { now: at(1) }))
    await store.create(newRun('half-saved', { now: at(2) }))
    // "ghost": a create that died after writing its entries, before its run file.
    unlinkSync(join(dir, 'runs', 'ghost.json'))
    // "half-saved": a save to FAILED that died after adding its FAILED entries, before the run file (still RUNNING).
    const failedList = join(dir, 'index', 'v1', 'top', 'status', 'FAILED')
    await finish(store, 'kept', 'FAILED') // the FAILED list's time directories for t0 now exist
    const leaf = readdirSync(failedList, { recursive: true, withFileTypes: true }).find((e) => e.isFile())!.parentPath
    expect(readdirSync(leaf)).toEqual(['00~kept'])
    writeFileSync(join(leaf, '02~half-saved'), '')

    expect(await ids(store, { status: 'FAILED' })).toEqual(['kept'])
    expect(await ids(store)).toEqual(['half-saved', 'kept'])
    expect(await ids(store, { status: 'RUNNING' })).toEqual(['half-saved'])

    // Pruned as it was read: the next page pays nothing for them.
    expect(entriesUnder(failedList)).toEqual(['00~kept'])
    expect(entriesUnder(join(dir, 'index', 'v1', 'top', 'all'))).not.toContain('01~ghost')
  })

  it('leaves a stale-looking entry alone while its run is locked (a save in flight), and prunes it once the lock is free', async () => {
    const dir = freshDir()
    const store = createFileStore(dir, { lock: { timeoutMs: 200 } })
    await store.create(newRun('r1'))
    unlinkSync(join(dir, 'runs', 'r1.json')) // looks like a create in flight
    writeFileSync(join(dir, 'locks', 'r1.lock'), `${process.pid}:another-writer:1:${Date.now()}`)

    expect(await ids(store)).toEqual([])
    expect(entriesUnder(join(dir, 'index', 'v1', 'top', 'all'))).toEqual(['00~r1'])

    unlinkSync(join(dir, 'locks', 'r1.lock'))
    expect(await ids(store)).toEqual([])
    expect(entriesUnder(join(dir, 'index', 'v1', 'top', 'all'))).toEqual([])
  })

  it('removes the time directories of finished runs from the RUNNING list, so listing live runs stays small', async () => {
    const dir = freshDir()
    const store = createFileStore(dir)
    for (let i = 0; i < 30; i++) await store.create(newRun(`r${i}`, { now: at(i * 86_400_000) })) // a day apart
    for (let i = 0; i < 29; i++) await finish(store, `r${i}`, 'SUCCEEDED')

    const runningList = join(dir, 'index', 'v1', 'top', 'status', 'RUNNING')
    expect(readdirSync(runningList, { recursive: true })).toHaveLength(4) // one path of three levels and its entry
    expect(await ids(store, { status: 'RUNNING' })).toEqual(['r29'])
    expect(await ids(store, { status: 'SUCCEEDED', limit: 3 })).toEqual(['r28', 'r27', 'r26'])
  })

  it('keeps the leaf of a RUNNING list while its second is current, and removes it once a later run moves on', async () => {
    const dir = freshDir()
    const store = createFileStore(dir)
    const minutes = (n: number) => n * 60_000
    for (let i = 0; i < 3; i++) {
      // Each starts and finishes within its own 1-second leaf, which is still current when it finishes.
      await store.create(newRun(`r${i}`, { now: at(minutes(20 * i)) }))
      await finish(store, `r${i}`, 'SUCCEEDED', at(minutes(20 * i) + 500))
    }

    const runningList = join(dir, 'index', 'v1', 'top', 'status', 'RUNNING')
    const leafOf = (ms: number) => String(at(ms).getTime()).padStart(13, '0')
    const l1 = leafOf(minutes(40)).slice(0, 4)
    const l2 = join(l1, leafOf(minutes(40)).slice(4, 7))
    expect(readdirSync(runningList, { recursive: true }).sort()).toEqual([
      l1,
      l2,
      join(l2, leafOf(minutes(40)).slice(7, 10)),
    ])
    expect(await ids(store, { status: 'RUNNING' })).toEqual([])
  })

  it('lists each run once, under the status it has, while saves change statuses at the same time', async () => {
    const dir = freshDir()
    const writer = createFileStore(dir)
    const reader = createFileStore(dir)
    const all = Array.from({ length: 40 }, (_, i) => `r${String(i).padStart(2, '0')}`)
    for (const [i, id] of all.entries()) await writer.create(newRun(id, { now: at(i) }))

    const saving = Promise.all(all.map((id, i) => finish(writer, id, i % 4 ? 'SUCCEEDED' : 'FAILED')))
    const pages: string[][] = []
    for (let i = 0; i < 10; i++) {
      const [everything, running, failed] = await Promise.all([
        ids(reader),
        ids(reader, { status: 'RUNNING' }),
        ids(reader, { status: 'FAILED' }),
      ])
      pages.push(everything, running, failed)
      expect(everything).toEqual([...all].reverse())
    }
    await saving

    for (const page of pages) expect(new Set(page).size).toBe(page.length)
    expect(await ids(reader, { status: 'RUNNING' })).toEqual([])
    expect(await ids(reader, { status: 'FAILED' })).toEqual(all.filter((_, i) => i % 4 === 0).reverse())
    expect(await ids(reader, { status: 'SUCCEEDED' })).toHaveLength(30)
  })

  it('makes entries hard links to one file, and empty files where links are refused', async () => {
    const linked = freshDir()
    const a = createFileStore(linked)
    for (let i = 0; i < 3; i++) await a.create(newRun(`r${i}`, { now: at(i) }))
    expect(statSync(join(linked, 'index', 'v1', 'entry')).nlink).toBe(1 + 3 * 4) // four lists per run

    const refused = freshDir()
    const b = createFileStore(refused)
    mkdirSync(join(refused, 'index', 'v1', 'entry'), { recursive: true }) // a directory cannot be linked to (EPERM), as on a file system without links
    for (let i = 0; i < 3; i++) await b.create(newRun(`r${i}`, { now: at(i) }))
    await finish(b, 'r1', 'FAILED')

    expect(await ids(b)).toEqual(['r2', 'r1', 'r0'])
    expect(await ids(b, { status: 'FAILED' })).toEqual(['r1'])
    const leaf = readdirSync(join(refused, 'index', 'v1', 'top', 'all'), { recursive: true, withFileTypes: true }).find(
      (e) => e.isFile(),
    )!
    expect(statSync(join(leaf.parentPath, leaf.name)).nlink).toBe(1)
  })

  it('keeps child runs in their parent’s lists only', async () => {
    const dir = freshDir()
    const store = createFileStore(dir)
    await store.create(newRun('parent', { now: at(0) }))
    for (let i = 0; i < 5; i++)
      await store.create(
        newRun(`child-${i}`, { now: at(10 + i), parentId: 'parent', workflow: 'wf#/States/M/ItemProcessor' }),
      )
    await finish(store, 'child-2', 'FAILED')

    expect(await ids(store)).toEqual(['parent'])
    expect(await ids(store, { parentId: 'parent', limit: 2 })).toEqual(['child-4', 'child-3'])
    expect(await ids(store, { parentId: 'parent', status: 'FAILED' })).toEqual(['child-2'])
    expect(await ids(store, { parentId: 'parent', workflow: 'wf#/States/M/ItemProcessor', status: 'RUNNING' })).toEqual(
      ['child-4', 'child-3', 'child-1', 'child-0'],
    )
    expect(await ids(store, { status: 'FAILED' })).toEqual([])
  })
})
