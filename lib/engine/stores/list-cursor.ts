import type { RunRecord, RunSummary } from '../run'
import type { RunQuery } from './run-store'
import { InvalidCursorError } from './store-errors'

/**
 * The position after the last run of a `list` page. Runs are listed newest first, ties broken by id
 * (descending), so the order is total and a page never repeats or skips a run created in between.
 */
export interface ListPosition {
  createdAt: Date
  id: string
}

/** Encodes a position as an opaque, URL-safe token. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.getTime(), position.id]), 'utf8').toString('base64url')
}

/** Decodes a token from `encodeCursor`; anything else → InvalidCursorError. */
export function decodeCursor(cursor: string): ListPosition {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidCursorError()
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || !Number.isFinite(parsed[0]) || typeof parsed[1] !== 'string') {
    throw new InvalidCursorError()
  }
  return { createdAt: new Date(parsed[0] as number), id: parsed[1] }
}

/** True when `run` comes after `position` in list order (newest first, then id descending). */
export function isAfter(run: ListPosition, position: ListPosition): boolean {
  const a = run.createdAt.getTime()
  const b = position.createdAt.getTime()
  return a < b || (a === b && run.id < position.id)
}

/** Sort comparator for list order: newest first, then id descending. */
export function compareListOrder(a: ListPosition, b: ListPosition): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime()
  if (byTime !== 0) return byTime
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

export const DEFAULT_LIST_LIMIT = 50
export const MAX_LIST_LIMIT = 1000

/** Clamps a caller's limit into 1…MAX_LIST_LIMIT. */
export function listLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit: expected a positive integer, got ${limit}`)
  return Math.min(limit, MAX_LIST_LIMIT)
}

/**
 * One `list` page over records held in full (memory and file stores; PostgreSQL does this in SQL): the query's
 * filters, list order, the cursor, the limit, and the next cursor when more remain. Checks limit and cursor first.
 */
export function listPage(
  query: RunQuery,
  records: () => Iterable<RunRecord>,
  toSummary: (record: RunRecord) => RunSummary,
): { runs: RunSummary[]; nextCursor?: string } {
  const limit = listLimit(query.limit)
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
  const matching = [...records()]
    .filter((record) => record.parentId === query.parentId)
    .filter((record) => query.workflow === undefined || record.workflow === query.workflow)
    .filter((record) => query.status === undefined || record.status === query.status)
    .filter((record) => after === undefined || isAfter(record, after))
    .sort(compareListOrder)
  const page = matching.slice(0, limit)
  const last = page.at(-1)
  return {
    runs: page.map(toSummary),
    ...(matching.length > limit && last ? { nextCursor: encodeCursor(last) } : {}),
  }
}
