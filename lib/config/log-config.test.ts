import { describe, expect, it } from 'vitest'
import { LogConfigError, loadLogConfig } from './log-config'

describe('loadLogConfig', () => {
  it('defaults to info when CTFLOW_LOG_LEVEL is unset or blank', () => {
    expect(loadLogConfig({})).toEqual({ level: 'info' })
    expect(loadLogConfig({ CTFLOW_LOG_LEVEL: '  ' })).toEqual({ level: 'info' })
  })

  it('accepts each level, in any case', () => {
    expect(loadLogConfig({ CTFLOW_LOG_LEVEL: 'DEBUG' })).toEqual({ level: 'debug' })
    expect(loadLogConfig({ CTFLOW_LOG_LEVEL: 'silent' })).toEqual({ level: 'silent' })
  })

  it('refuses anything else, naming the variable and the accepted levels', () => {
    expect(() => loadLogConfig({ CTFLOW_LOG_LEVEL: 'verbose' })).toThrow(LogConfigError)
    expect(() => loadLogConfig({ CTFLOW_LOG_LEVEL: 'verbose' })).toThrow(
      'CTFLOW_LOG_LEVEL must be one of debug, info, warn, error, silent (got "verbose").',
    )
  })
})
