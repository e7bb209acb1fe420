import { createActionRegistry, type ActionRegistry } from '../../lib/engine/actions/registry'
import { createEngine } from '../../lib/engine/create-engine'
import type { WorkflowDefinition } from '../../lib/engine/interpreter/definition'
import type { Clock } from '../../lib/engine/runner'
import { createMemoryStore } from '../../lib/engine/stores/memory-store'
import { allStates, type ConformanceCase } from './conformance-case'
import type { Outcome } from './outcome'
import { createStubHost } from './stub-resources'

/**
 * A virtual clock for conformance runs: time flows with the real clock (so a Task's TimeoutSeconds can expire while a
 * stub sleeps), and every sleep the engine asks for (Wait states, Retry intervals) is skipped by jumping ahead.
 */
export function createSkippingClock(): Clock & { skippedMs: number } {
  const clock = {
    skippedMs: 0,
    now: () => Date.now() + clock.skippedMs,
    async sleep(ms: number) {
      clock.skippedMs += Math.max(0, ms)
    },
  }
  return clock
}

/** Registers every stub resource the case names, each running through one stub host (counts per run and state). */
function stubActions(c: ConformanceCase): ActionRegistry {
  const stubs = createStubHost()
  const registry = createActionRegistry()
  const names = new Set(
    allStates(c.definition).flatMap(([, state]) => (state.Type === 'Task' ? [String(state.Resource)] : [])),
  )
  for (const name of names) {
    registry.register(name, {
      call: (input, context) => stubs.invoke(name, input, `${context.runId}\u0000${context.state}`, context.signal),
    })
  }
  return registry
}

/** Runs a case through our engine: memory store, the stub actions, the skipping clock, driven to the end in-process. */
export async function runOnEngine(c: ConformanceCase): Promise<Outcome> {
  let engine: ReturnType<typeof createEngine>
  try {
    engine = createEngine({
      store: createMemoryStore(),
      actions: stubActions(c),
      workflows: { conformance: c.definition as unknown as WorkflowDefinition },
      clock: createSkippingClock(),
    })
  } catch (thrown) {
    // The engine refused the definition (WorkflowError lists the problems): report it as an outcome, not a crash.
    return { status: 'FAILED', error: `ctflow:${(thrown as Error).name}`, cause: (thrown as Error).message }
  }
  const { run } = await engine.start({ workflow: 'conformance', input: c.input })
  const finished = await engine.runToEnd(run.id, AbortSignal.timeout(20_000))
  if (finished.status === 'SUCCEEDED') return { status: 'SUCCEEDED', output: finished.output }
  if ((finished.status === 'FAILED' || finished.status === 'TIMED_OUT') && finished.error) {
    return {
      status: finished.status,
      error: finished.error.error,
      ...(finished.error.cause !== undefined ? { cause: finished.error.cause } : {}),
    }
  }
  return { status: 'FAILED', error: `ctflow:${finished.status}`, cause: JSON.stringify(finished.error ?? null) }
}
