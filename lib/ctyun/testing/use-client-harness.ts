import { afterAll, beforeAll, beforeEach } from 'vitest'
import { startClientHarness, type ClientHarness } from './client-harness'

/**
 * One client harness for a whole test file: started before the first test, closed after the last, and with its
 * recorded requests and wait delays cleared before each test. The returned harness may be used in tests and hooks
 * only (it forwards to the harness `beforeAll` starts).
 */
export function useClientHarness(): ClientHarness {
  let started: ClientHarness | undefined
  beforeAll(async () => {
    started = await startClientHarness()
  })
  afterAll(() => started?.close())
  beforeEach(() => {
    current().server.requests.length = 0
    current().waitDelays.length = 0
  })
  const current = (): ClientHarness => {
    if (!started)
      throw new Error('useClientHarness: the harness is started in beforeAll; use it inside tests and hooks')
    return started
  }
  return new Proxy({} as ClientHarness, { get: (_target, key) => Reflect.get(current(), key) })
}
