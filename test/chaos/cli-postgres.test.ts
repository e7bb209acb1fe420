import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../cli/main'
import { createEngine } from '../../lib/engine/create-engine'
import { createPostgresStore } from '../../lib/engine/stores/postgres-store'
import { PG_URL, testSchemas, withClient } from '../../lib/engine/testing/pg-schemas'

// CTFLOW_STORE=postgres://… switches the CLI (`run`, `runs`, `worker`) and the functions (`serve`) to
// PostgreSQL. Each test checks the rows in its own schema directly, so a command that silently used another store
// (or ignored CTFLOW_STORE_SCHEMA) fails.
const schemas = testSchemas('cli')
afterAll(() => schemas.dropAll())

const PASS = { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'done', End: true } } }
const SLEEPY = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 86_400, End: true } } }
const HD1 = 'bb9fdb42056f11eda1610242ac110002'
const WEB_DATA = '5d0c1e2f-0002-4c7a-8e4b-a1b2c3d4e502'

let dir: string
let schema: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctflow-cli-pg-'))
  await mkdir(join(dir, 'workflows'))
  await writeFile(join(dir, 'workflows', 'job.json'), JSON.stringify(PASS))
  await writeFile(join(dir, 'workflows', 'sleepy.json'), JSON.stringify(SLEEPY))
  schema = schemas.fresh()
})
afterEach(() => rm(dir, { recursive: true, force: true }))

function cli(env: Record<string, string>, signal = new AbortController().signal) {
  const out: string[] = []
  const err: string[] = []
  const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), env, cwd: dir, signal }
  return { run: (argv: string[]) => main(argv, io), out, err, text: () => out.join(''), errors: () => err.join('') }
}

const pgEnv = () => ({ CTFLOW_STORE: PG_URL, CTFLOW_STORE_SCHEMA: schema })

async function rowsOf(table: 'runs' | 'run_history', where = 'true') {
  return withClient(async (client) => (await client.query(`SELECT * FROM "${schema}".${table} WHERE ${where}`)).rows)
}

describe('CTFLOW_STORE=postgres:// in the CLI', () => {
  it('ctflow run saves the run in PostgreSQL (the schema CTFLOW_STORE_SCHEMA names); runs list/show read it back', async () => {
    const run = cli(pgEnv())
    expect(await run.run(['run', 'job', '--json'])).toBe(0)
    expect(JSON.parse(run.text())).toMatchObject({ status: 'SUCCEEDED', output: 'done' })
    expect(run.errors()).toContain(`store: postgres ${PG_URL} schema ${schema}`)

    const rows = await rowsOf('runs')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ workflow: 'job', status: 'SUCCEEDED', output: 'done', lease_owner: null })
    const id = rows[0]!.id as string
    expect((await rowsOf('run_history')).map((row) => row.type)).toContain('ExecutionSucceeded')

    const list = cli(pgEnv())
    expect(await list.run(['runs', 'list', '--json'])).toBe(0)
    expect(JSON.parse(list.text()).runs.map((r: { id: string }) => r.id)).toEqual([id])
    const show = cli(pgEnv())
    expect(await show.run(['runs', 'show', id, '--json'])).toBe(0)
    const shown = JSON.parse(show.text())
    expect(shown.run).toMatchObject({ id, status: 'SUCCEEDED', output: 'done' })
    expect(shown.history.at(-1).type).toBe('ExecutionSucceeded')
  })

  it('ctflow worker advances runs another process left due; ctflow runs cancel aborts a suspended one', async () => {
    const store = await createPostgresStore({ connectionString: PG_URL, schema })
    const engine = createEngine({ store, workflows: { job: PASS as never, sleepy: SLEEPY as never } })
    const due = (await engine.start({ workflow: 'job', input: {} })).run
    const sleepy = (await engine.start({ workflow: 'sleepy', input: {} })).run
    await engine.advance(sleepy.id, { deadline: Date.now() + 1_000 }) // suspends for a day
    await store.close()

    const worker = cli(pgEnv())
    expect(await worker.run(['worker', '--once', '--lease-ms', '5000'])).toBe(0)
    expect(worker.errors()).toContain(`store: postgres ${PG_URL} schema ${schema}`)
    expect(await rowsOf('runs', `id = '${due.id}'`)).toMatchObject([{ status: 'SUCCEEDED', output: 'done' }])
    expect(await rowsOf('runs', `id = '${sleepy.id}'`)).toMatchObject([{ status: 'RUNNING' }])

    const cancel = cli(pgEnv())
    expect(await cancel.run(['runs', 'cancel', sleepy.id])).toBe(0)
    expect(cancel.text()).toMatch(/ABORTED/)
    expect(await rowsOf('runs', `id = '${sleepy.id}'`)).toMatchObject([
      { status: 'ABORTED', cancel_requested: true, resume_at: null },
    ])
  })

  it('ctflow worker holds its lease for --lease-ms', async () => {
    const store = await createPostgresStore({ connectionString: PG_URL, schema })
    const engine = createEngine({ store, workflows: { sleepy: SLEEPY as never } })
    const { run } = await engine.start({ workflow: 'sleepy', input: {} })
    await store.close()
    // The worker drives the run into its day-long Wait, then suspends it and gives the lease back; the lease it
    // held is visible through the fencing token and the first transition's save.
    const worker = cli(pgEnv())
    const before = Date.now()
    expect(await worker.run(['worker', '--once', '--lease-ms', '4000'])).toBe(0)
    const [row] = await rowsOf('runs', `id = '${run.id}'`)
    expect(row).toMatchObject({ status: 'RUNNING', lease_owner: null, lease_expires_at: null })
    expect(Number(row!.lease_token)).toBeGreaterThanOrEqual(1)
    expect((row!.resume_at as Date).getTime()).toBeGreaterThan(before + 86_000_000)
  })

  it('refuses a bad --lease-ms', async () => {
    const worker = cli(pgEnv())
    expect(await worker.run(['worker', '--lease-ms', '50'])).toBe(2)
    expect(worker.errors()).toMatch(/--lease-ms must be a whole number of ms ≥ 1000/)
  })
})

describe('CTFLOW_STORE=postgres:// in ctflow serve (the functions)', () => {
  it('serves the runs API from PostgreSQL and its worker loop finishes the runs it starts', async () => {
    const token = 'cli-postgres-test-token-0123'
    const controller = new AbortController()
    // No CTYUN_*: serve starts its own simulator in-process.
    const serve = cli({ ...pgEnv(), CTFLOW_API_TOKEN: token }, controller.signal)
    const serving = serve.run(['serve', '--port', '0'])
    try {
      const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(serve.text())?.[1], 20_000)
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
      const input = { regionID: HD1, disks: { diskIDs: [WEB_DATA] }, retention: {}, backup: false }
      const started = await fetch(`${url}/runs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ workflow: 'snapshot-then-backup', input }),
      })
      expect(started.status).toBe(202)
      const { runId: id } = (await started.json()) as { runId: string }
      expect(await rowsOf('runs', `id = '${id}'`)).toMatchObject([{ workflow: 'snapshot-then-backup' }])

      const status = await waitFor(async () => {
        const [row] = await rowsOf('runs', `id = '${id}'`)
        return row!.status === 'RUNNING' ? undefined : (row!.status as string)
      }, 30_000)
      expect(status).toBe('SUCCEEDED')
      const listed = await (await fetch(`${url}/runs?status=SUCCEEDED`, { headers })).json()
      expect(JSON.stringify(listed)).toContain(id)
    } finally {
      controller.abort()
      expect(await serving).toBe(0)
    }
  }, 60_000)
})

describe('a wrong CTFLOW_STORE fails at start, naming the setting without the password', () => {
  const unreachable = { CTFLOW_STORE: 'postgres://bob:s3cret-pw@127.0.0.1:1/test' }
  const noDatabase = { CTFLOW_STORE: 'postgres://postgres:s3cret-pw@127.0.0.1:5432/ctflow_no_such_database' }

  it.each([
    ['run', ['run', 'job']],
    ['runs list', ['runs', 'list']],
    ['worker', ['worker']], // would loop until stopped if it opened: it must fail before its first pass
    ['serve', ['serve', '--port', '0']],
  ])('ctflow %s, unreachable server', async (_name, argv) => {
    const command = cli(unreachable)
    expect(await command.run(argv)).toBe(1)
    const message = command.errors()
    expect(message).toMatch(/CTFLOW_STORE/)
    expect(message).toContain('postgres://bob:***@127.0.0.1:1/test')
    expect(message).toMatch(/ECONNREFUSED/)
    expect(message + command.text()).not.toContain('s3cret-pw')
    expect(message).not.toMatch(/\n\s+at /) // no stack trace
  })

  it.each([
    ['worker', ['worker']],
    ['serve', ['serve', '--port', '0']],
  ])('ctflow %s, database that does not exist', async (_name, argv) => {
    const command = cli(noDatabase)
    expect(await command.run(argv)).toBe(1)
    const message = command.errors()
    expect(message).toMatch(/CTFLOW_STORE.*postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/ctflow_no_such_database/)
    expect(message).toMatch(/database "ctflow_no_such_database" does not exist/)
    expect(message + command.text()).not.toContain('s3cret-pw')
  })

  it('a bad CTFLOW_STORE_SCHEMA is refused by name before connecting', async () => {
    const command = cli({ CTFLOW_STORE: PG_URL, CTFLOW_STORE_SCHEMA: 'Robert"; DROP' })
    expect(await command.run(['worker'])).toBe(1)
    expect(command.errors()).toMatch(/CTFLOW_STORE_SCHEMA must be a lower-case SQL identifier/)
  })
})

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
