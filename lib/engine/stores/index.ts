/**
 * Run stores: one `RunStore` interface, kept by the memory, file and PostgreSQL stores alike
 * (pinned by `store.contract.ts`). `openStore(CTFLOW_STORE)` picks one.
 * @module
 */
export { LeaseLostError } from './run-store'
export type { Lease, LeaseOptions, NewRun, RunQuery, RunStore, RunUpdate } from './run-store'
export { CorruptRunFileError, InvalidCursorError, RunExistsError, RunStoreError, StoreOpenError } from './store-errors'
export { createMemoryStore } from './memory-store'
export { createFileStore, type FileStoreOptions } from './file-store'
export { openConfiguredStore, openStore, type OpenStoreOptions } from './open-store'
export type { PostgresStoreOptions } from './postgres-store'
