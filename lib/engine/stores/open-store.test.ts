import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { openConfiguredStore, openStore } from './open-store'
import { StoreOpenError } from './store-errors'

const root = mkdtempSync(join(tmpdir(), 'ctflow-open-store-'))
const schema = `ctflow_open_test_${process.pid}`
afterAll(async () => {
  rmSync(root, { recursive: true, force: true })
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
})

const now = new Date('2026-03-01T00:00:00Z')
const run = { id: 'r1', workflow: 'w', input: {}, machine: null, resumeAt: null, now, events: [] }

describe('openStore', () => {
  it('opens a memory store for "memory"', async () => {
    const store = await openStore('memory')
    await store.create(run)
    expect(await store.get('r1')).toMatchObject({ id: 'r1' })
    await store.close()
  })

  it('opens a file store for a path, persisting across opens', async () => {
    const dir = join(root, 'runs-dir')
    const first = await openStore(dir)
    await first.create(run)
    await first.close()

    const second = await openStore({ kind: 'file', path: dir })
    expect(await second.get('r1')).toMatchObject({ id: 'r1' })
    await second.close()
  })

  it('opens PostgreSQL for postgres:// and postgresql:// URLs', async () => {
    for (const url of ['postgres://postgres@127.0.0.1:5432/test', 'postgresql://postgres@127.0.0.1:5432/test']) {
      const store = await openStore(url, { schema })
      expect(await store.get('none')).toBeUndefined()
      await store.close()
    }
  })

  it.each([
    ['mysql://root:hunter2@db/x', /CTFLOW_STORE has an unsupported scheme "mysql"/],
    [
      'postgres://bob:hunter2@127.0.0.1:1/test',
      /CTFLOW_STORE: cannot open PostgreSQL run store postgres:\/\/bob:\*\*\*@127\.0\.0\.1:1\/test: .*ECONNREFUSED/,
    ],
    ['postgres://bob:hunter2@:5432/test', /CTFLOW_STORE is not a valid PostgreSQL URL/],
    ['postgres://bob:hunter2@host:notaport/test', /CTFLOW_STORE is not a valid PostgreSQL URL/],
  ])('refuses %s with a message naming CTFLOW_STORE and not the password', async (value, expected) => {
    const error = await openStore(value).then(
      () => new Error('expected openStore to fail'),
      (e: unknown) => e as Error,
    )

    expect(error).toBeInstanceOf(StoreOpenError)
    expect(error.message).toMatch(expected)
    expect(error.message).not.toContain('hunter2')
  })

  it('refuses a path that cannot be a directory, naming it', async () => {
    const file = join(root, 'a-file')
    writeFileSync(file, 'x')
    await expect(openStore(join(file, 'sub'))).rejects.toThrow(
      new RegExp(`CTFLOW_STORE: cannot use ${file}/sub as a run store`),
    )
  })

  it('reads the settings through lib/config', async () => {
    const store = await openConfiguredStore({ target: { kind: 'memory' } })
    expect((await store.list({})).runs).toEqual([])
    await store.close()
  })
})
