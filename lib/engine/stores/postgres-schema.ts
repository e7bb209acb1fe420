/**
 * The PostgreSQL store's schema as numbered migrations. Append new migrations; never edit an applied one.
 * `json` (not `jsonb`) holds input, machine, output, event details and workflow definitions: it keeps the document
 * exactly as written (key order included, which users see in outputs), costs less to write, and nothing queries inside it.
 */
export const MIGRATIONS: readonly { version: number; sql: (schema: string) => string }[] = [
  {
    version: 1,
    sql: (s) => `
      CREATE TABLE ${s}.runs (
        id               text COLLATE "C" PRIMARY KEY,
        workflow         text NOT NULL,
        status           text NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED')),
        input            json,
        machine          json,
        output           json,
        error            json,
        resume_at        timestamptz,
        idempotency_key  text,
        request_hash     text,
        cancel_requested boolean NOT NULL DEFAULT false,
        version          integer NOT NULL DEFAULT 0,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        -- lease: the last fencing token granted, and who holds it until when (NULL: nobody)
        lease_token      bigint NOT NULL DEFAULT 0,
        lease_owner      text,
        lease_expires_at timestamptz,
        last_seq         integer NOT NULL DEFAULT 0
      );
      -- idempotent starts: NULLs are distinct, so runs without a key never conflict
      CREATE UNIQUE INDEX runs_idempotency_key ON ${s}.runs (idempotency_key);
      -- due lookup for claimDue: only RUNNING runs are ever due
      CREATE INDEX runs_due ON ${s}.runs (resume_at) WHERE status = 'RUNNING';
      -- list: newest first, optionally per workflow
      CREATE INDEX runs_created ON ${s}.runs (created_at DESC, id DESC);
      CREATE INDEX runs_workflow_created ON ${s}.runs (workflow, created_at DESC, id DESC);

      CREATE TABLE ${s}.run_history (
        run_id text COLLATE "C" NOT NULL REFERENCES ${s}.runs (id) ON DELETE CASCADE,
        seq    integer NOT NULL,
        at     text NOT NULL,
        type   text NOT NULL,
        state  text,
        detail json,
        PRIMARY KEY (run_id, seq)
      );
    `,
  },
  {
    version: 2,
    sql: (s) => `
      -- distributed Map: a child run per item points at the run that started it
      ALTER TABLE ${s}.runs ADD COLUMN parent_id text COLLATE "C";
      CREATE INDEX runs_parent_created ON ${s}.runs (parent_id, created_at DESC, id DESC) WHERE parent_id IS NOT NULL;
    `,
  },
  {
    version: 3,
    sql: (s) => `
      -- a run follows the workflow definition it started on, kept here under its version (a hash of its content)
      ALTER TABLE ${s}.runs ADD COLUMN workflow_version text COLLATE "C";
      CREATE TABLE ${s}.workflow_versions (
        version    text COLLATE "C" PRIMARY KEY,
        definition json NOT NULL,
        created_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 4,
    sql: (s) => `
      -- list(): a page is an index scan in list order (created_at DESC, id DESC) for every filter it takes, reading
      -- the page's rows only: top-level runs (parent_id IS NULL, as list() asks when no parent is given) by workflow,
      -- status, or both; a parent's child runs by status (runs_parent_created serves the unfiltered case).
      CREATE INDEX runs_top_created ON ${s}.runs (created_at DESC, id DESC) WHERE parent_id IS NULL;
      CREATE INDEX runs_top_status_created ON ${s}.runs (status, created_at DESC, id DESC) WHERE parent_id IS NULL;
      CREATE INDEX runs_top_workflow_created ON ${s}.runs (workflow, created_at DESC, id DESC) WHERE parent_id IS NULL;
      CREATE INDEX runs_top_workflow_status_created ON ${s}.runs (workflow, status, created_at DESC, id DESC) WHERE parent_id IS NULL;
      CREATE INDEX runs_parent_status_created ON ${s}.runs (parent_id, status, created_at DESC, id DESC) WHERE parent_id IS NOT NULL;
      -- superseded by the partial indexes above (every list query names parent_id), and each costs every insert
      DROP INDEX ${s}.runs_created;
      DROP INDEX ${s}.runs_workflow_created;
    `,
  },
  {
    version: 5,
    sql: (s) => `
      -- grants of the lease since it was last given back: a run whose workers keep dying holding it is failed (Lease.attempt)
      ALTER TABLE ${s}.runs ADD COLUMN lease_attempts integer NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 6,
    sql: (s) => `
      -- the outbox: messages a save wrote (RunUpdate.outbox) in its own transaction, delivered afterwards by a sender
      -- that claims them (attempts is the claim's fencing token) and settles them
      CREATE TABLE ${s}.outbox (
        run_id           text COLLATE "C" NOT NULL REFERENCES ${s}.runs (id) ON DELETE CASCADE,
        id               text COLLATE "C" NOT NULL,
        seq              bigserial,
        topic            text NOT NULL,
        payload          json,
        state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'given-up')),
        created_at       timestamptz NOT NULL,
        not_before       timestamptz NOT NULL,
        attempts         integer NOT NULL DEFAULT 0,
        claim_owner      text,
        claim_expires_at timestamptz,
        last_error       text,
        settled_at       timestamptz,
        PRIMARY KEY (run_id, id)
      );
      -- claimOutbox: only pending items are ever claimed
      CREATE INDEX outbox_pending ON ${s}.outbox (topic, not_before) WHERE state = 'pending';
    `,
  },
  {
    version: 7,
    sql: (s) => `
      -- pruneOutbox: sent and given-up items by when they were settled
      CREATE INDEX outbox_settled ON ${s}.outbox (topic, settled_at) WHERE state <> 'pending';
    `,
  },
]

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version
