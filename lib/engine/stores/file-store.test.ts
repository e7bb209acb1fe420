import { execFile, spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createFileStore } from './file-store'
import type { NewRun } from './run-store'
import { CorruptRunFileError, StoreOpenError } from './store-errors'
import { runStoreContract } from './store.contract'

// What the store asks of the file system, counted: run files read (either way), synchronous calls, directory reads.
const fsCalls = vi.hoisted(() => ({ runReads: 0, sync: [] as string[], readdirs: [] as string[] }))
const isRunFile = (path: unknown) =>
  typeof path === 'string' && path.includes(`${sep}runs${sep}`) && path.endsWith('.json')
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<Record<string, unknown>>()
  const counted = Object.fromEntries(
    Object.entries(real).map(([name, fn]) => [
      name,
      typeof fn === 'function' && (name.endsWith('Sync') || name === 'readFile' || name === 'readdir')
        ? (...args: unknown[]) => {
            if (name.endsWith('Sync')) fsCalls.sync.push(`${name} ${String(args[0])}`)
            if ((name === 'readFileSync' || name === 'readFile') && isRunFile(args[0])) fsCalls.runReads++
            if (name === 'readdirSync' || name === 'readdir') fsCalls.readdirs.push(String(args[0]))
            return (fn as (...a: unknown[]) => unknown)(...args)
          }
        : fn,
    ]),
  )
  return { ...counted, default: counted }
})
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  const counted = {
    ...real,
    readFile: ((path: unknown, ...rest: unknown[]) => {
      if (isRunFile(path)) fsCalls.runReads++
      return (real.readFile as (...a: unknown[]) => unknown)(path, ...rest)
    }) as typeof real.readFile,
    readdir: ((path: unknown, ...rest: unknown[]) => {
      fsCalls.readdirs.push(String(path))
      return (real.readdir as (...a: unknown[]) => unknown)(path, ...rest)
    }) as typeof real.readdir,
  }
  return { ...counted, default: counted }
})

const root = mkdtempSync(join(tmpdir(), 'ctflow-file-store-'))
let count = 0
const freshDir = () => join(root, `store-${++count}`)
afterAll(() => rmSync(root, { recursive: true, force: true }))

runStoreContract('file', async () => createFileStore(freshDir()), { runsRead: () => fsCalls.runReads })

const t0 = new Date('2026-03-01T00:00:00.000Z')
const newRun = (id: string, overrides: Partial<NewRun> = {}): NewRun => ({
  id,
  workflow: 'wf',
  input: {},
  machine: { count: 0 },
  resumeAt: null,
  now: t0,
  events: [{ at: t0.toISOString(), type: 'RunStarted' }],
  ...overrides,
})
const lease = (owner: string, ms = 0) => ({ owner, leaseMs: 1_000, now: new Date(t0.getTime() + ms) })

describe('file store', () => {
  describe('listing at scale', () => {
    it('lists a status filter over 600 runs reading only the page: no runs-directory read, no synchronous call, limit + 1 run files', async () => {
      const dir = freshDir()
      const store = createFileStore(dir)
      for (let i = 0; i < 600; i++) {
        await store.create(newRun(`r${String(i).padStart(3, '0')}`, { now: new Date(t0.getTime() + i * 250) }))
        const l = (await store.acquire(`r${String(i).padStart(3, '0')}`, lease('w')))!
        await store.save(l, {
          status: i % 30 === 0 ? 'FAILED' : 'SUCCEEDED',
          machine: null,
          resumeAt: null,
          now: t0,
          events: [],
        })
      }
      const reopened = createFileStore(dir) // as `ctflow runs list` would: nothing cached in this process

      fsCalls.runReads = 0
      fsCalls.sync.length = 0
      fsCalls.readdirs.length = 0
      const failed = await reopened.list({ status: 'FAILED', limit: 5 })
      const runReads = fsCalls.runReads
      const sync = [...fsCalls.sync]
      const readdirs = [...fsCalls.readdirs]
      const newest = await reopened.list({ limit: 20, cursor: failed.nextCursor! })

      expect(failed.runs.map((r) => r.id)).toEqual(['r570', 'r540', 'r510', 'r480', 'r450'])
      expect(runReads).toBe(6) // the page and the run after it (is there a next page?)
      expect(sync).toEqual([]) // nothing that holds the event loop while the disk works
      expect(readdirs.filter((path) => path === join(dir, 'runs'))).toEqual([])
      expect(readdirs.length).toBeLessThanOrEqual(30) // a few index directories per run, not one per run in the store
      expect(newest.runs.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => `r${449 - i}`))
    })
  })

  it('skips a corrupt run file in list, naming it, and get names it in a clear error', async () => {
    const dir = freshDir()
    const corrupt: CorruptRunFileError[] = []
    const store = createFileStore(dir, { onCorrupt: (error) => corrupt.push(error) })
    await store.create(newRun('good'))
    await store.create(newRun('bad'))
    writeFileSync(join(dir, 'runs', 'bad.json'), '{"format":1,"record":')

    const { runs } = await store.list({})

    expect(runs.map((r) => r.id)).toEqual(['good'])
    expect(corrupt).toHaveLength(1)
    expect(corrupt[0]!.message).toContain(join(dir, 'runs', 'bad.json'))
    await expect(store.get('bad')).rejects.toThrow(CorruptRunFileError)
    await expect(store.get('bad')).rejects.toThrow(/bad\.json: not JSON/)
  })

  it('ignores history bytes a crashed save wrote but never committed, and overwrites them on the next save', async () => {
    const dir = freshDir()
    const store = createFileStore(dir)
    await store.create(newRun('r1'))
    appendFileSync(join(dir, 'history', 'r1.jsonl'), '{"seq":2,"type":"Ghost"}\n{"half')

    expect((await store.history('r1')).map((e) => e.type)).toEqual(['RunStarted'])
    const l = (await store.acquire('r1', lease('w')))!
    await store.save(l, {
      status: 'RUNNING',
      machine: {},
      resumeAt: null,
      now: t0,
      events: [{ at: t0.toISOString(), type: 'Real' }],
    })
    expect((await store.history('r1')).map((e) => [e.seq, e.type])).toEqual([
      [1, 'RunStarted'],
      [2, 'Real'],
    ])
  })

  it('stores ids with any characters under safe file names', async () => {
    const dir = freshDir()
    const store = createFileStore(dir)
    const ids = ['a/b', '..', '天翼云~1', 'x%41', 'with space']
    for (const [i, id] of ids.entries()) await store.create(newRun(id, { now: new Date(t0.getTime() + i) }))

    expect((await store.list({})).runs.map((r) => r.id)).toEqual([...ids].reverse())
    expect(readdirSync(join(dir, 'runs')).every((name) => /^[A-Za-z0-9_%-]+\.json$/.test(name))).toBe(true)
    expect(await store.get('a/b')).toMatchObject({ id: 'a/b' })
    await expect(store.create(newRun(''))).rejects.toThrow(/run id/)
  })

  it('finds no run, rather than failing, for an id too long for a file name once encoded', async () => {
    const store = createFileStore(freshDir())
    // 200 characters pass the length check but encode to 600 (%25 each): past the 255-byte name limit (ENAMETOOLONG).
    const long = '%'.repeat(200)
    expect(await store.get(long)).toBeUndefined()
    expect(await store.history(long)).toEqual([])
    expect(await store.acquire(long, lease('w'))).toBeUndefined()
    await expect(store.create(newRun(long))).rejects.toThrow(
      /run id: expected 1…200 characters, at most 239 once encoded as a file name/,
    )
    // The longest id that fits is stored, due-index entry included.
    const fits = 'a'.repeat(200)
    await store.create(newRun(fits, { resumeAt: t0 }))
    expect(await store.get(fits)).toMatchObject({ id: fits })
  })

  it('prunes due-index entries that no longer match their run', async () => {
    const dir = freshDir()
    const store = createFileStore(dir)
    await store.create(newRun('r1', { resumeAt: new Date(t0.getTime() + 100) }))
    writeFileSync(join(dir, 'due', '000000000000001~gone'), '')
    writeFileSync(join(dir, 'due', '000000000000002~r1'), '')

    const claimed = await store.claimDue({ ...lease('w', 1_000), limit: 5 })

    expect(claimed.map((c) => c.runId)).toEqual(['r1'])
    expect(readdirSync(join(dir, 'due'))).toEqual([`${String(t0.getTime() + 100).padStart(15, '0')}~r1`])
  })

  it('takes over a lock file left by a dead process', async () => {
    const dir = freshDir()
    const store = createFileStore(dir, { lock: { timeoutMs: 2_000 } })
    await store.create(newRun('r1'))
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    writeFileSync(join(dir, 'locks', 'r1.lock'), `${dead.stdout}:nonce:1:${Date.now()}`)

    expect(await store.acquire('r1', lease('w'))).toMatchObject({ runId: 'r1' })
  })

  it('fails with the lock file named when a live lock is never released', async () => {
    const dir = freshDir()
    const store = createFileStore(dir, { lock: { timeoutMs: 100 } })
    await store.create(newRun('r1'))
    writeFileSync(join(dir, 'locks', 'r1.lock'), `${process.pid}:other:1:${Date.now()}`)

    await expect(store.acquire('r1', lease('w'))).rejects.toThrow(join(dir, 'locks', 'r1.lock'))
  })

  it('refuses a store directory written by a newer layout', () => {
    const dir = freshDir()
    createFileStore(dir)
    writeFileSync(join(dir, 'ctflow-store.json'), '{"layout":99}')

    expect(() => createFileStore(dir)).toThrow(StoreOpenError)
    expect(() => createFileStore(dir)).toThrow(/layout 99, newer/)
  })

  it('lets two store instances in one process share a directory (no shared temp files)', async () => {
    const dir = freshDir()
    const seeder = createFileStore(dir)
    for (let i = 0; i < 20; i++) await seeder.create(newRun(`r${i}`))
    const [a, b] = [createFileStore(dir), createFileStore(dir)]

    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const store = i % 2 ? a : b
        const l = (await store.acquire(`r${i}`, lease('w')))!
        await store.save(l, { status: 'SUCCEEDED', machine: null, resumeAt: null, now: t0, events: [] })
      }),
    )

    expect((await b.list({ status: 'SUCCEEDED', limit: 100 })).runs).toHaveLength(20)
  })

  it('keeps the attempt count in the run file: a reopened store (the next process) counts on', async () => {
    const dir = freshDir()
    const dying = createFileStore(dir)
    await dying.create(newRun('r1'))
    expect((await dying.acquire('r1', lease('w1')))?.attempt).toBe(1)

    const next = createFileStore(dir)
    expect((await next.acquire('r1', lease('w2', 1_000)))?.attempt).toBe(2)
  })

  it('reads a run file written before attempts were counted as none so far', async () => {
    const dir = freshDir()
    await createFileStore(dir).create(newRun('old'))
    const file = join(dir, 'runs', 'old.json')
    const { leaseAttempts: _leaseAttempts, ...older } = JSON.parse(readFileSync(file, 'utf8'))
    writeFileSync(file, JSON.stringify(older))

    expect((await createFileStore(dir).acquire('old', lease('w')))?.attempt).toBe(1)
  })

  it('reads a page of a history from where it starts, chunk by chunk: earlier lines are counted, not parsed', async () => {
    const dir = freshDir()
    const store = createFileStore(dir)
    const big = (i: number) => ({
      at: t0.toISOString(),
      type: 'StateExited',
      detail: { output: `${i}`.padEnd(400_000, '.') },
    })
    await store.create(newRun('r1', { events: [big(1), big(2), big(3), big(4), big(5), big(6), big(7), big(8)] }))
    // Line 2 is broken (a bad disk block): a page after it is still readable; reading from the start names the line.
    const file = join(dir, 'history', 'r1.jsonl')
    const lines = readFileSync(file, 'utf8').split('\n')
    lines[1] = lines[1]!.replace('{', '<')
    writeFileSync(file, lines.join('\n'))

    const page = await store.history('r1', { afterSeq: 4, limit: 3 })

    expect(
      page.map((event) => [
        event.seq,
        (event.detail as { output: string }).output.slice(0, 2),
        (event.detail as { output: string }).output.length,
      ]),
    ).toEqual([
      [5, '5.', 400_000],
      [6, '6.', 400_000],
      [7, '7.', 400_000],
    ])
    await expect(store.history('r1')).rejects.toThrow(/r1\.jsonl: line 2 is not JSON/)
    expect((await store.history('r1', { afterSeq: 7 })).map((event) => event.seq)).toEqual([8])
  })

  describe('workflow versions', () => {
    const version = '0123456789abcdef0123456789abcdef'
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }

    it('keeps a version for a store reopened on the same directory', async () => {
      const dir = freshDir()
      await createFileStore(dir).putWorkflowVersion(version, definition, t0)

      expect(await createFileStore(dir).getWorkflowVersion(version)).toEqual(definition)
      expect(readdirSync(join(dir, 'workflows'))).toEqual([`${version}.json`])
    })

    it('opens a store directory made before versions were kept, and keeps them there', async () => {
      const dir = freshDir()
      await createFileStore(dir).create(newRun('old'))
      rmSync(join(dir, 'workflows'), { recursive: true })

      const store = createFileStore(dir)
      await store.putWorkflowVersion(version, definition, t0)

      expect(await store.getWorkflowVersion(version)).toEqual(definition)
      expect(await store.get('old')).toMatchObject({ id: 'old' })
      expect((await store.get('old'))!.workflowVersion).toBeUndefined()
    })

    it('lets two store instances put the same version at once', async () => {
      const dir = freshDir()
      const [a, b] = [createFileStore(dir), createFileStore(dir)]

      await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).putWorkflowVersion(version, definition, t0)),
      )

      expect(await b.getWorkflowVersion(version)).toEqual(definition)
      expect(readdirSync(join(dir, 'tmp'))).toEqual([])
    })

    it('refuses a version that is not a safe file name, naming it', async () => {
      const store = createFileStore(freshDir())

      for (const bad of ['../escape', 'a/b', '', 'x'.repeat(129), 'with space']) {
        await expect(store.putWorkflowVersion(bad, definition, t0)).rejects.toThrow(
          `workflow version: expected 1…128 characters of [A-Za-z0-9._-], got ${JSON.stringify(bad)}`,
        )
        expect(await store.getWorkflowVersion(bad)).toBeUndefined()
      }
    })

    it('names a corrupt workflow version file', async () => {
      const dir = freshDir()
      const store = createFileStore(dir)
      writeFileSync(join(dir, 'workflows', `${version}.json`), '{"defin')

      await expect(store.getWorkflowVersion(version)).rejects.toThrow(CorruptRunFileError)
      await expect(store.getWorkflowVersion(version)).rejects.toThrow(join(dir, 'workflows', `${version}.json`))
    })
  })

  describe('between processes', () => {
    const exec = promisify(execFile)
    const child = fileURLToPath(new URL('./store.child.ts', import.meta.url))
    const spawnWorker = (dir: string, mode: string, owner: string) =>
      exec(process.execPath, ['--import', 'tsx', child, dir, mode, owner], {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      })

    it('never lets two processes hold the same run: 3 × 30 leased increments count to 90', async () => {
      const dir = freshDir()
      const store = createFileStore(dir)
      await store.create(newRun('counter'))

      await Promise.all(['p1', 'p2', 'p3'].map((owner) => spawnWorker(dir, 'count', owner)))

      const run = (await store.get('counter'))!
      expect(run.machine).toEqual({ count: 90 })
      expect(run.version).toBe(90)
      const history = await store.history('counter')
      expect(history.map((e) => e.seq)).toEqual(Array.from({ length: 91 }, (_, i) => i + 1))
    })

    it('gives each due run to exactly one of three claiming processes', async () => {
      const dir = freshDir()
      const store = createFileStore(dir)
      for (let i = 0; i < 30; i++) await store.create(newRun(`due-${i}`, { resumeAt: new Date(t0.getTime() + i) }))

      const outputs = await Promise.all(['p1', 'p2', 'p3'].map((owner) => spawnWorker(dir, 'claim', owner)))

      const claimed = outputs.flatMap((o) => JSON.parse(o.stdout) as string[])
      expect(claimed).toHaveLength(30)
      expect(new Set(claimed).size).toBe(30)
      const runs = (await store.list({ limit: 100 })).runs
      expect(runs.every((r) => r.status === 'SUCCEEDED' && r.version === 1)).toBe(true)
    })
  })
})
