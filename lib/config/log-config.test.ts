import { describe, expect, it } from 'vitest'
import { LogConfigError, loadLogConfig } from './log-config'

describe('loadLogConfig', () => {
  it('defaults to info when CTFLOW_LOG_LEVEL is unset or blank', () => {
    expect(loadLogConfig({})).toMatchObject({ level: 'info' })
    expect(loadLogConfig({ CTFLOW_LOG_LEVEL: '  ' })).toMatchObject({ level: 'info' })
  })

  it('accepts each level, in any case', () => {
    expect(loadLogConfig({ CTFLOW_LOG_LEVEL: 'DEBUG' })).toMatchObject({ level: 'debug' })
    expect(loadLogConfig({ CTFLOW_LOG_LEVEL: 'silent' })).toMatchObject({ level: 'silent' })
  })

  it('collects the secret values set, for the logger to mask', () => {
    const env = {
      CTYUN_AK: 'ak-0123456789',
      CTYUN_SK: 'sk-0123456789',
      CTFLOW_API_TOKEN: 'token-0123456789abcdef',
      CTFLOW_WEBHOOK_SECRET: 'whsec_one, whsec_two',
    }
    expect(loadLogConfig(env).secrets.sort()).toEqual(
      ['ak-0123456789', 'sk-0123456789', 'token-0123456789abcdef', 'whsec_one', 'whsec_two'].sort(),
    )
  })

  it("adds the robots' URLs and secrets of an inline CTFLOW_NOTIFY, and nothing from one it cannot read", () => {
    const notify = JSON.stringify([
      { type: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t0k', secret: 'SECdeadbeef' },
      { type: 'slack', url: 'https://hooks.slack.com/services/T/B/x' },
    ])
    expect(loadLogConfig({ CTFLOW_NOTIFY: notify }).secrets).toEqual([
      'https://oapi.dingtalk.com/robot/send?access_token=t0k',
      'SECdeadbeef',
      'https://hooks.slack.com/services/T/B/x',
    ])
    expect(loadLogConfig({ CTFLOW_NOTIFY: '@notify.json' }).secrets).toEqual([])
    expect(loadLogConfig({ CTFLOW_NOTIFY: '[{"url": ' }).secrets).toEqual([])
  })

  it('refuses anything else, naming the variable and the accepted levels', () => {
    expect(() => loadLogConfig({ CTFLOW_LOG_LEVEL: 'verbose' })).toThrow(LogConfigError)
    expect(() => loadLogConfig({ CTFLOW_LOG_LEVEL: 'verbose' })).toThrow(
      'CTFLOW_LOG_LEVEL must be one of debug, info, warn, error, silent (got "verbose").',
    )
  })
})
