import { describe, expect, it } from 'vitest'
import { type FunctionsConfigError, loadFunctionsConfig } from './functions-config'

const SK = 'sk-secret-value-never-echoed'
const TOKEN = 'a-long-enough-api-token'

function failure(env: Record<string, string>): Error {
  try {
    loadFunctionsConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(Error)
    expect(String(error)).not.toContain(SK)
    return error as FunctionsConfigError
  }
  throw new Error('expected a FunctionsConfigError')
}

describe('loadFunctionsConfig', () => {
  it('defaults to the simulator, the .ctflow/ file store and no webhook secret or token', () => {
    expect(loadFunctionsConfig({})).toMatchObject({
      ctyun: { useEmbeddedSimulator: true, credentials: undefined },
      store: { target: { kind: 'file', path: '.ctflow/' } },
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
    expect(config).toMatchObject({
      ctyun: {
        useEmbeddedSimulator: false,
        credentials: { accessKey: 'ak', secretKey: SK },
        endpoints: { ebs: 'http://127.0.0.1:9000' },
      },
      store: { target: { kind: 'postgres', url: 'postgres://u:p@db/ctflow' } },
      webhookSecrets: ['whsec_new', 'whsec_old'],
      apiToken: TOKEN,
      maxBodyBytes: 1024,
    })
    expect(loadFunctionsConfig({ CTFLOW_STORE: 'memory' }).store.target).toEqual({ kind: 'memory' })
    expect(loadFunctionsConfig({ CTFLOW_STORE: '/tmp/runs' }).store.target).toEqual({ kind: 'file', path: '/tmp/runs' })
  })

  it('reports CTYUN_* and CTFLOW_STORE mistakes from the client and store configs, without secrets', () => {
    expect(failure({ CTYUN_SK: SK }).message).toMatch(/CTYUN_SK is set but CTYUN_AK is not/)
    expect(failure({ CTFLOW_STORE: 'mysql://root:pw@db' }).message).toMatch(/CTFLOW_STORE/)
  })

  it.each([
    [{ CTFLOW_API_TOKEN: 'short' }, /CTFLOW_API_TOKEN is shorter/],
    [{ CTFLOW_MAX_BODY_BYTES: '12kb' }, /CTFLOW_MAX_BODY_BYTES/],
  ])('names the variable to fix for %o', (env, message) => {
    const error = failure(env as Record<string, string>)
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain(':pw@')
  })
})
