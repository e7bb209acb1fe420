import type { HistoryEvent, NewHistoryEvent, RunRecord, RunSummary } from '../run'
import { listPage } from './list-cursor'
import type {
  Lease,
  LeaseOptions,
  NewRun,
  OutboxClaim,
  OutboxClaimOptions,
  OutboxOutcome,
  OutboxPruneOptions,
  RunQuery,
  RunStore,
  RunUpdate,
} from './run-store'
import { copyJson, createSharingCopier, type SharingCopier } from './json-copy'
import { RunExistsError } from './store-errors'
import {
  applyUpdate,
  assertCurrentLease,
  grantLease,
  isDue,
  isLeasable,
  markCancelRequested,
  newStoredRun,
  parentToWake,
  releaseLease,
  renewLease,
  type StoredRun,
  wakeParent,
} from './stored-run'
import {
  claimStoredItems,
  newStoredItems,
  outboxEntryOf,
  prunableItems,
  settleStoredOutbox,
  type StoredOutbox,
} from './stored-outbox'

/**
 * A run store in this process's memory: for tests, benchmarks and `ctflow run` with CTFLOW_STORE=memory.
 * Callers can never change the store by mutating an object they passed in or got back: everything going in or out is
 * copied with JSON semantics (copyJson: undefined members dropped, Dates as strings — what the file and PostgreSQL
 * stores keep too). That is several times cheaper than structuredClone, which was most of the engine's warm-path time
 * (a save carries thousands of events, and the runner saves before every side effect).
 *
 * @example
 * const store = createMemoryStore()
 * const { run } = await store.create({ id: 'r1', workflow: 'hello', input: {}, machine: null, resumeAt: null, now: new Date(), events: [] })
 */
export function createMemoryStore(): RunStore {
  const runs = new Map<string, Entry>()
  const byIdempotencyKey = new Map<string, string>()
  /** Workflow definitions by version (copies, handed out only as fresh copies). */
  const workflowVersions = new Map<string, unknown>()
  /** Outbox items by run and id (outboxKey), in the order they were written. */
  const outbox = new Map<string, StoredOutbox>()
  let closed = false

  function open(): void {
    if (closed) throw new Error('run store is closed')
  }

  return {
    async create(run: NewRun) {
      open()
      if (run.idempotencyKey !== undefined) {
        const existingId = byIdempotencyKey.get(run.idempotencyKey)
        if (existingId !== undefined) return { run: recordOf(runs.get(existingId)!), created: false }
      }
      if (runs.has(run.id)) throw new RunExistsError(run.id)
      // One copier for the whole run: the input is also the machine's first frame's input and the first event's.
      const copier = createSharingCopier()
      const { stored } = newStoredRun({
        ...run,
        input: copier.copyAndKeep(run.input),
        machine: copier.copy(run.machine),
        resumeAt: copyDate(run.resumeAt),
        now: new Date(run.now.getTime()),
        events: [],
      })
      // The first batch goes into a new array rather than being pushed onto an empty one: pushing an object onto []
      // changes the array's elements kind, and saves (pushing onto arrays that hold batches) were deoptimized by it.
      const entry: Entry = { stored, batches: run.events.length > 0 ? [eventBatch(1, run.events, copier)] : [] }
      stored.lastSeq = run.events.length
      runs.set(run.id, entry)
      if (run.idempotencyKey !== undefined) byIdempotencyKey.set(run.idempotencyKey, run.id)
      return { run: recordOf(entry), created: true }
    },

    async get(id: string) {
      open()
      const entry = runs.get(id)
      return entry ? recordOf(entry) : undefined
    },

    async list(query: RunQuery) {
      open()
      return listPage(query, () => [...runs.values()].map((entry) => entry.stored.record), summaryOf)
    },

    async history(id: string, options: { afterSeq?: number; limit?: number } = {}) {
      open()
      const batches = runs.get(id)?.batches ?? []
      const afterSeq = options.afterSeq ?? 0
      const limit = options.limit ?? Number.POSITIVE_INFINITY
      const selected: HistoryEvent[] = []
      for (const batch of batches) {
        if (selected.length >= limit) break
        const length = batch.types.length
        if (batch.firstSeq + length - 1 <= afterSeq) continue
        for (let i = Math.max(0, afterSeq - batch.firstSeq + 1); i < length && selected.length < limit; i++)
          selected.push(eventOut(batch, i))
      }
      return selected
    },

    async acquire(id: string, options: LeaseOptions) {
      open()
      const entry = runs.get(id)
      if (!entry || !isLeasable(entry.stored, options.now)) return undefined
      return grantLease(entry.stored, options)
    },

    async claimDue(options: LeaseOptions & { limit: number }) {
      open()
      const due = [...runs.values()]
        .map((entry) => entry.stored)
        .filter((stored) => isDue(stored, options.now))
        .sort((a, b) => a.record.resumeAt!.getTime() - b.record.resumeAt!.getTime())
        .slice(0, options.limit)
      return due.map((stored) => grantLease(stored, options))
    },

    async renew(lease: Lease, options: LeaseOptions) {
      open()
      const stored = runs.get(lease.runId)?.stored
      assertCurrentLease(stored, lease)
      return renewLease(stored, lease, options)
    },

    async save(lease: Lease, update: RunUpdate) {
      open()
      const entry = runs.get(lease.runId)
      assertCurrentLease(entry?.stored, lease)
      // One copier for the whole update: a finished run's output is also in its machine and its last events.
      const copier = createSharingCopier()
      const output = update.output !== undefined ? copier.copyAndKeep(update.output) : undefined
      applyUpdate(entry!.stored, {
        status: update.status,
        machine: copier.copy(update.machine),
        resumeAt: copyDate(update.resumeAt),
        ...(output !== undefined ? { output } : {}),
        ...(update.error !== undefined ? { error: copyJson(update.error) } : {}),
        events: [],
        now: new Date(update.now.getTime()),
      })
      appendEvents(entry!, update.events, copier)
      const has = (id: string) => outbox.has(outboxKey(lease.runId, id))
      for (const stored of newStoredItems(lease.runId, update.outbox, update.now, has))
        outbox.set(outboxKey(lease.runId, stored.id), stored)
      const parentId = parentToWake(entry!.stored, update)
      if (parentId !== undefined) wakeParent(runs.get(parentId)?.stored, update.now)
      return recordOf(entry!)
    },

    async putWorkflowVersion(version: string, definition: unknown) {
      open()
      if (!workflowVersions.has(version)) workflowVersions.set(version, copyJson(definition))
    },

    async getWorkflowVersion(version: string) {
      open()
      return copyJson(workflowVersions.get(version))
    },

    async release(lease: Lease) {
      open()
      releaseLease(runs.get(lease.runId)?.stored, lease)
    },

    async requestCancel(id: string, now: Date) {
      open()
      const entry = runs.get(id)
      if (!entry) return undefined
      markCancelRequested(entry.stored, new Date(now.getTime()))
      return recordOf(entry)
    },

    async claimOutbox(options: OutboxClaimOptions) {
      open()
      return claimStoredItems(outbox.values(), options)
    },

    async settleOutbox(claim: OutboxClaim, outcome: OutboxOutcome) {
      open()
      return settleStoredOutbox(outbox.get(outboxKey(claim.runId, claim.id)), claim, outcome)
    },

    async outbox(runId: string) {
      open()
      return [...outbox.values()].filter((stored) => stored.runId === runId).map(outboxEntryOf)
    },

    async pruneOutbox(options: OutboxPruneOptions) {
      open()
      const pruned = prunableItems(outbox.values(), options, options.limit)
      for (const stored of pruned) outbox.delete(outboxKey(stored.runId, stored.id))
      return pruned.length
    },

    async close() {
      closed = true
    },
  }
}

/** An outbox item's id is unique within its run (OutboxItem.id). */
function outboxKey(runId: string, id: string): string {
  return `${runId}\u0000${id}`
}

/** One run as kept here (nothing in it is shared with a caller); its history is a list of batches, one per create/save. */
interface Entry {
  stored: StoredRun
  batches: EventBatch[]
}

/**
 * The events of one save, numbered on the way out (firstSeq, firstSeq + 1, …): a save appends without touching each.
 * Kept by column rather than as one object per event: a long run's history is most of what this store holds, and
 * every object kept alive is work for the garbage collector each time it runs (it was ~40% of a warm Pass chain).
 */
interface EventBatch {
  firstSeq: number
  ats: string[]
  types: string[]
  states: Array<string | undefined>
  /**
   * The detail, taken apart when it has one of the engine's usual shapes — `{ [key]: value }`, `{ [key]: value, frame }`
   * or `{ frame }` (the id of a branch or item frame, added last) — so that no wrapper object is kept for it: the key
   * here (FRAME_ONLY for `{ frame }`), the value's copy in `details`, the frame id in `frames`. Undefined: `details`
   * holds the whole detail's copy (or nothing).
   */
  detailKeys: Array<string | typeof FRAME_ONLY | undefined>
  /** Copies (shared where the events named one object: never mutated, copied again on the way out). */
  details: unknown[]
  frames: Array<string | undefined>
  /** Events of any other shape than the engine's, by index, copied whole (their columns above are unused). */
  others?: Map<number, NewHistoryEvent>
}

const FRAME_ONLY = Symbol('frame only')

function appendEvents(entry: Entry, events: NewHistoryEvent[], copier: SharingCopier): void {
  if (events.length === 0) return
  entry.batches.push(eventBatch(entry.stored.lastSeq + 1, events, copier))
  entry.stored.lastSeq += events.length
}

function eventBatch(firstSeq: number, events: NewHistoryEvent[], copier: SharingCopier): EventBatch {
  const length = events.length
  const batch: EventBatch = {
    firstSeq,
    ats: new Array(length),
    types: new Array(length),
    states: new Array(length),
    detailKeys: new Array(length),
    details: new Array(length),
    frames: new Array(length),
  }
  for (let i = 0; i < length; i++) {
    const event = events[i]!
    if (isPlainEvent(event)) {
      batch.ats[i] = event.at
      batch.types[i] = event.type
      batch.states[i] = event.state
      if (!takeDetailApart(batch, i, event.detail, copier)) batch.details[i] = copier.copy(event.detail)
    } else {
      ;(batch.others ??= new Map()).set(i, copyJson(event))
    }
  }
  return batch
}

/** Keeps a detail of one of the usual shapes by its parts (see EventBatch.detailKeys); false for any other. */
function takeDetailApart(batch: EventBatch, index: number, detail: unknown, copier: SharingCopier): boolean {
  if (typeof detail !== 'object' || detail === null || Object.getPrototypeOf(detail) !== Object.prototype) return false
  let key: string | undefined
  let frame: unknown
  let members = 0
  for (const member in detail) {
    members += 1
    if (members === 1) key = member
    else if (members === 2 && member === 'frame') frame = (detail as { frame: unknown }).frame
    else return false
  }
  if (members === 1 && key === 'frame') {
    frame = (detail as { frame: unknown }).frame
    key = undefined
  } else if (members === 0 || key === 'frame' || key === 'toJSON' || key === '__proto__') {
    return false
  }
  if (frame !== undefined && typeof frame !== 'string') return false
  if (key === undefined) {
    batch.detailKeys[index] = FRAME_ONLY
  } else {
    // A member JSON would drop leaves `{}` or `{ frame }`: not a usual shape, kept whole.
    const value = copier.copyMember((detail as Record<string, unknown>)[key])
    if (value === undefined) return false
    batch.detailKeys[index] = key
    batch.details[index] = value
  }
  batch.frames[index] = frame as string | undefined
  return true
}

/**
 * An event of the shape the engine writes ({ at, type, state?, detail? }, strings but the detail) is kept by column,
 * its detail copied; any other shape takes copyJson whole, so what comes out always has the members a JSON round
 * trip would give.
 */
function isPlainEvent(event: NewHistoryEvent): boolean {
  if (
    typeof event.at !== 'string' ||
    typeof event.type !== 'string' ||
    (event.state !== undefined && typeof event.state !== 'string')
  )
    return false
  if (Object.getPrototypeOf(event) !== Object.prototype) return false
  for (const key in event) if (key !== 'at' && key !== 'type' && key !== 'state' && key !== 'detail') return false
  return true
}

/** An event copied field by field when it has the engine's shape (as the columns give it back), else by copyJson. */
function copyEvent(event: NewHistoryEvent): NewHistoryEvent {
  if (!isPlainEvent(event)) return copyJson(event)
  const copy: NewHistoryEvent = { at: event.at, type: event.type }
  if (event.state !== undefined) copy.state = event.state
  const detail = copyJson(event.detail)
  if (detail !== undefined) copy.detail = detail
  return copy
}

/** A fresh copy of one stored event, with its number. */
function eventOut(batch: EventBatch, index: number): HistoryEvent {
  const seq = batch.firstSeq + index
  const other = batch.others?.get(index)
  if (other !== undefined) return { ...copyEvent(other), seq }
  const event = { at: batch.ats[index]!, type: batch.types[index]! } as HistoryEvent
  const state = batch.states[index]
  if (state !== undefined) event.state = state
  const key = batch.detailKeys[index]
  if (key === undefined) {
    const detail = copyJson(batch.details[index])
    if (detail !== undefined) event.detail = detail
  } else {
    const detail: Record<string, unknown> = {}
    if (key !== FRAME_ONLY) detail[key] = copyJson(batch.details[index])
    const frame = batch.frames[index]
    if (frame !== undefined) detail.frame = frame
    event.detail = detail
  }
  event.seq = seq
  return event
}

/** A fresh record for a caller. */
function recordOf(entry: Entry): RunRecord {
  const record = entry.stored.record
  const copy: RunRecord = {
    ...record,
    input: copyJson(record.input),
    machine: copyJson(record.machine),
    historyLength: entry.stored.lastSeq,
  }
  return copyRest(record, copy)
}

/** A list entry: the record without its machine and input (never copied for it). */
function summaryOf(record: RunRecord): RunSummary {
  const { machine: _machine, input: _input, ...summary } = record
  return copyRest(record, summary)
}

function copyRest<T extends RunSummary>(record: RunRecord, copy: T): T {
  copy.resumeAt = copyDate(record.resumeAt)
  copy.createdAt = new Date(record.createdAt.getTime())
  copy.updatedAt = new Date(record.updatedAt.getTime())
  if (record.output !== undefined) copy.output = copyJson(record.output)
  if (record.error !== undefined) copy.error = copyJson(record.error)
  return copy
}

function copyDate(date: Date | null): Date | null {
  return date === null ? null : new Date(date.getTime())
}
