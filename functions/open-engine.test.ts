import { describe, expect, it } from 'vitest'
import { loadFunctionsConfig } from '../lib/config/functions-config'
import { FunctionsSetupError, openEngine } from './open-engine'

describe('openEngine', () => {
  it('refuses to run without CTyun settings unless an embedded simulator is offered (Lambda)', async () => {
    const error = await openEngine(loadFunctionsConfig({ CTFLOW_STORE: 'memory' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FunctionsSetupError)
    expect((error as Error).message).toMatch(/CTYUN_AK\/CTYUN_SK/)
  })

  it('closes the simulator it started when a later step fails, and names the setting at fault', async () => {
    const closed: string[] = []
    const resolveTarget = async () => ({
      clientOptions: {
        credentials: { accessKey: 'a'.repeat(32), secretKey: 'b'.repeat(32) },
        endpoints: { ebs: 'http://127.0.0.1:1' },
      },
      description: 'test simulator',
      close: async () => void closed.push('simulator'),
    })
    const error = await openEngine(loadFunctionsConfig({ CTFLOW_STORE: '/dev/null/ctflow' }), { resolveTarget }).catch(
      (e: unknown) => e,
    )
    expect((error as Error).message).toMatch(/CTFLOW_STORE/)
    expect(closed).toEqual(['simulator'])
  })
})
