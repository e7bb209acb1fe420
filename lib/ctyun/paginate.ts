/**
 * Pagination as async iterators, in the two styles CTyun uses (shared/ctyun-api.md §4): `pageNo`/`pageSize`
 * (1-based, totals in `totalCount`/`totalPage` or per-API names) and `maxResults`/`nextToken` — plus a careful walk
 * for lists whose paging is not documented and so cannot be trusted (CBR, §8.4).
 */
import { CtyunPagingError } from './errors'

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

/** How a `paginateByTotal` walk ended: `complete` unless it stopped at its page budget. */
export interface PagingEnd {
  complete: boolean
  pages: number
}

/** The hard cap on pages of one walk: a server that keeps inventing items must not keep a run busy forever. */
export const MAX_PAGES = 1_000

/**
 * Walks `pageNo` = 1, 2, … over a list that does not document its paging (CBR's, shared/ctyun-api.md §8.4): the page
 * size asked for may be ignored, so a short page is no end marker. Items are told apart by `idOf` and repeats
 * dropped (undefined ids are never taken for repeats). Stops on an empty page, on a page with nothing new (a server
 * that ignores `pageNo` repeats itself), or once as many distinct items as the reported `totalCount` were seen (TF
 * RollingPage's rule); `totalPage`, when given, also ends it. `budget()` (asked before each page) stops it early,
 * incomplete; past `maxPages` it throws CtyunPagingError rather than loop. Returns how it ended.
 * @example for await (const task of paginateByTotal((pageNo, size) => fetch(pageNo, size), { pageSize: 50, idOf: (t) => t.backupTaskID })) …
 */
export async function* paginateByTotal<T>(
  fetchPage: (pageNo: number, pageSize: number) => Promise<NumberedPage<T>>,
  {
    pageSize,
    idOf,
    budget,
    maxPages = MAX_PAGES,
    what = 'list',
  }: {
    pageSize: number
    idOf: (item: T) => string | undefined
    budget?: () => number
    maxPages?: number
    what?: string
  },
): AsyncGenerator<T, PagingEnd, undefined> {
  const seen = new Set<string>()
  let total: number | undefined
  for (let pageNo = 1; ; pageNo++) {
    const pages = pageNo - 1
    if (budget && pages >= Math.max(1, budget())) return { complete: false, pages }
    if (pages >= maxPages) throw new CtyunPagingError({ what, pages, seen: seen.size, total })
    const page = await fetchPage(pageNo, pageSize)
    if (page.totalCount !== undefined) total = page.totalCount
    let fresh = 0
    for (const item of page.items) {
      const id = idOf(item)
      if (id !== undefined && id !== '') {
        if (seen.has(id)) continue
        seen.add(id)
      }
      fresh++
      yield item
    }
    if (page.items.length === 0 || fresh === 0) return { complete: true, pages: pageNo }
    if (total !== undefined && seen.size >= total) return { complete: true, pages: pageNo }
    if (page.totalPage !== undefined && pageNo >= page.totalPage) return { complete: true, pages: pageNo }
  }
}

export interface TokenPage<T> {
  items: readonly T[]
  nextToken?: string | null
}

/**
 * Follows `nextToken` until the server stops returning one (or returns the same token twice). With `idOf`, items
 * already seen are dropped and a page that brings nothing new ends the walk (a token that leads back, or a server
 * that ignores it: list-ebs-snap ignores `maxResults` without `nextToken`, shared/ctyun-api.md §8.7).
 * @example for await (const snap of paginateByToken((token) => fetchPage(token), { idOf: (s) => s.snapshotID })) …
 */
export async function* paginateByToken<T>(
  fetchPage: (nextToken: string | undefined) => Promise<TokenPage<T>>,
  { maxPages = 10_000, idOf }: { maxPages?: number; idOf?: (item: T) => string | undefined } = {},
): AsyncGenerator<T, void, undefined> {
  let token: string | undefined
  const seen = new Set<string>()
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetchPage(token)
    let fresh = 0
    for (const item of page.items) {
      const id = idOf?.(item)
      if (id !== undefined && id !== '') {
        if (seen.has(id)) continue
        seen.add(id)
      }
      fresh++
      yield item
    }
    const next = page.nextToken || undefined
    if (!next || next === token || (idOf && fresh === 0)) return
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
