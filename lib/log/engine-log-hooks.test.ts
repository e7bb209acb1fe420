import { describe, expect, it } from 'vitest'
import { createLogger } from './create-logger'
import { createEngineLogHooks, ctyunClientLog } from './engine-log-hooks'
import { createLogContext, findAsyncLocalStorage } from './log-context'

function setup(level: 'debug' | 'info' = 'info') {
  const lines: Array<Record<string, unknown>> = []
  const context = createLogContext(findAsyncLocalStorage())
  const log = createLogger({ level, context, write: (line) => lines.push(JSON.parse(line)) })
  return { lines, hooks: createEngineLogHooks(log, context), clientLog: ctyunClientLog(log, context) }
}

const call = { runId: 'r-1', workflow: 'w', state: 'List', resource: 'ctyun:regions:listRegions', retries: 1 }

describe('engine log hooks', () => {
  it("writes a Task call's line with the request id its client sent last, and the client's lines in its scope", async () => {
    const { lines, hooks, clientLog } = setup()
    await hooks.taskCall!({ ...call, kind: 'invoke' }, async () => {
      clientLog({ type: 'request', method: 'GET', path: '/v4/region/list-regions', requestId: 'id-1', attempt: 1 })
      clientLog({ type: 'retry', method: 'GET', path: '/v4/region/list-regions', attempt: 2, delayMs: 200 })
      clientLog({ type: 'request', method: 'GET', path: '/v4/region/list-regions', requestId: 'id-2', attempt: 2 })
      return { outcome: 'succeeded', durationMs: 12 }
    })
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'ctyun call retried', runId: 'r-1', state: 'List', attempt: 1 }),
      expect.objectContaining({
        level: 'info',
        msg: 'task call',
        runId: 'r-1',
        workflow: 'w',
        state: 'List',
        attempt: 1,
        operation: 'ctyun:regions:listRegions',
        outcome: 'succeeded',
        durationMs: 12,
        retries: 1,
        ctyunRequestId: 'id-2',
      }),
    ])
  })

  it('writes a failed call at warn with its error, and a poll that found the operation running only at debug', async () => {
    const { lines, hooks } = setup()
    await hooks.taskCall!({ ...call, kind: 'invoke' }, async () => ({
      outcome: 'failed',
      error: 'Ctyun.Throttled',
      cause: 'slow down',
      durationMs: 3,
    }))
    await hooks.taskCall!({ ...call, kind: 'probe' }, async () => ({ outcome: 'pending', durationMs: 2 }))
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', outcome: 'failed', errorCode: 'Ctyun.Throttled', cause: 'slow down' }),
    ])
  })

  it('writes a run end at info when it succeeded, error when it failed or timed out, warn when aborted', () => {
    const { lines, hooks } = setup()
    hooks.runEnded!({ runId: 'a', workflow: 'w', status: 'SUCCEEDED', durationMs: 5 })
    hooks.runEnded!({ runId: 'b', workflow: 'w', status: 'FAILED', error: { error: 'E', cause: 'c' }, durationMs: 5 })
    hooks.runEnded!({ runId: 'c', workflow: 'w', status: 'ABORTED', durationMs: 5 })
    expect(lines.map((line) => [line.level, line.runId, line.errorCode])).toEqual([
      ['info', 'a', undefined],
      ['error', 'b', 'E'],
      ['warn', 'c', undefined],
    ])
  })
})
