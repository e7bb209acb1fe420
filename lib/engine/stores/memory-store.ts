import type { HistoryEvent, RunRecord } from '../run'
import { compareListOrder, decodeCursor, encodeCursor, isAfter, listLimit } from './list-cursor'
import type { Lease, LeaseOptions, NewRun, RunQuery, RunStore, RunUpdate } from './run-store'
import { RunExistsError } from './store-errors'
import {
  applyUpdate,
  assertCurrentLease,
  grantLease,
  isDue,
  isLeasable,
  markCancelRequested,
  newStoredRun,
  releaseLease,
  renewLease,
  summarize,
  type StoredRun,
} from './stored-run'

/**
 * A run store in this process's memory: for tests, benchmarks and `ctflow run` with CTFLOW_STORE=memory.
 * Every record going in or out is cloned, so callers can never change the store by mutating an object.
 *
 * @example
 * const store = createMemoryStore()
 * const { run } = await store.create({ id: 'r1', workflow: 'hello', input: {}, machine: null, resumeAt: null, now: new Date(), events: [] })
 */
export function createMemoryStore(): RunStore {
  const runs = new Map<string, StoredRun>()
  const histories = new Map<string, HistoryEvent[]>()
  const byIdempotencyKey = new Map<string, string>()
  let closed = false

  function open(): void {
    if (closed) throw new Error('run store is closed')
  }

  return {
    async create(run: NewRun) {
      open()
      if (run.idempotencyKey !== undefined) {
        const existingId = byIdempotencyKey.get(run.idempotencyKey)
        if (existingId !== undefined) return { run: copy(runs.get(existingId)!.record), created: false }
      }
      if (runs.has(run.id)) throw new RunExistsError(run.id)
      const { stored, events } = newStoredRun(clone(run))
      runs.set(run.id, stored)
      histories.set(run.id, events)
      if (run.idempotencyKey !== undefined) byIdempotencyKey.set(run.idempotencyKey, run.id)
      return { run: copy(stored.record), created: true }
    },

    async get(id: string) {
      open()
      const stored = runs.get(id)
      return stored ? copy(stored.record) : undefined
    },

    async list(query: RunQuery) {
      open()
      const limit = listLimit(query.limit)
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
      const matching = [...runs.values()]
        .map((stored) => stored.record)
        .filter((record) => query.workflow === undefined || record.workflow === query.workflow)
        .filter((record) => query.status === undefined || record.status === query.status)
        .filter((record) => after === undefined || isAfter(record, after))
        .sort(compareListOrder)
      const page = matching.slice(0, limit)
      const last = page.at(-1)
      return {
        runs: page.map(summarize),
        ...(matching.length > limit && last ? { nextCursor: encodeCursor(last) } : {}),
      }
    },

    async history(id: string, options: { afterSeq?: number; limit?: number } = {}) {
      open()
      const events = histories.get(id) ?? []
      const afterSeq = options.afterSeq ?? 0
      const selected = events.filter((event) => event.seq > afterSeq)
      return clone(options.limit === undefined ? selected : selected.slice(0, options.limit))
    },

    async acquire(id: string, options: LeaseOptions) {
      open()
      const stored = runs.get(id)
      if (!stored || !isLeasable(stored, options.now)) return undefined
      return grantLease(stored, options)
    },

    async claimDue(options: LeaseOptions & { limit: number }) {
      open()
      const due = [...runs.values()]
        .filter((stored) => isDue(stored, options.now))
        .sort((a, b) => a.record.resumeAt!.getTime() - b.record.resumeAt!.getTime())
        .slice(0, options.limit)
      return due.map((stored) => grantLease(stored, options))
    },

    async renew(lease: Lease, options: LeaseOptions) {
      open()
      const stored = runs.get(lease.runId)
      assertCurrentLease(stored, lease)
      return renewLease(stored, lease, options)
    },

    async save(lease: Lease, update: RunUpdate) {
      open()
      const stored = runs.get(lease.runId)
      assertCurrentLease(stored, lease)
      const events = applyUpdate(stored, clone(update))
      histories.get(lease.runId)!.push(...events)
      return copy(stored.record)
    },

    async release(lease: Lease) {
      open()
      releaseLease(runs.get(lease.runId), lease)
    },

    async requestCancel(id: string, now: Date) {
      open()
      const stored = runs.get(id)
      if (!stored) return undefined
      markCancelRequested(stored, now)
      return copy(stored.record)
    },

    async close() {
      closed = true
    },
  }
}

function clone<T>(value: T): T {
  return structuredClone(value)
}

function copy(record: RunRecord): RunRecord {
  return clone(record)
}
