import { describe, expect, it } from 'vitest'
import { createLazyLogContext, createLogContext, findAsyncLocalStorage } from './log-context'

describe('log context', () => {
  it('finds AsyncLocalStorage on Node and keeps each concurrent scope its own', async () => {
    const Storage = findAsyncLocalStorage()
    expect(Storage).toBeDefined()
    const context = createLogContext(Storage)
    const seen: unknown[] = []
    const task = (state: string, ticks: number) =>
      context.run({ fields: { state } }, async () => {
        for (let i = 0; i < ticks; i++) await Promise.resolve()
        seen.push([state, context.current()?.fields.state, context.current()?.fields.awsRequestId])
      })
    await context.run({ fields: { awsRequestId: 'req-1' } }, () => Promise.all([task('A', 3), task('B', 1)]))
    expect(seen).toEqual([
      ['B', 'B', 'req-1'],
      ['A', 'A', 'req-1'],
    ])
    expect(context.current()).toBeUndefined()
  })

  it('lazily: looks for AsyncLocalStorage only when the first scope runs, then tracks scopes as the eager one does', async () => {
    let looked = 0
    const context = createLazyLogContext(() => {
      looked += 1
      return findAsyncLocalStorage()
    })
    expect(context.current()).toBeUndefined()
    expect(looked).toBe(0)
    const seen: unknown[] = []
    await context.run({ fields: { awsRequestId: 'req-3' } }, async () => {
      await Promise.resolve()
      await context.run({ fields: { state: 'A' } }, async () => {
        await Promise.resolve()
        seen.push(context.current()?.fields)
      })
    })
    expect(seen).toEqual([{ awsRequestId: 'req-3', state: 'A' }])
    expect(context.tracksAsync).toBe(true)
    expect(looked).toBe(1)
    expect(context.current()).toBeUndefined()
  })

  it('without AsyncLocalStorage keeps the outermost scope while it runs, and no nested one', async () => {
    const context = createLogContext(undefined)
    expect(context.tracksAsync).toBe(false)
    let inner: unknown
    await context.run({ fields: { awsRequestId: 'req-2' } }, async () => {
      await Promise.resolve()
      await context.run({ fields: { state: 'A' } }, async () => {
        inner = context.current()?.fields
      })
    })
    expect(inner).toEqual({ awsRequestId: 'req-2' })
    expect(context.current()).toBeUndefined()
  })

  it('without AsyncLocalStorage clears the scope after a throw', () => {
    const context = createLogContext(undefined)
    expect(() =>
      context.run({ fields: { awsRequestId: 'r' } }, () => {
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(context.current()).toBeUndefined()
  })
})
