import type { HistoryEvent, RunRecord, RunStatus } from '../run'
import { CorruptRunFileError } from './store-errors'
import type { StoredOutbox } from './stored-outbox'
import type { StoredRun } from './stored-run'

/**
 * The JSON shape of one run file in the file store, and its strict reader. Only the store's own date fields are
 * revived; strings inside a run's input or machine stay strings.
 */
export interface RunFile extends StoredRun {
  format: 1
  /** Committed length of the run's history file: bytes past it were written by a save that never committed. */
  historyBytes: number
  /** The run's outbox items (RunUpdate.outbox), written with the save that made them; absent: none. */
  outbox?: StoredOutbox[]
}

const STATUSES: readonly RunStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']

export function encodeRunFile(run: RunFile): string {
  // historyLength is lastSeq (decodeRunFile puts it back): not kept twice.
  if (run.record.historyLength === undefined) return JSON.stringify(run)
  const { historyLength: _historyLength, ...record } = run.record
  return JSON.stringify({ ...run, record })
}

export function decodeRunFile(text: string, file: string, expectedId: string): RunFile {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new CorruptRunFileError(file, `not JSON (${(error as Error).message})`)
  }
  const fail = (what: string): never => {
    throw new CorruptRunFileError(file, what)
  }
  if (!isObject(raw)) return fail('not a JSON object')
  if (raw.format !== 1) return fail(`unknown format ${JSON.stringify(raw.format)} (a newer ctflow may have written it)`)
  const record = raw.record
  if (!isObject(record)) return fail('missing "record"')
  if (record.id !== expectedId) return fail(`record.id ${JSON.stringify(record.id)} does not match the file name`)
  if (typeof record.workflow !== 'string') return fail('record.workflow is not a string')
  if (!STATUSES.includes(record.status as RunStatus))
    return fail(`record.status ${JSON.stringify(record.status)} is not a run status`)
  if (typeof record.version !== 'number') return fail('record.version is not a number')
  if (typeof record.cancelRequested !== 'boolean') return fail('record.cancelRequested is not a boolean')
  if (!Number.isInteger(raw.lastToken) || !Number.isInteger(raw.lastSeq) || !Number.isInteger(raw.historyBytes)) {
    return fail('lastToken, lastSeq or historyBytes is not an integer')
  }
  if (raw.leaseAttempts !== undefined && !Number.isInteger(raw.leaseAttempts))
    return fail('leaseAttempts is not an integer')
  if (raw.outbox !== undefined && !(Array.isArray(raw.outbox) && raw.outbox.every(isStoredOutbox)))
    return fail('outbox is malformed')
  const lease = raw.lease
  if (lease !== null && !(isObject(lease) && typeof lease.owner === 'string' && Number.isInteger(lease.token))) {
    return fail('lease is malformed')
  }
  const revived = {
    ...record,
    resumeAt: record.resumeAt === null ? null : toDate(record.resumeAt, 'record.resumeAt', fail),
    createdAt: toDate(record.createdAt, 'record.createdAt', fail),
    updatedAt: toDate(record.updatedAt, 'record.updatedAt', fail),
    historyLength: raw.lastSeq,
  } as RunRecord
  return {
    format: 1,
    record: revived,
    lease:
      lease === null
        ? null
        : {
            owner: lease.owner as string,
            token: lease.token as number,
            expiresAt: toDate(lease.expiresAt, 'lease.expiresAt', fail),
          },
    lastToken: raw.lastToken as number,
    lastSeq: raw.lastSeq as number,
    historyBytes: raw.historyBytes as number,
    ...(raw.leaseAttempts !== undefined ? { leaseAttempts: raw.leaseAttempts as number } : {}),
    ...(raw.outbox !== undefined ? { outbox: raw.outbox as StoredOutbox[] } : {}),
  }
}

/** One line of a history file: one JSON object (see RunFile.historyBytes for which lines count). */
export function decodeHistoryLine(line: Buffer, file: string, number: number): HistoryEvent {
  try {
    return JSON.parse(line.toString('utf8')) as HistoryEvent
  } catch {
    throw new CorruptRunFileError(file, `line ${number} is not JSON`)
  }
}

export function encodeHistory(events: HistoryEvent[]): string {
  return events.map((event) => `${JSON.stringify(event)}\n`).join('')
}

function toDate(value: unknown, field: string, fail: (what: string) => never): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined
  if (!date || Number.isNaN(date.getTime())) return fail(`${field} is not a timestamp`)
  return date
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isStoredOutbox(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    typeof value.topic === 'string' &&
    typeof value.runId === 'string' &&
    (value.state === 'pending' || value.state === 'sent' || value.state === 'given-up') &&
    Number.isFinite(value.createdAt) &&
    Number.isFinite(value.notBefore) &&
    Number.isInteger(value.attempts)
  )
}
