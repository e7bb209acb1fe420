// An event platform's handlers as its entry file builds them (eventPlatformHandlers): every line is one JSON object
// carrying the invocation's request id, and none holds a secret.
import { describe, expect, it } from 'vitest'
import { eventPlatformHandlers } from './event-handlers'
import { tencentScf } from './tencent-scf'
import { parseJsonLines } from './testing/json-lines'
import { useSharedSimulator } from './testing/shared-simulator'
import { scfContext, scfTimerEvent } from './testing/platform-events'

const TOKEN = 'event-handlers-api-token-0123456789'
const sim = useSharedSimulator()

describe('eventPlatformHandlers', () => {
  it('writes the run (start, Task calls, end) and the scheduled result as JSON lines with the request id', async () => {
    const written: string[] = []
    const env = sim.env({
      CTFLOW_API_TOKEN: TOKEN,
    })
    const { scheduled } = eventPlatformHandlers(tencentScf, env, { write: (line) => void written.push(line) })
    const result = await scheduled(scfTimerEvent(JSON.stringify({ workflow: 'inventory', input: {} })), scfContext())
    expect(result.status).toBe('SUCCEEDED')

    const lines = parseJsonLines(written, [TOKEN, ...sim.secrets()])
    for (const line of lines) expect(line.requestId).toBe('scf-req-1')
    expect(lines.filter((line) => line.runId === result.runId).map((line) => line.msg)).toEqual(
      expect.arrayContaining(['run started', 'run ended']),
    )
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'ctflow scheduled (Tencent SCF)', runId: result.runId })
  })

  it('writes a setup failure as one JSON line naming the setting, then throws it', async () => {
    const written: string[] = []
    const { worker } = eventPlatformHandlers(tencentScf, {}, { write: (line) => void written.push(line) })
    await expect(worker(scfTimerEvent('{}'), scfContext())).rejects.toThrow(/CTFLOW_STORE/)
    expect(parseJsonLines(written)).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'setup failed',
        errorCode: 'StoreRequiredError',
        requestId: 'scf-req-1',
      }),
    ])
  })
})
