import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { createActionRegistry } from './actions/registry'
import { createEngine } from './create-engine'
import type { WorkflowDefinition } from './interpreter/definition'
import { createMemoryStore } from './stores/memory-store'
import { createFakeClock } from './testing/fake-clock'

// `ctflow demo` passes its SIGINT signal to runToEnd, which lives as long as the process: every wait for a call in
// flight used to leave an abort listener on it (MaxListenersExceededWarning in the demo's output).
describe('the budget signal', () => {
  it('carries at most one abort listener while 30 calls are in flight, and none once the run has finished', async () => {
    const actions = createActionRegistry().register('my:slow', {
      call: async (input: unknown) => {
        await new Promise((resolve) => setTimeout(resolve, 1))
        return input
      },
    })
    const definition = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'my:slow', End: true } } },
          End: true,
        },
      },
    }
    const engine = createEngine({
      store: createMemoryStore(),
      actions,
      workflows: { wf: definition as WorkflowDefinition },
      clock: createFakeClock(),
    })
    const items = Array.from({ length: 30 }, (_, i) => i)
    const { run } = await engine.start({ workflow: 'wf', input: items })
    const stop = new AbortController()
    let most = 0
    const watch = setInterval(() => (most = Math.max(most, getEventListeners(stop.signal, 'abort').length)), 0)

    const done = await engine.runToEnd(run.id, stop.signal).finally(() => clearInterval(watch))

    expect(done).toMatchObject({ status: 'SUCCEEDED', output: items })
    // While 30 calls are in flight at once, the caller's signal still carries one listener (the run's), not 30.
    expect(most).toBeLessThanOrEqual(1)
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0)
  })
})
