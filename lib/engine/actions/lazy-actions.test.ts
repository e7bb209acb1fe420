import { describe, expect, it } from 'vitest'
import { registerLazyActions } from './lazy-actions'
import { createActionRegistry, defaultPollDelayMs, type ActionContext, type ActionRegistry } from './registry'

const context: ActionContext = {
  clientToken: 'token-1',
  runId: 'run-1',
  state: 'S',
  signal: new AbortController().signal,
  deadline: Date.now() + 10_000,
}

/** The real actions behind the lazy names: a greeting call and a build that waits through one pending probe. */
function realActions(): ActionRegistry {
  return createActionRegistry()
    .register('my:greet', { call: (input) => ({ greeting: `hello ${(input as { name: string }).name}` }) })
    .register('my:build', {
      start: (input, { clientToken }) => ({ build: (input as { id: string }).id, clientToken }),
      probe: (handle: { build: string }, { runId }) => ({
        state: 'done',
        status: 'built',
        value: { ...handle, runId },
      }),
      pollDelayMs: (polls) => polls * 7,
    })
}

function lazyRegistry(load: () => Promise<ActionRegistry> = async () => realActions()) {
  const loads: number[] = []
  const registry = registerLazyActions(createActionRegistry(), { 'my:greet': 'call', 'my:build': 'sync' }, async () => {
    loads.push(loads.length + 1)
    return load()
  })
  return { registry, loads }
}

describe('registerLazyActions', () => {
  it('knows every name and .sync form without loading anything', () => {
    const { registry, loads } = lazyRegistry()
    expect(registry.names()).toEqual(['my:build', 'my:build.sync', 'my:greet'])
    expect(registry.has('my:greet')).toBe(true)
    expect(registry.has('my:build.sync')).toBe(true)
    expect(registry.has('my:greet.sync')).toBe(false)
    expect(registry.has('my:other')).toBe(false)
    expect(loads).toEqual([])
  })

  it('loads the actions once, on the first call, and runs the loaded call, start, probe and poll schedule', async () => {
    const { registry, loads } = lazyRegistry()
    const greet = registry.resolve('my:greet')
    const build = registry.resolve('my:build.sync')
    if (greet?.kind !== 'call' || build?.kind !== 'sync') throw new Error('unexpected kinds')

    expect(await greet.call({ name: 'ada' }, context)).toEqual({ greeting: 'hello ada' })
    const handle = await build.start({ id: 'b-1' }, context)
    expect(handle).toEqual({ build: 'b-1', clientToken: 'token-1' })
    expect(await build.probe(handle, context)).toEqual({
      state: 'done',
      status: 'built',
      value: { build: 'b-1', clientToken: 'token-1', runId: 'run-1' },
    })
    expect(build.pollDelayMs(3)).toBe(21)
    expect(loads).toEqual([1])
  })

  it('runs the plain form of a waiting action as the loaded registry does (its start)', async () => {
    const plain = lazyRegistry().registry.resolve('my:build')
    if (plain?.kind !== 'call') throw new Error('the plain form of a start/probe action is a call')
    expect(await plain.call({ id: 'b-2' }, context)).toEqual({ build: 'b-2', clientToken: 'token-1' })
  })

  it('uses the default poll schedule until the actions are loaded', () => {
    const build = lazyRegistry().registry.resolve('my:build.sync')
    if (build?.kind !== 'sync') throw new Error('unexpected kind')
    expect(build.pollDelayMs(5)).toBe(defaultPollDelayMs(5))
  })

  it('tries loading again on the next call after a failed load', async () => {
    let failures = 1
    const { registry, loads } = lazyRegistry(async () => {
      if (failures-- > 0) throw new Error('chunk not readable')
      return realActions()
    })
    const greet = registry.resolve('my:greet')
    if (greet?.kind !== 'call') throw new Error('unexpected kind')
    await expect(greet.call({ name: 'ada' }, context)).rejects.toThrow('chunk not readable')
    expect(await greet.call({ name: 'ada' }, context)).toEqual({ greeting: 'hello ada' })
    expect(loads).toEqual([1, 2])
  })

  it('fails a call whose name the loaded actions do not have, naming it', async () => {
    const registry = registerLazyActions(
      createActionRegistry(),
      { 'my:missing': 'call', 'my:greet': 'sync' },
      async () => realActions(),
    )
    const missing = registry.resolve('my:missing')
    const notWaiting = registry.resolve('my:greet.sync')
    if (missing?.kind !== 'call' || notWaiting?.kind !== 'sync') throw new Error('unexpected kinds')
    await expect(missing.call({}, context)).rejects.toThrow('cannot run "my:missing"')
    await expect(Promise.resolve(notWaiting.start({}, context))).rejects.toThrow('cannot run "my:greet.sync"')
  })

  it("names what a loaded action threw with the loaded registry's error mappers", async () => {
    class QuotaError extends Error {}
    const registry = registerLazyActions(createActionRegistry(), { 'my:quota': 'call' }, async () =>
      createActionRegistry()
        .mapErrors((thrown) =>
          thrown instanceof QuotaError ? { error: 'My.Quota', cause: thrown.message } : undefined,
        )
        .register('my:quota', {
          call: () => {
            throw new QuotaError('over quota')
          },
        }),
    )
    const quota = registry.resolve('my:quota')
    if (quota?.kind !== 'call') throw new Error('unexpected kind')
    const thrown = await Promise.resolve(quota.call({}, context)).catch((error: unknown) => error)
    expect(registry.mapError(thrown)).toEqual({ error: 'My.Quota', cause: 'over quota' })
    expect(registry.mapError(new Error('not one of the loaded actions'))).toBeUndefined()
  })
})
