import { v7 } from 'uuid'

/**
 * A new run's id: a UUIDv7 (RFC 9562 §5.7), whose first 48 bits are the creation time in Unix milliseconds and whose
 * next bits count up within a millisecond in this process (the `uuid` package keeps that state), so ids made here sort
 * in the order they were made, and across processes in the order of their milliseconds.
 *
 * Stores list runs by `createdAt`, then id (lib/engine/stores/list-cursor.ts): for these ids that is creation order.
 * Ids made before ids were time-ordered (random UUIDv4), child runs (ids derived from their parent's clientToken, so
 * a create re-issued after a crash finds the run it made: interpreter/child-runs.ts) and ids a caller chose keep
 * working everywhere, and take their place in lists by `createdAt` alone.
 *
 * @example newRunId() // '019a0d6e-5c1f-7b3a-9d2e-4f6a8b0c1d2e'
 */
export function newRunId(): string {
  return v7()
}
