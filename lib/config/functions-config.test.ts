import { describe, expect, it } from 'vitest'
import { FunctionsConfigError, loadFunctionsConfig } from './functions-config'

const SK = 'sk-secret-value-never-echoed'
const TOKEN = 'a-long-enough-api-token'

function failure(env: Record<string, string>): FunctionsConfigError {
  try {
    loadFunctionsConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(FunctionsConfigError)
    expect(String(error)).not.toContain(SK)
    return error as FunctionsConfigError
  }
  throw new Error('expected a FunctionsConfigError')
}

describe('loadFunctionsConfig', () => {
  it('defaults to the simulator, the .ctflow/ file store and no webhook secret or token', () => {
    expect(loadFunctionsConfig({})).toEqual({
      ctyun: { kind: 'simulator' },
      store: { kind: 'file', path: '.ctflow/' },
      webhookSecrets: [],
      apiToken: undefined,
      maxBodyBytes: 262_144,
    })
  })

  it('reads cloud keys, endpoint, store, secrets for rotation and the token', () => {
    const config = loadFunctionsConfig({
      CTYUN_AK: 'ak',
      CTYUN_SK: SK,
      CTYUN_ENDPOINT: 'http://127.0.0.1:9000',
      CTFLOW_STORE: 'postgres://u:p@db/ctflow',
      CTFLOW_WEBHOOK_SECRET: 'whsec_new, whsec_old',
      CTFLOW_API_TOKEN: TOKEN,
      CTFLOW_MAX_BODY_BYTES: '1024',
    })
    expect(config).toEqual({
      ctyun: { kind: 'cloud', accessKey: 'ak', secretKey: SK, endpoint: 'http://127.0.0.1:9000' },
      store: { kind: 'postgres', url: 'postgres://u:p@db/ctflow' },
      webhookSecrets: ['whsec_new', 'whsec_old'],
      apiToken: TOKEN,
      maxBodyBytes: 1024,
    })
    expect(loadFunctionsConfig({ CTFLOW_STORE: 'memory' }).store).toEqual({ kind: 'memory' })
    expect(loadFunctionsConfig({ CTFLOW_STORE: '/tmp/runs' }).store).toEqual({ kind: 'file', path: '/tmp/runs' })
  })

  it.each([
    [{ CTYUN_SK: SK }, /CTYUN_SK is set but CTYUN_AK is not/],
    [{ CTYUN_AK: 'ak' }, /CTYUN_AK is set but CTYUN_SK is not/],
    [{ CTYUN_ENDPOINT: 'http://x' }, /CTYUN_ENDPOINT is set/],
    [{ CTYUN_AK: 'ak', CTYUN_SK: SK, CTYUN_ENDPOINT: 'ftp://x' }, /CTYUN_ENDPOINT must be/],
    [{ CTFLOW_API_TOKEN: 'short' }, /CTFLOW_API_TOKEN is shorter/],
    [{ CTFLOW_STORE: 'mysql://root:pw@db' }, /CTFLOW_STORE has an unsupported scheme "mysql"/],
    [{ CTFLOW_MAX_BODY_BYTES: '12kb' }, /CTFLOW_MAX_BODY_BYTES/],
  ])('names the variable to fix for %o', (env, message) => {
    const error = failure(env as Record<string, string>)
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain(':pw@')
  })
})
