import { describe, expect, it } from 'vitest'
import { CtyunConfigError } from '../ctyun/errors'
import { resolveCtyunConfig } from './ctyun-config'

const AK = 'a'.repeat(32)
const SK = 'b'.repeat(32)

function configError(env: Record<string, string>): CtyunConfigError {
  try {
    resolveCtyunConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(CtyunConfigError)
    return error as CtyunConfigError
  }
  throw new Error('expected CtyunConfigError')
}

describe('resolveCtyunConfig', () => {
  it('uses the embedded simulator when neither credentials nor an endpoint are set', () => {
    const config = resolveCtyunConfig({})
    expect(config).toMatchObject({
      useEmbeddedSimulator: true,
      credentials: undefined,
      timeoutMs: 15_000,
      retries: 3,
      timeZone: 'beijing',
    })
    expect(config.endpoints.ebs).toBe('https://ebs-global.ctapi.ctyun.cn')
  })

  it('talks to the real cloud with both keys', () => {
    const config = resolveCtyunConfig({ CTYUN_AK: AK, CTYUN_SK: SK })
    expect(config).toMatchObject({ useEmbeddedSimulator: false, credentials: { accessKey: AK, secretKey: SK } })
    expect(config.endpoints.vpc).toBe('https://ctvpc-global.ctapi.ctyun.cn')
  })

  it('points every service at CTYUN_ENDPOINT and lets CTYUN_ENDPOINT_<SERVICE> override one', () => {
    const config = resolveCtyunConfig({
      CTYUN_AK: 'sim-ak',
      CTYUN_SK: 'sim-sk',
      CTYUN_ENDPOINT: 'http://127.0.0.1:4010/',
      CTYUN_ENDPOINT_EBS: 'http://proxy:8080/ebs',
    })
    expect(config.endpoints).toEqual({
      ecs: 'http://127.0.0.1:4010',
      ebs: 'http://proxy:8080/ebs',
      image: 'http://127.0.0.1:4010',
      vpc: 'http://127.0.0.1:4010',
      cbr: 'http://127.0.0.1:4010',
      cda: 'http://127.0.0.1:4010',
    })
    expect(config.endpointsOverridden).toBe(true)
  })

  it.each([
    [{ CTYUN_AK: AK }, 'CTYUN_SK'],
    [{ CTYUN_SK: SK }, 'CTYUN_AK'],
  ])('names the missing half of the key pair', (env, missing) => {
    const error = configError(env)
    expect(error.setting).toBe(missing)
    expect(error.message).toContain('CTYUN_AK')
    expect(error.message).toContain('CTYUN_SK')
  })

  it('refuses a real endpoint without credentials, naming CTYUN_AK and CTYUN_SK', () => {
    const error = configError({ CTYUN_ENDPOINT_ECS: 'https://ctecs-global.ctapi.ctyun.cn' })
    expect(error.message).toMatch(/CTYUN_AK and CTYUN_SK/)
  })

  it('rejects keys of the wrong shape for the real cloud without echoing them', () => {
    const error = configError({ CTYUN_AK: 'short-secret-ak', CTYUN_SK: SK })
    expect(error.message).toContain('CTYUN_AK has the wrong shape')
    expect(error.message).toContain('15')
    expect(error.message).not.toContain('short-secret-ak')
  })

  it('rejects keys with inner spaces anywhere', () => {
    expect(configError({ CTYUN_AK: 'sim ak', CTYUN_SK: 'sk', CTYUN_ENDPOINT: 'http://localhost:1' }).setting).toBe(
      'CTYUN_AK',
    )
  })

  it.each([
    [{ CTYUN_ENDPOINT: 'not a url' }, 'CTYUN_ENDPOINT'],
    [{ CTYUN_ENDPOINT_CBR: 'ftp://x' }, 'CTYUN_ENDPOINT_CBR'],
    [{ CTYUN_TIMEOUT_MS: '10s' }, 'CTYUN_TIMEOUT_MS'],
    [{ CTYUN_RETRIES: '-1' }, 'CTYUN_RETRIES'],
    [{ CTYUN_EOP_TIMEZONE: 'mars' }, 'CTYUN_EOP_TIMEZONE'],
  ])('names the bad setting %j', (env, setting) => {
    expect(configError(env as Record<string, string>).setting).toBe(setting)
  })

  it('reads timeouts, retries and the eop-date zone', () => {
    expect(
      resolveCtyunConfig({
        CTYUN_TIMEOUT_MS: '2500',
        CTYUN_RETRIES: '0',
        CTYUN_RETRY_BUDGET_MS: '9000',
        CTYUN_EOP_TIMEZONE: 'UTC',
      }),
    ).toMatchObject({
      timeoutMs: 2500,
      retries: 0,
      retryBudgetMs: 9000,
      timeZone: 'utc',
    })
  })

  it('reads CTYUN_MAX_RPS and CTYUN_THROTTLE_RETRIES, naming a bad value', () => {
    expect(resolveCtyunConfig({}).maxRps).toBeUndefined()
    expect(resolveCtyunConfig({}).throttleRetries).toBe(20)
    const config = resolveCtyunConfig({ CTYUN_MAX_RPS: '5,cbr=1', CTYUN_THROTTLE_RETRIES: '0' })
    expect(config.maxRps).toEqual({ all: 5, services: { cbr: 1 } })
    expect(config.throttleRetries).toBe(0)
    expect(configError({ CTYUN_MAX_RPS: 'lots' }).setting).toBe('CTYUN_MAX_RPS')
    expect(configError({ CTYUN_THROTTLE_RETRIES: '-2' }).setting).toBe('CTYUN_THROTTLE_RETRIES')
  })

  it('reads CTYUN_THROTTLE_CODES as a list that replaces the assumed default, and names a malformed entry', () => {
    expect(resolveCtyunConfig({}).throttleCodes).toEqual(['Openapi.RequestLimitExceeded'])
    expect(resolveCtyunConfig({ CTYUN_THROTTLE_CODES: '' }).throttleCodes).toEqual(['Openapi.RequestLimitExceeded'])
    expect(
      resolveCtyunConfig({ CTYUN_THROTTLE_CODES: 'Ecs.Busy, Openapi.Flow.Control CTIAM_0099' }).throttleCodes,
    ).toEqual(['Ecs.Busy', 'Openapi.Flow.Control', 'CTIAM_0099'])
    const error = configError({ CTYUN_THROTTLE_CODES: 'Ecs.Busy;rm -rf' })
    expect(error.setting).toBe('CTYUN_THROTTLE_CODES')
    expect(error.message).toMatch(/errorCodes/)
  })
})
