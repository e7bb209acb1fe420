/**
 * Where runs are stored: CTFLOW_STORE (`memory`, a directory path, or `postgres://…`), plus the PostgreSQL
 * pool size and schema. Read once per process; errors name the variable and never echo a password.
 */
export type StoreTarget = { kind: 'memory' } | { kind: 'file'; path: string } | { kind: 'postgres'; url: string }

export interface StoreConfig {
  target: StoreTarget
  /** CTFLOW_STORE_POOL_MAX: PostgreSQL connections per process (default 3, sized for FaaS). */
  poolMax?: number
  /** CTFLOW_STORE_SCHEMA: PostgreSQL schema for ctflow's tables (default `ctflow`). */
  schema?: string
}

export class StoreConfigError extends Error {
  override name = 'StoreConfigError'
}

/** The embedded default: a directory in the working directory, no server needed. */
export const DEFAULT_STORE_PATH = '.ctflow/'

/**
 * @example const { target, poolMax } = loadStoreConfig() // CTFLOW_STORE=postgres://ctflow@db:5432/ctflow
 */
export function loadStoreConfig(env: Record<string, string | undefined> = process.env): StoreConfig {
  const config: StoreConfig = { target: parseStoreSetting(env.CTFLOW_STORE) }
  const poolMax = env.CTFLOW_STORE_POOL_MAX?.trim()
  if (poolMax) {
    if (!/^\d+$/.test(poolMax) || Number(poolMax) < 1 || Number(poolMax) > 100) {
      throw new StoreConfigError('CTFLOW_STORE_POOL_MAX must be a whole number of connections from 1 to 100.')
    }
    config.poolMax = Number(poolMax)
  }
  const schema = env.CTFLOW_STORE_SCHEMA?.trim()
  if (schema) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new StoreConfigError(
        'CTFLOW_STORE_SCHEMA must be a lower-case SQL identifier (letters, digits, _), e.g. ctflow.',
      )
    }
    config.schema = schema
  }
  return config
}

/** Parses a CTFLOW_STORE value; blank or unset means the default directory. */
export function parseStoreSetting(value: string | undefined): StoreTarget {
  const trimmed = value?.trim()
  if (!trimmed) return { kind: 'file', path: DEFAULT_STORE_PATH }
  if (trimmed === 'memory') return { kind: 'memory' }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    // A missing host is allowed: like libpq, pg then uses PGHOST or localhost.
    if (!URL.canParse(trimmed)) {
      throw new StoreConfigError(
        'CTFLOW_STORE is not a valid PostgreSQL URL; expected postgres://user[:password]@host[:port]/database.',
      )
    }
    return { kind: 'postgres', url: trimmed }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    // Only the scheme is named: a URL may carry a password.
    throw new StoreConfigError(
      `CTFLOW_STORE has an unsupported scheme "${trimmed.split(':')[0]}"; use memory, a directory path, or postgres://….`,
    )
  }
  return { kind: 'file', path: trimmed }
}
