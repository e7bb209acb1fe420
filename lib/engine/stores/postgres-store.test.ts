import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { MIGRATIONS, SCHEMA_VERSION } from './postgres-schema'
import { encodeCursor } from './list-cursor'
import { createPostgresStore, listStatement } from './postgres-store'
import type { RunQuery } from './run-store'
import { runStoreContract } from './store.contract'
import { StoreOpenError } from './store-errors'
import { PG_URL, testSchemas, withClient } from '../testing/pg-schemas'

// A real PostgreSQL server (testing/pg-schemas.ts PG_URL). Each store gets its own schema.
const url = PG_URL
const schemas = testSchemas('test')
const freshSchema = schemas.fresh

afterAll(() => schemas.dropAll())

runStoreContract('postgres', () => createPostgresStore({ connectionString: url, schema: freshSchema() }))

describe('postgres store', () => {
  it('migrates once when several instances start at the same time', async () => {
    const schema = freshSchema()
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => createPostgresStore({ connectionString: url, schema, poolMax: 1 })),
    )
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const { rows } = await client.query(`SELECT version FROM "${schema}".schema_version ORDER BY version`)
    await client.end()
    await Promise.all(stores.map((store) => store.close()))

    expect(rows).toEqual(MIGRATIONS.map(({ version }) => ({ version })))
  })

  it('migrates a version-1 schema forward, keeping its runs', async () => {
    const schema = freshSchema()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    // What ctflow with only the first migration left behind.
    await schemaAt(client, schema, 1)
    await client.query(
      `INSERT INTO "${schema}".runs (id, workflow, status, created_at, updated_at) VALUES ('old', 'w', 'SUCCEEDED', now(), now())`,
    )

    const store = await createPostgresStore({ connectionString: url, schema })
    const { rows } = await client.query(`SELECT max(version) AS version FROM "${schema}".schema_version`)
    await client.end()
    const old = await store.get('old')
    const listed = await store.list({})
    await store.close()

    expect(rows).toEqual([{ version: SCHEMA_VERSION }])
    expect(old).toMatchObject({ id: 'old', status: 'SUCCEEDED' })
    expect(old!.parentId).toBeUndefined()
    expect(listed.runs.map((r) => r.id)).toEqual(['old'])
  })

  it('migrates a version-2 schema with runs in it forward: its runs keep working and new ones keep versions', async () => {
    const schema = freshSchema()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    // What ctflow with the first two migrations left behind: a suspended parent and its child.
    await schemaAt(client, schema, 2)
    const t0 = new Date('2026-03-01T00:00:00.000Z')
    await client.query(
      `INSERT INTO "${schema}".runs (id, workflow, status, machine, resume_at, parent_id, created_at, updated_at)
       VALUES ('parent', 'w', 'RUNNING', '{"pc":"Wait"}', $1, NULL, $1, $1), ('child', 'w#/States/M/ItemProcessor', 'RUNNING', NULL, NULL, 'parent', $1, $1)`,
      [t0],
    )

    const store = await createPostgresStore({ connectionString: url, schema })
    const { rows } = await client.query(`SELECT version FROM "${schema}".schema_version ORDER BY version`)
    await client.end()
    const parent = await store.get('parent')
    const children = await store.list({ parentId: 'parent' })
    const [claimed] = await store.claimDue({ owner: 'w', leaseMs: 1_000, now: t0, limit: 1 })
    const saved = await store.save(claimed!, {
      status: 'SUCCEEDED',
      machine: null,
      resumeAt: null,
      output: 1,
      now: t0,
      events: [],
    })
    await store.putWorkflowVersion('v3', { StartAt: 'A' }, t0)
    const { run: created } = await store.create({
      id: 'new',
      workflow: 'w',
      input: {},
      machine: null,
      resumeAt: null,
      workflowVersion: 'v3',
      now: t0,
      events: [],
    })
    const kept = await store.getWorkflowVersion('v3')
    await store.close()

    expect(rows).toEqual(MIGRATIONS.map(({ version }) => ({ version })))
    expect(parent).toMatchObject({ id: 'parent', machine: { pc: 'Wait' } })
    expect(parent!.workflowVersion).toBeUndefined()
    expect(children.runs.map((r) => [r.id, r.parentId, r.workflowVersion])).toEqual([['child', 'parent', undefined]])
    expect(saved).toMatchObject({ id: 'parent', status: 'SUCCEEDED', version: 1 })
    expect(created.workflowVersion).toBe('v3')
    expect(kept).toEqual({ StartAt: 'A' })
  })

  it('migrates a version-3 schema forward: a run leased before counts its attempts from then on, and the count survives a new pool', async () => {
    const schema = freshSchema()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await schemaAt(client, schema, 3)
    const t0 = new Date('2026-03-01T00:00:00.000Z')
    await client.query(
      `INSERT INTO "${schema}".runs (id, workflow, status, machine, resume_at, lease_token, created_at, updated_at) VALUES ('old', 'w', 'RUNNING', '{}', $1, 7, $1, $1)`,
      [t0],
    )
    await client.end()

    const dying = await createPostgresStore({ connectionString: url, schema })
    const first = await dying.acquire('old', { owner: 'w1', leaseMs: 1_000, now: t0 })
    await dying.close()
    const next = await createPostgresStore({ connectionString: url, schema })
    const [second] = await next.claimDue({ owner: 'w2', leaseMs: 1_000, now: new Date(t0.getTime() + 1_000), limit: 1 })
    await next.close()

    expect(first).toMatchObject({ token: 8, attempt: 1 })
    expect(second).toMatchObject({ token: 9, attempt: 2 })
  })

  it('lets two stores (pools) put the same version at once; both succeed and either reads it', async () => {
    const schema = freshSchema()
    const [a, b] = await Promise.all([1, 2].map(() => createPostgresStore({ connectionString: url, schema })))
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }
    const now = new Date()

    const puts = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).putWorkflowVersion('same', definition, now)),
    )
    const fromA = await a.getWorkflowVersion('same')
    await Promise.all([a.close(), b.close()])

    expect(puts.map((put) => put.status)).toEqual(Array(6).fill('fulfilled'))
    expect(fromA).toEqual(definition)
  })

  it('refuses a schema written by a newer version and leaves it untouched', async () => {
    const schema = freshSchema()
    await (await createPostgresStore({ connectionString: url, schema })).close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`INSERT INTO "${schema}".schema_version (version) VALUES (99)`)

    const opening = createPostgresStore({ connectionString: url, schema })

    await expect(opening).rejects.toBeInstanceOf(StoreOpenError)
    await expect(opening).rejects.toThrow(
      new RegExp(`version 99, newer than this ctflow understands \\(${SCHEMA_VERSION}\\)`),
    )
    const { rows } = await client.query(`SELECT version FROM "${schema}".schema_version ORDER BY version`)
    await client.end()
    expect(rows).toEqual([...MIGRATIONS.map(({ version }) => ({ version })), { version: 99 }])
  })

  it('fails at open, naming the URL without its password, when the server is unreachable', async () => {
    const opening = createPostgresStore({
      connectionString: 'postgres://bob:s3cret-pw@127.0.0.1:1/test',
      connectTimeoutMs: 2_000,
    })

    await expect(opening).rejects.toBeInstanceOf(StoreOpenError)
    const message = await opening.catch((error: Error) => error.message)
    expect(message).toContain('postgres://bob:***@127.0.0.1:1/test')
    expect(message).toContain('ECONNREFUSED')
    expect(message).not.toContain('s3cret-pw')
  })

  it('fails at open naming the URL without the passwords given as query parameters', async () => {
    const opening = createPostgresStore({
      connectionString: 'postgres://bob@127.0.0.1:1/test?password=s3cret-pw&sslpassword=key-pw-9',
      connectTimeoutMs: 2_000,
    })

    const message = await opening.then(
      () => 'opened',
      (error: Error) => error.message,
    )
    expect(message).toContain('postgres://bob@127.0.0.1:1/test?password=***&sslpassword=***')
    expect(message).not.toMatch(/s3cret-pw|key-pw-9/)
  })

  it('fails at open when the database does not exist', async () => {
    await expect(
      createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:5432/no_such_db_ctflow' }),
    ).rejects.toThrow(/no_such_db_ctflow.*does not exist/)
  })

  it('answers every list filter with an index scan that reads the page and no more, whatever the table holds', async () => {
    const schema = freshSchema()
    const store = await createPostgresStore({ connectionString: url, schema })
    const plans = await withClient(async (client) => {
      // 20,000 runs a second apart: 1 % FAILED, 1 % RUNNING, a workflow with 2 % of them and three others, one in ten
      // a child of p-1.
      await client.query(
        `INSERT INTO "${schema}".runs (id, workflow, status, created_at, updated_at, parent_id)
         SELECT 'r-' || g, CASE WHEN g % 50 = 3 THEN 'rare' ELSE 'w' || (g % 3) END, CASE g % 100 WHEN 7 THEN 'FAILED' WHEN 42 THEN 'RUNNING' ELSE 'SUCCEEDED' END,
           timestamptz '2026-03-01' + g * interval '1 second', timestamptz '2026-03-01', CASE WHEN g % 10 = 0 THEN 'p-1' END
         FROM generate_series(1, 20000) g`,
      )
      await client.query(`ANALYZE "${schema}".runs`)
      const cursor = encodeCursor({ createdAt: new Date(Date.parse('2026-03-01') + 15_000_000), id: 'r-15000' })
      const queries: RunQuery[] = [
        {},
        { status: 'FAILED' },
        { workflow: 'rare' },
        { workflow: 'w1', status: 'RUNNING' },
        { status: 'FAILED', cursor },
        { workflow: 'rare', cursor },
        { parentId: 'p-1' },
        { parentId: 'p-1', status: 'FAILED', cursor },
      ]
      const explained: Array<{ query: RunQuery; nodes: PlanNode[] }> = []
      for (const query of queries) {
        const { text, values } = listStatement(schema, { ...query, limit: 20 })
        const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
          values,
        )
        explained.push({ query, nodes: flatten(rows[0]!['QUERY PLAN'][0]!.Plan) })
      }
      return explained
    })
    await store.close()

    for (const { query, nodes } of plans) {
      const scans = nodes.filter((node) => node['Node Type'].includes('Scan'))
      // One index scan in list order (no sequential scan, no sort) that stops after the page: the rows it returns and
      // those it read only to filter out stay near the 21 asked for (the planner may filter a common workflow from a
      // broader index; a rare one, as here, has its own), where a filter over the whole table reads thousands.
      expect({
        query,
        scans: scans.map((node) => node['Node Type']),
        sorts: nodes.filter((n) => n['Node Type'] === 'Sort').length,
      }).toEqual({ query, scans: ['Index Scan'], sorts: 0 })
      expect({ query, read: scans[0]!['Actual Rows'] + (scans[0]!['Rows Removed by Filter'] ?? 0) }).toEqual({
        query,
        read: expect.toSatisfy((n: number) => n <= 21 * 3),
      })
    }
  })

  it('keeps the key order of input, machine and output', async () => {
    const store = await createPostgresStore({ connectionString: url, schema: freshSchema() })
    const now = new Date()
    await store.create({
      id: 'r1',
      workflow: 'w',
      input: { zeta: 1, alpha: 2 },
      machine: { b: 1, a: 2 },
      resumeAt: null,
      now,
      events: [],
    })
    const lease = (await store.acquire('r1', { owner: 'w', leaseMs: 1_000, now }))!
    await store.save(lease, {
      status: 'SUCCEEDED',
      machine: null,
      resumeAt: null,
      output: { zz: 1, aa: 2 },
      now,
      events: [],
    })

    const run = (await store.get('r1'))!
    await store.close()
    expect(Object.keys(run.input as object)).toEqual(['zeta', 'alpha'])
    expect(Object.keys(run.output as object)).toEqual(['zz', 'aa'])
  })

  it('tells a null output from no output', async () => {
    const store = await createPostgresStore({ connectionString: url, schema: freshSchema() })
    const now = new Date()
    await store.create({
      id: 'r1',
      workflow: 'w',
      input: null,
      machine: null,
      resumeAt: null,
      now,
      events: [{ at: now.toISOString(), type: 'E', detail: null }],
    })
    const before = (await store.get('r1'))!
    const lease = (await store.acquire('r1', { owner: 'w', leaseMs: 1_000, now }))!
    const after = await store.save(lease, {
      status: 'SUCCEEDED',
      machine: null,
      resumeAt: null,
      output: null,
      now,
      events: [],
    })
    const history = await store.history('r1')
    await store.close()

    expect(before).not.toHaveProperty('output')
    expect(after).toHaveProperty('output', null)
    expect(history[0]).toHaveProperty('detail', null)
  })

  describe('between processes', () => {
    const exec = promisify(execFile)
    const child = fileURLToPath(new URL('./store.child.ts', import.meta.url))
    const spawnWorker = (schema: string, mode: string, owner: string) =>
      exec(process.execPath, ['--import', 'tsx', child, url, mode, owner, schema], {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      })
    const t0 = new Date('2026-03-01T00:00:00.000Z')
    const newRun = (id: string, resumeAt: Date | null) => ({
      id,
      workflow: 'wf',
      input: {},
      machine: { count: 0 },
      resumeAt,
      now: t0,
      events: [],
    })

    it('never lets two processes hold the same run: 3 × 30 leased increments count to 90', async () => {
      const schema = freshSchema()
      const store = await createPostgresStore({ connectionString: url, schema })
      await store.create(newRun('counter', null))

      await Promise.all(['p1', 'p2', 'p3'].map((owner) => spawnWorker(schema, 'count', owner)))

      const run = (await store.get('counter'))!
      const history = await store.history('counter')
      await store.close()
      expect(run.machine).toEqual({ count: 90 })
      expect(run.version).toBe(90)
      expect(history.map((e) => e.seq)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1))
    })

    it('gives each due run to exactly one of three claiming processes', async () => {
      const schema = freshSchema()
      const store = await createPostgresStore({ connectionString: url, schema })
      for (let i = 0; i < 30; i++) await store.create(newRun(`due-${i}`, new Date(t0.getTime() + i)))

      const outputs = await Promise.all(['p1', 'p2', 'p3'].map((owner) => spawnWorker(schema, 'claim', owner)))

      const claimed = outputs.flatMap((o) => JSON.parse(o.stdout) as string[])
      const runs = (await store.list({ limit: 100 })).runs
      await store.close()
      expect(claimed).toHaveLength(30)
      expect(new Set(claimed).size).toBe(30)
      expect(runs.every((r) => r.status === 'SUCCEEDED' && r.version === 1)).toBe(true)
    })
  })
})

interface PlanNode {
  'Node Type': string
  'Actual Rows': number
  'Rows Removed by Filter'?: number
  Plans?: PlanNode[]
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)]
}

/** A schema as an older ctflow left it: the migrations up to `version` applied and recorded. */
async function schemaAt(client: pg.Client, schema: string, version: number): Promise<void> {
  await client.query(`CREATE SCHEMA "${schema}"`)
  await client.query(
    `CREATE TABLE "${schema}".schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  )
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
    await client.query(migration.sql(`"${schema}"`))
    await client.query(`INSERT INTO "${schema}".schema_version (version) VALUES ($1)`, [migration.version])
  }
}
