/**
 * Pagination as async iterators, in the two styles CTyun uses (shared/ctyun-api.md §4): `pageNo`/`pageSize`
 * (1-based, totals in `totalCount`/`totalPage` or per-API names) and `maxResults`/`nextToken`.
 */

export interface NumberedPage<T> {
  items: readonly T[]
  /** Total items across pages, when the API says (e.g. `totalCount`, `backupPolicyTotal`). */
  totalCount?: number
  totalPage?: number
}

/** A number from a reply field that may be a number or a numeric string; undefined otherwise. */
export function countOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value)
  return undefined
}

/**
 * Walks `pageNo` = 1, 2, … and yields items. Stops on an empty page, a short page, `totalCount` reached,
 * `totalPage` reached, or `maxPages` (a guard against a server that never ends) — like TF's RollingPage.
 * @example for await (const disk of paginateByPageNo((pageNo) => fetchPage(pageNo), { pageSize: 50 })) …
 */
export async function* paginateByPageNo<T>(
  fetchPage: (pageNo: number, pageSize: number) => Promise<NumberedPage<T>>,
  { pageSize, startPage = 1, maxPages = 10_000 }: { pageSize: number; startPage?: number; maxPages?: number },
): AsyncGenerator<T, void, undefined> {
  let seen = 0
  for (let pageNo = startPage, pages = 0; pages < maxPages; pageNo++, pages++) {
    const page = await fetchPage(pageNo, pageSize)
    for (const item of page.items) yield item
    seen += page.items.length
    if (page.items.length === 0 || page.items.length < pageSize) return
    if (page.totalCount !== undefined && seen >= page.totalCount) return
    if (page.totalPage !== undefined && pageNo >= page.totalPage) return
  }
}

export interface TokenPage<T> {
  items: readonly T[]
  nextToken?: string | null
}

/**
 * Follows `nextToken` until the server stops returning one (or returns the same token twice).
 * @example for await (const snap of paginateByToken((token) => fetchPage(token))) …
 */
export async function* paginateByToken<T>(
  fetchPage: (nextToken: string | undefined) => Promise<TokenPage<T>>,
  { maxPages = 10_000 }: { maxPages?: number } = {},
): AsyncGenerator<T, void, undefined> {
  let token: string | undefined
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetchPage(token)
    for (const item of page.items) yield item
    const next = page.nextToken || undefined
    if (!next || next === token) return
    token = next
  }
}

/** Collects an async iterator into an array (for small lists; stop early with `limit`). */
export async function collect<T>(iterable: AsyncIterable<T>, limit = Number.POSITIVE_INFINITY): Promise<T[]> {
  const items: T[] = []
  if (limit <= 0) return items
  for await (const item of iterable) {
    items.push(item)
    if (items.length >= limit) break
  }
  return items
}
