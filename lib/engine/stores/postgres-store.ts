import pg from 'pg'
import type { HistoryEvent, RunRecord, RunSummary } from '../run'
import { decodeCursor, encodeCursor, listLimit } from './list-cursor'
import { createDueListener, DUE_CHANNEL } from './postgres-due-listener'
import { MIGRATIONS, SCHEMA_VERSION } from './postgres-schema'
import { redactUrl, urlSecrets } from './redact-url'
import {
  LeaseLostError,
  type Lease,
  type LeaseOptions,
  type NewRun,
  type OutboxClaim,
  type OutboxClaimOptions,
  type OutboxEntry,
  type OutboxOutcome,
  type OutboxPruneOptions,
  type RunQuery,
  type RunStore,
  type RunUpdate,
} from './run-store'
import { RunExistsError, StoreOpenError } from './store-errors'

export interface PostgresStoreOptions {
  /** postgres://user[:password]@host:port/db — the password never appears in an error. */
  connectionString: string
  /** PostgreSQL schema holding the tables; created if missing. Default `ctflow`. */
  schema?: string
  /**
   * Connections per process. A FaaS instance runs one invocation at a time, so 3 is plenty (one for the run
   * being advanced, headroom for claimDue and a cancel) and keeps hundreds of instances under max_connections.
   */
  poolMax?: number
  /** Fail opening (and each checkout) after this long instead of hanging the invocation. */
  connectTimeoutMs?: number
}

/** Advisory-lock class for migrations ('ctfw'); the second key is hashtext(schema), so schemas migrate independently. */
const MIGRATION_LOCK_CLASS = 0x63746677

/**
 * The shared store for many workers: runs and history in PostgreSQL, leases as a row's token/owner/deadline
 * updated in one statement, due runs claimed with `FOR UPDATE SKIP LOCKED` through a partial index on resume_at.
 * Connects and migrates eagerly, so a wrong URL fails at start rather than on the first run.
 *
 * @example const store = await createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' })
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<RunStore> {
  const schema = options.schema ?? 'ctflow'
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new StoreOpenError(`schema: expected a lower-case SQL identifier, got ${JSON.stringify(schema)}`)
  }
  const poolMax = options.poolMax ?? 3
  if (!Number.isInteger(poolMax) || poolMax < 1)
    throw new StoreOpenError(`poolMax: expected a positive integer, got ${poolMax}`)

  const where = redactUrl(options.connectionString)
  let pool: pg.Pool
  try {
    pool = new pg.Pool({
      connectionString: options.connectionString,
      max: poolMax,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      allowExitOnIdle: true,
      application_name: 'ctflow',
    })
  } catch (error) {
    throw new StoreOpenError(`cannot open PostgreSQL run store ${where}: ${describe(error, options.connectionString)}`)
  }
  // An idle connection dropped by the server must not crash the process; the next query reports the problem.
  pool.on('error', () => undefined)

  try {
    await migrate(pool, schema)
  } catch (error) {
    await pool.end().catch(() => undefined)
    if (error instanceof StoreOpenError) throw new StoreOpenError(`PostgreSQL run store ${where}: ${error.message}`)
    throw new StoreOpenError(`cannot open PostgreSQL run store ${where}: ${describe(error, options.connectionString)}`)
  }
  return postgresStore(pool, schema, {
    connectionString: options.connectionString,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
  })
}

async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const s = `"${schema}"`
  const current = await schemaVersion(pool, s)
  if (current === SCHEMA_VERSION) return // the common cold start: one round trip, no lock
  if (current !== undefined && current > SCHEMA_VERSION) throw newerSchema(schema, current)

  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    // Several instances may start at once: one migrates, the others wait here and then find nothing to do.
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema])
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`)
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    )
    const { rows } = await client.query<{ version: number }>(
      `SELECT coalesce(max(version), 0) AS version FROM ${s}.schema_version`,
    )
    const version = rows[0]!.version
    if (version > SCHEMA_VERSION) throw newerSchema(schema, version)
    for (const migration of MIGRATIONS) {
      if (migration.version <= version) continue
      await client.query(migration.sql(s))
      await client.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [migration.version])
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

async function schemaVersion(pool: pg.Pool, s: string): Promise<number | undefined> {
  try {
    const { rows } = await pool.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${s}.schema_version`,
    )
    return rows[0]?.version ?? undefined
  } catch (error) {
    if ((error as { code?: string }).code === '42P01' || (error as { code?: string }).code === '3F000') return undefined // no table / no schema yet
    throw error
  }
}

function newerSchema(schema: string, version: number): StoreOpenError {
  return new StoreOpenError(
    `schema "${schema}" is at version ${version}, newer than this ctflow understands (${SCHEMA_VERSION}); upgrade ctflow — the schema was left untouched`,
  )
}

/** An error's message without the connection passwords (pg's messages do not carry them, but be sure). */
function describe(error: unknown, connectionString: string): string {
  const inner = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error
  const code = (inner as { code?: string })?.code
  const message = (inner as Error)?.message || String(inner)
  let text = code && !message.includes(code) ? `${code} ${message}` : message
  for (const secret of urlSecrets(connectionString)) text = text.split(secret).join('***')
  return text
}

const RECORD_COLUMNS = `id, workflow, status, input, machine, output, output IS NULL AS output_missing, error, resume_at,
  idempotency_key, request_hash, parent_id, workflow_version, cancel_requested, version, created_at, updated_at, last_seq`
const SUMMARY_COLUMNS = `id, workflow, status, output, output IS NULL AS output_missing, error, resume_at,
  idempotency_key, request_hash, parent_id, workflow_version, cancel_requested, version, created_at, updated_at`

interface RunRow {
  id: string
  workflow: string
  status: RunRecord['status']
  input?: unknown
  machine?: unknown
  output: unknown
  output_missing: boolean
  error: RunRecord['error'] | null
  resume_at: Date | null
  idempotency_key: string | null
  request_hash: string | null
  parent_id: string | null
  workflow_version: string | null
  cancel_requested: boolean
  version: number
  created_at: Date
  updated_at: Date
  /** In RECORD_COLUMNS only. */
  last_seq?: number
}

function toSummary(row: RunRow): RunSummary {
  const summary: RunSummary = {
    id: row.id,
    workflow: row.workflow,
    status: row.status,
    resumeAt: row.resume_at,
    cancelRequested: row.cancel_requested,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
  if (!row.output_missing) summary.output = row.output
  if (row.error !== null) summary.error = row.error
  if (row.idempotency_key !== null) summary.idempotencyKey = row.idempotency_key
  if (row.request_hash !== null) summary.requestHash = row.request_hash
  if (row.parent_id !== null) summary.parentId = row.parent_id
  if (row.workflow_version !== null) summary.workflowVersion = row.workflow_version
  return summary
}

function toRecord(row: RunRow): RunRecord {
  return {
    ...toSummary(row),
    input: row.input,
    machine: row.machine,
    ...(row.last_seq !== undefined ? { historyLength: row.last_seq } : {}),
  }
}

/** JSON for a `json` parameter; undefined → SQL NULL. */
function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value)
}

/**
 * The SELECT of one list page (limit + 1 rows: the extra one says whether there is a next page). Its WHERE and ORDER BY
 * match one of the list indexes (postgres-schema.ts, migration 4) for every filter, so a page is an index scan that
 * stops after limit + 1 rows, whatever the table holds; the cursor is a row comparison the scan starts from.
 */
export function listStatement(schema: string, query: RunQuery): { text: string; values: unknown[]; limit: number } {
  const limit = listLimit(query.limit)
  const conditions: string[] = []
  const values: unknown[] = []
  conditions.push(query.parentId === undefined ? 'parent_id IS NULL' : `parent_id = $${values.push(query.parentId)}`)
  if (query.workflow !== undefined) conditions.push(`workflow = $${values.push(query.workflow)}`)
  if (query.status !== undefined) conditions.push(`status = $${values.push(query.status)}`)
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor)
    conditions.push(
      `(created_at, id) < ($${values.push(after.createdAt)}::timestamptz, $${values.push(after.id)}::text)`,
    )
  }
  const text = `SELECT ${SUMMARY_COLUMNS} FROM "${schema}".runs WHERE ${conditions.join(' AND ')}
    ORDER BY created_at DESC, id DESC LIMIT $${values.push(limit + 1)}`
  return { text, values, limit }
}

function postgresStore(
  pool: pg.Pool,
  schema: string,
  listenWith: { connectionString: string; connectTimeoutMs: number },
): RunStore {
  const s = `"${schema}"`
  let closed: Promise<void> | undefined
  const due = createDueListener({
    ...listenWith,
    schema,
    async nextResumeAt(now) {
      // The partial index runs_due answers this with its first entry after now.
      const { rows } = await pool.query<{ at: Date | null }>(
        `SELECT min(resume_at) AS at FROM ${s}.runs WHERE status = 'RUNNING' AND resume_at > $1`,
        [now],
      )
      return rows[0]?.at?.getTime()
    },
  })
  // Both INSERTs into run_history number events from a base seq and the 1-based ordinality of the JSON array.
  const appendEvents = (source: string, base: string, eventsParam: string) => `
    INSERT INTO ${s}.run_history (run_id, seq, at, type, state, detail)
    SELECT r.id, ${base} + e.ord, e.value->>'at', e.value->>'type', e.value->>'state', e.value->'detail'
    FROM ${source} r, json_array_elements(${eventsParam}::json) WITH ORDINALITY AS e(value, ord)`

  // Only in a save that finishes a run (most saves keep it RUNNING and skip this): a child run that just finished makes
  // its RUNNING parent due now, in the same transaction (RunStore.save). The WHERE makes it a no-op for other runs.
  const wakeParent = `,
    woken AS (
      UPDATE ${s}.runs p SET resume_at = $8
      FROM updated u
      WHERE p.id = u.parent_id AND p.status = 'RUNNING' AND (p.resume_at IS NULL OR p.resume_at > $8)
      RETURNING pg_notify('${DUE_CHANNEL}', $11) AS notified
    )`

  const getRun = async (id: string) => {
    const { rows } = await pool.query<RunRow>(`SELECT ${RECORD_COLUMNS} FROM ${s}.runs WHERE id = $1`, [id])
    return rows[0] ? toRecord(rows[0]) : undefined
  }

  return {
    async create(run: NewRun) {
      // Two tries: the second only happens if the run holding the key vanished between the INSERT and the SELECT.
      for (let attempt = 1; ; attempt++) {
        let rows: RunRow[]
        try {
          ;({ rows } = await pool.query<RunRow>(
            `WITH inserted AS (
               INSERT INTO ${s}.runs (id, workflow, status, input, machine, resume_at, idempotency_key, request_hash, parent_id, workflow_version,
                 created_at, updated_at, last_seq)
               VALUES ($1, $2, 'RUNNING', $3::json, $4::json, $5, $6, $7, $12, $13, $8, $8, $9)
               ON CONFLICT (idempotency_key) DO NOTHING
               RETURNING ${RECORD_COLUMNS}
             ), appended AS (${appendEvents('inserted', '0', '$10')})
             -- idle workers LISTEN (waitForDue): a new run is due at once; delivered when this statement commits
             SELECT *, pg_notify('${DUE_CHANNEL}', $11) AS notified FROM inserted`,
            [
              run.id,
              run.workflow,
              json(run.input),
              json(run.machine),
              run.resumeAt,
              run.idempotencyKey ?? null,
              run.requestHash ?? null,
              run.now,
              run.events.length,
              JSON.stringify(run.events),
              schema,
              run.parentId ?? null,
              run.workflowVersion ?? null,
            ],
          ))
        } catch (error) {
          if (
            (error as { code?: string; constraint?: string }).code === '23505' &&
            (error as { constraint?: string }).constraint === 'runs_pkey'
          ) {
            throw new RunExistsError(run.id)
          }
          throw error
        }
        if (rows[0]) return { run: toRecord(rows[0]), created: true }
        // The key is taken: return the run that holds it (committed, since ON CONFLICT waited for it).
        const existing = await pool.query<RunRow>(
          `SELECT ${RECORD_COLUMNS} FROM ${s}.runs WHERE idempotency_key = $1`,
          [run.idempotencyKey],
        )
        if (existing.rows[0]) return { run: toRecord(existing.rows[0]), created: false }
        if (attempt >= 2) throw new Error(`run ${run.id}: idempotency key conflicts with a run that cannot be read`)
      }
    },

    get: getRun,

    async list(query: RunQuery) {
      const { text, values, limit } = listStatement(schema, query)
      const { rows } = await pool.query<RunRow>(text, values)
      const page = rows.slice(0, limit).map(toSummary)
      const last = page.at(-1)
      return { runs: page, ...(rows.length > limit && last ? { nextCursor: encodeCursor(last) } : {}) }
    },

    async history(id: string, options: { afterSeq?: number; limit?: number } = {}) {
      const { rows } = await pool.query<{
        seq: number
        at: string
        type: string
        state: string | null
        detail: unknown
        detail_missing: boolean
      }>(
        `SELECT seq, at, type, state, detail, detail IS NULL AS detail_missing FROM ${s}.run_history
         WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [id, options.afterSeq ?? 0, options.limit ?? null],
      )
      return rows.map((row) => {
        const event: HistoryEvent = { seq: row.seq, at: row.at, type: row.type }
        if (row.state !== null) event.state = row.state
        if (!row.detail_missing) event.detail = row.detail
        return event
      })
    },

    async acquire(id: string, { owner, leaseMs, now }: LeaseOptions) {
      const expiresAt = new Date(now.getTime() + leaseMs)
      // One UPDATE: concurrent acquirers queue on the row lock and re-check the condition, so one wins.
      const { rows } = await pool.query<{ lease_token: string; lease_attempts: number }>(
        `UPDATE ${s}.runs SET lease_token = lease_token + 1, lease_attempts = lease_attempts + 1, lease_owner = $2, lease_expires_at = $3
         WHERE id = $1 AND status = 'RUNNING' AND (lease_expires_at IS NULL OR lease_expires_at <= $4)
         RETURNING lease_token, lease_attempts`,
        [id, owner, expiresAt, now],
      )
      return rows[0]
        ? { runId: id, owner, token: Number(rows[0].lease_token), expiresAt, attempt: rows[0].lease_attempts }
        : undefined
    },

    async claimDue({ owner, leaseMs, now, limit }: LeaseOptions & { limit: number }) {
      const expiresAt = new Date(now.getTime() + leaseMs)
      const { rows } = await pool.query<{ id: string; lease_token: string; resume_at: Date; lease_attempts: number }>(
        `UPDATE ${s}.runs r SET lease_token = r.lease_token + 1, lease_attempts = r.lease_attempts + 1, lease_owner = $1, lease_expires_at = $2
         FROM (
           SELECT id FROM ${s}.runs
           WHERE status = 'RUNNING' AND resume_at <= $3 AND (lease_expires_at IS NULL OR lease_expires_at <= $3)
           ORDER BY resume_at
           LIMIT $4
           FOR UPDATE SKIP LOCKED
         ) due
         WHERE r.id = due.id
         RETURNING r.id, r.lease_token, r.resume_at, r.lease_attempts`,
        [owner, expiresAt, now, limit],
      )
      return rows
        .sort((a, b) => a.resume_at.getTime() - b.resume_at.getTime())
        .map((row) => ({
          runId: row.id,
          owner,
          token: Number(row.lease_token),
          expiresAt,
          attempt: row.lease_attempts,
        }))
    },

    async renew(lease: Lease, { leaseMs, now }: LeaseOptions) {
      const expiresAt = new Date(now.getTime() + leaseMs)
      const { rowCount } = await pool.query(
        `UPDATE ${s}.runs SET lease_expires_at = $3 WHERE id = $1 AND lease_token = $2 AND lease_expires_at IS NOT NULL`,
        [lease.runId, lease.token, expiresAt],
      )
      if (rowCount === 0) throw new LeaseLostError(lease.runId)
      return { ...lease, expiresAt }
    },

    async save(lease: Lease, update: RunUpdate) {
      // One statement: the fenced UPDATE, the history INSERT and the outbox INSERT commit together or not at all.
      const outbox = update.outbox !== undefined && update.outbox.length > 0 ? update.outbox : undefined
      const outboxParam = update.status === 'RUNNING' ? '$11' : '$12'
      const outboxed = outbox
        ? `,
         outboxed AS (
           INSERT INTO ${s}.outbox (run_id, id, topic, payload, created_at, not_before)
           SELECT u.id, o.value->>'id', o.value->>'topic', o.value->'payload', $8, $8
           FROM updated u, json_array_elements(${outboxParam}::json) WITH ORDINALITY AS o(value, ord)
           ORDER BY o.ord
           ON CONFLICT (run_id, id) DO NOTHING
         )`
        : ''
      const { rows } = await pool.query<RunRow>(
        `WITH updated AS (
           UPDATE ${s}.runs SET status = $3, machine = $4::json, resume_at = $5, output = $6::json, error = $7::json,
             version = version + 1, updated_at = $8, last_seq = last_seq + $9
           WHERE id = $1 AND lease_token = $2 AND lease_expires_at IS NOT NULL
           RETURNING ${RECORD_COLUMNS}
         ), appended AS (${appendEvents('updated', 'r.last_seq - $9', '$10')})${update.status === 'RUNNING' ? '' : wakeParent}${outboxed}
         SELECT * FROM updated`,
        [
          lease.runId,
          lease.token,
          update.status,
          json(update.machine),
          update.resumeAt,
          json(update.output),
          json(update.error),
          update.now,
          update.events.length,
          JSON.stringify(update.events),
          ...(update.status === 'RUNNING' ? [] : [schema]),
          ...(outbox ? [JSON.stringify(outbox.map(({ id, topic, payload }) => ({ id, topic, payload })))] : []),
        ],
      )
      if (!rows[0]) throw new LeaseLostError(lease.runId)
      return toRecord(rows[0])
    },

    async claimOutbox({ topic, owner, leaseMs, now, limit }: OutboxClaimOptions) {
      const expiresAt = new Date(now.getTime() + leaseMs)
      // SKIP LOCKED: concurrent senders each take different items; the claim condition is re-checked on the row.
      const { rows } = await pool.query<OutboxRow>(
        `UPDATE ${s}.outbox o SET attempts = o.attempts + 1, claim_owner = $1, claim_expires_at = $2
         FROM (
           SELECT run_id, id FROM ${s}.outbox
           WHERE topic = $5 AND state = 'pending' AND not_before <= $3 AND (claim_expires_at IS NULL OR claim_expires_at <= $3)
           ORDER BY not_before, seq
           LIMIT $4
           FOR UPDATE SKIP LOCKED
         ) c
         WHERE o.run_id = c.run_id AND o.id = c.id
         RETURNING ${outboxColumns('o')}`,
        [owner, expiresAt, now, limit, topic],
      )
      return rows
        .map(toOutboxEntry)
        .sort((a, b) => a.notBefore.getTime() - b.notBefore.getTime())
        .map((entry) => ({ ...entry, owner, claimExpiresAt: expiresAt }))
    },

    async settleOutbox(claim: OutboxClaim, outcome: OutboxOutcome) {
      const settled = outcome.result === 'retry' ? 'pending' : outcome.result
      const { rowCount } = await pool.query(
        `UPDATE ${s}.outbox SET state = $4, claim_owner = NULL, claim_expires_at = NULL,
           not_before = coalesce($5, not_before), last_error = coalesce($6, last_error), settled_at = $7
         WHERE run_id = $1 AND id = $2 AND attempts = $3 AND claim_owner = $8 AND state = 'pending'`,
        [
          claim.runId,
          claim.id,
          claim.attempts,
          settled,
          outcome.result === 'retry' ? outcome.notBefore : null,
          outcome.result === 'sent' ? null : outcome.error,
          outcome.result === 'retry' ? null : outcome.now,
          claim.owner,
        ],
      )
      return rowCount === 1
    },

    async outbox(runId: string) {
      const { rows } = await pool.query<OutboxRow>(
        `SELECT ${outboxColumns('o')} FROM ${s}.outbox o WHERE run_id = $1 ORDER BY seq`,
        [runId],
      )
      return rows.map(toOutboxEntry)
    },

    async pruneOutbox({ topic, settledBefore, limit }: OutboxPruneOptions) {
      // Batched: one pass deletes at most `limit` rows (a short lock on each), the next pass the rest.
      const { rowCount } = await pool.query(
        `DELETE FROM ${s}.outbox o USING (
           SELECT run_id, id FROM ${s}.outbox
           WHERE topic = $1 AND state <> 'pending' AND settled_at < $2
           LIMIT $3
           FOR UPDATE SKIP LOCKED
         ) p
         WHERE o.run_id = p.run_id AND o.id = p.id`,
        [topic, settledBefore, limit],
      )
      return rowCount ?? 0
    },

    async putWorkflowVersion(version: string, definition: unknown, now: Date) {
      // Several instances may start on the same deploy at once: the first INSERT wins, the others wait for it and skip.
      await pool.query(
        `INSERT INTO ${s}.workflow_versions (version, definition, created_at) VALUES ($1, $2::json, $3) ON CONFLICT (version) DO NOTHING`,
        [version, JSON.stringify(definition), now],
      )
    },

    async getWorkflowVersion(version: string) {
      const { rows } = await pool.query<{ definition: unknown }>(
        `SELECT definition FROM ${s}.workflow_versions WHERE version = $1`,
        [version],
      )
      return rows[0]?.definition
    },

    async release(lease: Lease) {
      // A RUNNING run given back is due now (budget spent) or later (suspended): waiting workers re-check either way.
      await pool.query(
        `WITH released AS (
           UPDATE ${s}.runs SET lease_owner = NULL, lease_expires_at = NULL, lease_attempts = 0 WHERE id = $1 AND lease_token = $2 RETURNING status
         )
         SELECT pg_notify('${DUE_CHANNEL}', $3) FROM released WHERE status = 'RUNNING'`,
        [lease.runId, lease.token, schema],
      )
    },

    waitForDue: (options) => due.waitForDue(options),

    async requestCancel(id: string, now: Date) {
      const { rows } = await pool.query<RunRow>(
        `WITH updated AS (
           UPDATE ${s}.runs SET cancel_requested = true, updated_at = $2
           WHERE id = $1 AND status = 'RUNNING' AND NOT cancel_requested
           RETURNING ${RECORD_COLUMNS}
         )
         SELECT * FROM updated
         UNION ALL
         SELECT ${RECORD_COLUMNS} FROM ${s}.runs WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM updated)`,
        [id, now],
      )
      return rows[0] ? toRecord(rows[0]) : undefined
    },

    async close() {
      closed ??= due.close().then(() => pool.end())
      await closed
    },
  }
}

const outboxColumns = (o: string) =>
  `${o}.run_id, ${o}.id, ${o}.topic, ${o}.payload, ${o}.state, ${o}.created_at, ${o}.not_before, ${o}.attempts, ${o}.last_error, ${o}.settled_at, ${o}.payload IS NULL AS payload_missing`

interface OutboxRow {
  run_id: string
  id: string
  topic: string
  payload: unknown
  payload_missing: boolean
  state: OutboxEntry['state']
  created_at: Date
  not_before: Date
  attempts: number
  last_error: string | null
  settled_at: Date | null
}

function toOutboxEntry(row: OutboxRow): OutboxEntry {
  const entry: OutboxEntry = {
    id: row.id,
    topic: row.topic,
    payload: row.payload_missing ? undefined : row.payload,
    runId: row.run_id,
    state: row.state,
    createdAt: row.created_at,
    notBefore: row.not_before,
    attempts: row.attempts,
  }
  if (row.last_error !== null) entry.lastError = row.last_error
  if (row.settled_at !== null) entry.settledAt = row.settled_at
  return entry
}
