import { loadStoreConfig, parseStoreSetting, type StoreConfig, type StoreTarget } from '../../config'
import type { FileStoreOptions } from './file-store'
import type { RunStore } from './run-store'
import { StoreOpenError } from './store-errors'

export interface OpenStoreOptions {
  poolMax?: number
  schema?: string
  file?: FileStoreOptions
}

/**
 * Opens the store a CTFLOW_STORE value names — `memory`, a directory (default `.ctflow/`), or `postgres://…` —
 * eagerly: a PostgreSQL store connects and migrates here, so a wrong setting fails at start, not on the first run.
 * Errors name CTFLOW_STORE and never carry the password.
 *
 * @example const store = await openStore('postgres://ctflow@127.0.0.1:5432/ctflow')
 */
export async function openStore(setting: string | StoreTarget, options: OpenStoreOptions = {}): Promise<RunStore> {
  let target: StoreTarget
  try {
    target = typeof setting === 'string' ? parseStoreSetting(setting) : setting
  } catch (error) {
    throw new StoreOpenError((error as Error).message)
  }
  try {
    switch (target.kind) {
      case 'memory': {
        // On demand like the others: a deployed function never runs on the memory store.
        const { createMemoryStore } = await import('./memory-store')
        return createMemoryStore()
      }
      case 'file': {
        // Loaded on demand too: a function on PostgreSQL never parses the file store.
        const { createFileStore } = await import('./file-store')
        return createFileStore(target.path, options.file)
      }
      case 'postgres': {
        // Loaded on demand: memory and file users (and cold starts) never load the pg driver.
        const { createPostgresStore } = await import('./postgres-store')
        return await createPostgresStore({
          connectionString: target.url,
          poolMax: options.poolMax,
          schema: options.schema,
        })
      }
    }
  } catch (error) {
    // The stores' own messages name the directory or the redacted URL; prefix the setting to fix.
    throw new StoreOpenError(`CTFLOW_STORE: ${(error as Error).message}`)
  }
}

/** Reads CTFLOW_STORE, CTFLOW_STORE_POOL_MAX and CTFLOW_STORE_SCHEMA, then opens that store. */
export async function openConfiguredStore(config: StoreConfig = loadStoreConfigOrThrow()): Promise<RunStore> {
  return openStore(config.target, { poolMax: config.poolMax, schema: config.schema })
}

function loadStoreConfigOrThrow(): StoreConfig {
  try {
    return loadStoreConfig()
  } catch (error) {
    throw new StoreOpenError((error as Error).message)
  }
}
