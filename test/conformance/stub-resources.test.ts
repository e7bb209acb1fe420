import { describe, expect, it } from 'vitest'
import { createStubHost, parseStubResource, StubTaskError } from './stub-resources'

describe('stub Task resources', () => {
  it("parses the table's forms and nothing else", () => {
    expect(parseStubResource('test:echo')).toEqual({ kind: 'echo' })
    expect(parseStubResource('test:fail:My.Error')).toEqual({ kind: 'fail', error: 'My.Error' })
    expect(parseStubResource('test:failTimes:2:My.Error')).toEqual({ kind: 'failTimes', times: 2, error: 'My.Error' })
    expect(parseStubResource('test:sleep:50')).toEqual({ kind: 'sleep', ms: 50 })
    expect(parseStubResource('test:fail:')).toBeUndefined()
    expect(parseStubResource('ctyun:ebs:createSnapshot')).toBeUndefined()
  })

  it('fails with the named error and a fixed cause', async () => {
    const failure = await createStubHost()
      .invoke('test:fail:My.Error', {}, 'k')
      .catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(StubTaskError)
    expect(failure).toMatchObject({ name: 'My.Error', message: 'test:fail:My.Error failed as asked' })
  })

  it('counts failTimes calls per key', async () => {
    const host = createStubHost()
    await expect(host.invoke('test:failTimes:1:E', 'x', 'run1/S')).rejects.toMatchObject({ name: 'E' })
    await expect(host.invoke('test:failTimes:1:E', 'x', 'run1/S')).resolves.toEqual({ attempts: 2, input: 'x' })
    await expect(host.invoke('test:failTimes:1:E', 'y', 'run2/S')).rejects.toMatchObject({ name: 'E' })
  })

  it('sleeps, and stops when aborted', async () => {
    const host = createStubHost()
    await expect(host.invoke('test:sleep:5', { a: 1 }, 'k')).resolves.toEqual({ a: 1 })
    const started = Date.now()
    await expect(host.invoke('test:sleep:10000', {}, 'k', AbortSignal.timeout(20))).rejects.toMatchObject({
      name: 'Test.Aborted',
    })
    expect(Date.now() - started).toBeLessThan(2_000)
  })
})
