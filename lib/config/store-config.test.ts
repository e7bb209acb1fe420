import { describe, expect, it } from 'vitest'
import { DEFAULT_STORE_PATH, loadStoreConfig, parseStoreSetting, StoreConfigError } from './store-config'

describe('store config', () => {
  it('defaults to the .ctflow/ directory when CTFLOW_STORE is unset or blank', () => {
    expect(loadStoreConfig({})).toEqual({ target: { kind: 'file', path: DEFAULT_STORE_PATH } })
    expect(parseStoreSetting('  ')).toEqual({ kind: 'file', path: '.ctflow/' })
  })

  it('reads memory, paths and PostgreSQL URLs', () => {
    expect(parseStoreSetting('memory')).toEqual({ kind: 'memory' })
    expect(parseStoreSetting('/var/lib/ctflow')).toEqual({ kind: 'file', path: '/var/lib/ctflow' })
    expect(parseStoreSetting('postgresql://u@db:5432/ctflow')).toEqual({
      kind: 'postgres',
      url: 'postgresql://u@db:5432/ctflow',
    })
  })

  it('reads the pool size and schema', () => {
    expect(
      loadStoreConfig({
        CTFLOW_STORE: 'postgres://u@db/x',
        CTFLOW_STORE_POOL_MAX: '2',
        CTFLOW_STORE_SCHEMA: 'ctflow_prod',
      }),
    ).toEqual({
      target: { kind: 'postgres', url: 'postgres://u@db/x' },
      poolMax: 2,
      schema: 'ctflow_prod',
    })
  })

  it.each([
    [{ CTFLOW_STORE: 'redis://:pw-secret@cache' }, /CTFLOW_STORE has an unsupported scheme "redis"/],
    [{ CTFLOW_STORE: 'postgres://u:pw-secret@[bad/x' }, /CTFLOW_STORE is not a valid PostgreSQL URL/],
    [{ CTFLOW_STORE_POOL_MAX: 'lots' }, /CTFLOW_STORE_POOL_MAX must be a whole number/],
    [{ CTFLOW_STORE_POOL_MAX: '0' }, /CTFLOW_STORE_POOL_MAX/],
    [{ CTFLOW_STORE_SCHEMA: 'Robert"; DROP' }, /CTFLOW_STORE_SCHEMA must be a lower-case SQL identifier/],
  ])('refuses %j naming the variable, never the password', (env, expected) => {
    const error = (() => {
      try {
        loadStoreConfig(env)
      } catch (e) {
        return e as Error
      }
      throw new Error('expected an error')
    })()
    expect(error).toBeInstanceOf(StoreConfigError)
    expect(error.message).toMatch(expected)
    expect(error.message).not.toContain('pw-secret')
  })
})
