import { describe, expect, it } from 'vitest'
import { createActionRegistry } from './registry'

describe('createActionRegistry', () => {
  it('resolves a call action, and a start/probe action both plain and .sync', async () => {
    const registry = createActionRegistry()
      .register('my:greet', { call: (input: any) => ({ hi: input.name }) })
      .register('my:build', { start: () => 'b-1', probe: () => ({ state: 'done', status: 'ok', value: 1 }) })
    expect(registry.names()).toEqual(['my:build', 'my:build.sync', 'my:greet'])
    const greet = registry.resolve('my:greet')
    expect(greet?.kind).toBe('call')
    if (greet?.kind === 'call') expect(await greet.call({ name: 'x' }, {} as never)).toEqual({ hi: 'x' })
    const plain = registry.resolve('my:build')
    if (plain?.kind === 'call') expect(await plain.call({}, {} as never)).toBe('b-1')
    expect(registry.resolve('my:build.sync')?.kind).toBe('sync')
    expect(registry.has('my:greet.sync')).toBe(false)
    expect(registry.has('nope')).toBe(false)
  })

  it('refuses duplicate names, .sync names and half-defined actions', () => {
    const registry = createActionRegistry().register('a', { call: () => 1 })
    expect(() => registry.register('a', { call: () => 2 })).toThrow(/already registered/)
    expect(() => registry.register('b.sync', { call: () => 2 })).toThrow(/\.sync/)
    expect(() => registry.register('c', { start: () => 1 } as never)).toThrow(/both start and probe/)
    expect(() => registry.register('d', {} as never)).toThrow(/needs call/)
  })

  it('asks its error mappers in the order they were added; the first answer names the error', () => {
    class BuildError extends Error {}
    const registry = createActionRegistry()
      .mapErrors((thrown) =>
        thrown instanceof BuildError ? { error: 'Build.Failed', cause: thrown.message } : undefined,
      )
      .mapErrors((thrown) => (thrown instanceof Error ? { error: 'Any.Error', cause: 'second' } : undefined))
    expect(registry.mapError(new BuildError('disk full'))).toEqual({ error: 'Build.Failed', cause: 'disk full' })
    expect(registry.mapError(new Error('x'))).toEqual({ error: 'Any.Error', cause: 'second' })
    expect(registry.mapError('a string')).toBeUndefined()
    expect(createActionRegistry().mapError(new BuildError('x'))).toBeUndefined()
    expect(() => registry.mapErrors('Build.Failed' as never)).toThrow(/takes a function/)
  })
})
