import { describe, expect, it } from 'vitest'
import { collect, paginateByPageNo, paginateByToken } from './paginate'

describe('paginateByPageNo', () => {
  it('walks pages until totalCount is reached', async () => {
    const asked: number[] = []
    const items = await collect(paginateByPageNo(async (pageNo, size) => {
      asked.push(pageNo)
      return { items: Array.from({ length: size }, (_, i) => (pageNo - 1) * size + i), totalCount: '4' as unknown as number }
    }, { pageSize: 2 }))
    expect(items).toEqual([0, 1, 2, 3])
    expect(asked).toEqual([1, 2])
  })

  it('stops on a short page, an empty page, or totalPage', async () => {
    const short = await collect(paginateByPageNo(async (pageNo) => ({ items: pageNo === 1 ? ['a', 'b'] : ['c'] }), { pageSize: 2 }))
    expect(short).toEqual(['a', 'b', 'c'])
    const byTotalPage = await collect(paginateByPageNo(async () => ({ items: ['x', 'y'], totalPage: 2 }), { pageSize: 2 }))
    expect(byTotalPage).toEqual(['x', 'y', 'x', 'y'])
  })

  it('stops early when the consumer stops', async () => {
    let calls = 0
    const first = await collect(paginateByPageNo(async () => (calls++, { items: [1, 2] }), { pageSize: 2 }), 1)
    expect(first).toEqual([1])
    expect(calls).toBe(1)
  })
})

describe('paginateByToken', () => {
  it('follows nextToken and stops when it is missing or repeats', async () => {
    const seen: (string | undefined)[] = []
    const pages: Record<string, { items: number[]; nextToken?: string }> = { start: { items: [1], nextToken: 't1' }, t1: { items: [2], nextToken: 't2' }, t2: { items: [3] } }
    const items = await collect(paginateByToken(async (token) => (seen.push(token), pages[token ?? 'start']!)))
    expect(items).toEqual([1, 2, 3])
    expect(seen).toEqual([undefined, 't1', 't2'])
    const looping = await collect(paginateByToken(async () => ({ items: [0], nextToken: 'same' })))
    expect(looping).toEqual([0, 0])
  })
})
