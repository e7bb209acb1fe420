import pg from 'pg'

/** The local test server: trust auth on 127.0.0.1:5432, database `test`. */
export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test'

/**
 * Unique schemas for one test file (CTFLOW_STORE_SCHEMA), dropped at the end, so tests never see each other's runs
 * and other engineers' test runs on the same server never collide with these.
 *
 * @example const schemas = testSchemas('cli'); const schema = schemas.fresh(); … afterAll(() => schemas.dropAll())
 */
export function testSchemas(tag: string) {
  const prefix = `ctflow_${tag}_${process.pid}_`
  let count = 0
  return {
    fresh: () => `${prefix}${++count}`,
    async dropAll() {
      await withClient(async (client) => {
        const { rows } = await client.query<{ nspname: string }>(
          'SELECT nspname FROM pg_namespace WHERE nspname LIKE $1',
          [`${prefix}%`],
        )
        for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`)
      })
    },
  }
}

/** One short-lived connection for looking at the tables directly (what the store wrote, not what it says). */
export async function withClient<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    return await use(client)
  } finally {
    await client.end()
  }
}
