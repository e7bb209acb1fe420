import { afterAll, beforeAll } from 'vitest'
import { type RunningSimulator, startSimulator } from '../../lib/simulator'

/**
 * One simulator over real HTTP for a test file (started before its tests, closed after), and the settings that point
 * the functions at it: `env()` gives CTYUN_ENDPOINT and its keys, a memory store and `extra`.
 * @example const sim = useSharedSimulator(); … eventPlatformHandlers(tencentScf, sim.env({ CTFLOW_API_TOKEN }))
 */
export function useSharedSimulator() {
  let sim: RunningSimulator | undefined
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 })
  })
  afterAll(async () => {
    await sim?.close()
  })
  const running = () => {
    if (!sim) throw new Error('the simulator starts in beforeAll: use it inside a test')
    return sim
  }
  return {
    env: (extra: Record<string, string> = {}): Record<string, string> => ({
      CTFLOW_STORE: 'memory',
      CTYUN_ENDPOINT: running().url,
      CTYUN_AK: running().credentials.accessKey,
      CTYUN_SK: running().credentials.secretKey,
      ...extra,
    }),
    /** The keys, for the checks that no line holds them. */
    secrets: (): string[] => [running().credentials.accessKey, running().credentials.secretKey],
  }
}
