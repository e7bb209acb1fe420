import { describe, expect, it } from 'vitest'
import { CtyunPagingError } from './errors'
import {
  collect,
  paginateByPageNo,
  paginateByToken,
  paginateByTotal,
  type NumberedPage,
  type PagingEnd,
} from './paginate'

/** Drains a walk, keeping what it yielded and how it ended. */
async function drain<T>(walk: AsyncGenerator<T, PagingEnd, undefined>): Promise<{ items: T[]; end: PagingEnd }> {
  const items: T[] = []
  for (;;) {
    const next = await walk.next()
    if (next.done) return { items, end: next.value }
    items.push(next.value)
  }
}

describe('paginateByPageNo', () => {
  it('walks pages until totalCount is reached', async () => {
    const asked: number[] = []
    const items = await collect(
      paginateByPageNo(
        async (pageNo, size) => {
          asked.push(pageNo)
          return {
            items: Array.from({ length: size }, (_, i) => (pageNo - 1) * size + i),
            totalCount: '4' as unknown as number,
          }
        },
        { pageSize: 2 },
      ),
    )
    expect(items).toEqual([0, 1, 2, 3])
    expect(asked).toEqual([1, 2])
  })

  it('stops on a short page, an empty page, or totalPage', async () => {
    const short = await collect(
      paginateByPageNo(async (pageNo) => ({ items: pageNo === 1 ? ['a', 'b'] : ['c'] }), { pageSize: 2 }),
    )
    expect(short).toEqual(['a', 'b', 'c'])
    const byTotalPage = await collect(
      paginateByPageNo(async () => ({ items: ['x', 'y'], totalPage: 2 }), { pageSize: 2 }),
    )
    expect(byTotalPage).toEqual(['x', 'y', 'x', 'y'])
  })

  it('stops early when the consumer stops', async () => {
    let calls = 0
    const first = await collect(
      paginateByPageNo(async () => (calls++, { items: [1, 2] }), { pageSize: 2 }),
      1,
    )
    expect(first).toEqual([1])
    expect(calls).toBe(1)
  })
})

describe('paginateByToken', () => {
  it('follows nextToken and stops when it is missing or repeats', async () => {
    const seen: (string | undefined)[] = []
    const pages: Record<string, { items: number[]; nextToken?: string }> = {
      start: { items: [1], nextToken: 't1' },
      t1: { items: [2], nextToken: 't2' },
      t2: { items: [3] },
    }
    const items = await collect(paginateByToken(async (token) => (seen.push(token), pages[token ?? 'start']!)))
    expect(items).toEqual([1, 2, 3])
    expect(seen).toEqual([undefined, 't1', 't2'])
    const looping = await collect(paginateByToken(async () => ({ items: [0], nextToken: 'same' })))
    expect(looping).toEqual([0, 0])
  })

  it('with idOf, drops repeats and ends on a page with nothing new', async () => {
    let calls = 0
    const items = await collect(
      paginateByToken(async (token) => (calls++, { items: token ? ['b', 'a'] : ['a', 'b'], nextToken: `t${calls}` }), {
        idOf: (id) => id,
      }),
    )
    expect([items, calls]).toEqual([['a', 'b'], 2])
  })
})

describe('paginateByTotal (paging the server may not honour, shared/ctyun-api.md §8.4)', () => {
  const ids = Array.from({ length: 25 }, (_, i) => `id-${i}`)
  /** A server that pages by its own size (10), whatever size is asked for. */
  const ownSize =
    (size = 10) =>
    async (pageNo: number): Promise<NumberedPage<string>> => ({
      items: ids.slice((pageNo - 1) * size, pageNo * size),
      totalCount: ids.length,
    })

  it('reads past a short page until the reported total', async () => {
    const asked: number[] = []
    const { items, end } = await drain(
      paginateByTotal(async (pageNo, size) => (asked.push(size), ownSize()(pageNo)), {
        pageSize: 50,
        idOf: (id) => id,
      }),
    )
    expect(items).toEqual(ids)
    expect(end).toEqual({ complete: true, pages: 3 })
    expect(asked).toEqual([50, 50, 50])
  })

  it('drops repeats by id (overlapping pages) and still reaches the total', async () => {
    const overlapping = async (pageNo: number) => ({
      items: ids.slice(Math.max(0, (pageNo - 1) * 10 - 2), pageNo * 10),
      totalCount: 25,
    })
    expect((await drain(paginateByTotal(overlapping, { pageSize: 10, idOf: (id) => id }))).items).toEqual(ids)
  })

  it('stops on a page with nothing new (a server that ignores pageNo) and on an empty page', async () => {
    let calls = 0
    const firstPageOnly = await drain(
      paginateByTotal(async () => (calls++, { items: ids.slice(0, 10), totalCount: 25 }), {
        pageSize: 10,
        idOf: (id) => id,
      }),
    )
    expect([firstPageOnly.items.length, firstPageOnly.end.complete, calls]).toEqual([10, true, 2])
    const noTotal = await drain(
      paginateByTotal(async (pageNo) => ({ items: pageNo < 3 ? [`a${pageNo}`] : [] }), {
        pageSize: 10,
        idOf: (id) => id,
      }),
    )
    expect(noTotal.items).toEqual(['a1', 'a2'])
  })

  it('throws past the page cap when a server keeps inventing items, and stops incomplete at a budget', async () => {
    const endless = async (pageNo: number) => ({ items: [`x${pageNo}`] })
    await expect(
      drain(
        paginateByTotal(endless, {
          pageSize: 1,
          idOf: (id) => id,
          maxPages: 5,
          what: 'GET /v4/backup/query-task-backup',
        }),
      ),
    ).rejects.toThrow(CtyunPagingError)
    await expect(drain(paginateByTotal(endless, { pageSize: 1, idOf: (id) => id, maxPages: 5 }))).rejects.toThrow(
      /5 pages read, 5 distinct items, no total reported/,
    )
    expect((await drain(paginateByTotal(endless, { pageSize: 1, idOf: (id) => id, budget: () => 2 }))).end).toEqual({
      complete: false,
      pages: 2,
    })
  })
})
