/**
 * @module lib/engine/stores — run stores: one `RunStore` interface, kept by the memory, file and PostgreSQL stores
 * alike (pinned by `store.contract.ts`). `openStore(CTFLOW_STORE)` picks one and loads only its code (each store is
 * a chunk of its own: a function on PostgreSQL never parses the file store, a cold start on memory never loads pg),
 * which is why the stores themselves are not exported here: a re-export would load all three wherever this index is.
 * @example const store = await openStore({ kind: 'memory' })
 */
export { LeaseLostError } from './store-errors'
export type {
  Lease,
  LeaseOptions,
  NewRun,
  OutboxClaim,
  OutboxClaimOptions,
  OutboxEntry,
  OutboxItem,
  OutboxOutcome,
  OutboxState,
  RunQuery,
  RunStore,
  RunUpdate,
} from './run-store'
export { CorruptRunFileError, InvalidCursorError, RunExistsError, RunStoreError, StoreOpenError } from './store-errors'
export { openConfiguredStore, openStore, type OpenStoreOptions } from './open-store'
export { redactUrl } from './redact-url'
export type { FileStoreOptions } from './file-store'
export type { PostgresStoreOptions } from './postgres-store'
