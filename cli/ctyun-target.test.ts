import { describe, expect, it } from 'vitest'
import { signedRequestParts } from '../lib/simulator/test-support'
import { resolveCtyunTarget } from './ctyun-target'

describe('resolveCtyunTarget', () => {
  it('starts the simulator in-process when no CTYUN_* variable is set, and closes it', async () => {
    const target = await resolveCtyunTarget({})
    try {
      expect(target.kind).toBe('simulator')
      const url = target.simulator!.url
      expect(target.clientOptions.endpoints).toMatchObject({
        ecs: url,
        ebs: url,
        image: url,
        vpc: url,
        cbr: url,
        cda: url,
      })
      const { url: path, init } = signedRequestParts({
        path: '/v4/region/list-regions',
        credentials: target.clientOptions.credentials!,
      })
      expect((await (await fetch(url + path, init)).json()).statusCode).toBe(800)
      expect(target.description).not.toContain(target.clientOptions.credentials!.secretKey)
    } finally {
      await target.close()
    }
    const { url: path, init } = signedRequestParts({
      path: '/v4/region/list-regions',
      credentials: target.clientOptions.credentials!,
    })
    await expect(fetch(target.simulator!.url + path, init)).rejects.toThrow()
  })

  it('uses the real cloud with both keys, and never starts a simulator', async () => {
    const target = await resolveCtyunTarget({ CTYUN_AK: 'a'.repeat(32), CTYUN_SK: 'b'.repeat(32) })
    expect(target.kind).toBe('cloud')
    expect(target.simulator).toBeUndefined()
    expect(target.clientOptions.config.endpoints.ebs).toBe('https://ebs-global.ctapi.ctyun.cn')
    expect(target.description).not.toContain('b'.repeat(32))
  })

  it('signs with the demo credentials for CTYUN_ENDPOINT without keys (a ctflow sim elsewhere)', async () => {
    const target = await resolveCtyunTarget({ CTYUN_ENDPOINT: 'http://127.0.0.1:4010' })
    expect(target.kind).toBe('endpoint')
    expect(target.clientOptions.config.endpoints.ecs).toBe('http://127.0.0.1:4010')
    expect(target.clientOptions.credentials?.accessKey).toBe('ctflow-sim-demo-access-key-00001')
  })

  it('refuses one key without the other, naming the missing variable', async () => {
    await expect(resolveCtyunTarget({ CTYUN_AK: 'a'.repeat(32) })).rejects.toThrow(/CTYUN_SK/)
  })
})
