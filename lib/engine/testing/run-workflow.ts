import { createActionRegistry, type Action, type ActionRegistry } from '../actions/registry'
import { createEngine } from '../create-engine'
import type { WorkflowDefinition } from '../interpreter/definition'
import type { EngineLimits } from '../limits'
import type { HistoryEvent, RunRecord } from '../run'
import { createMemoryStore } from '../stores/memory-store'
import { createFakeClock } from './fake-clock'

/** Runs one definition to the end on a memory store and a fake clock; for table-driven engine tests. */
export async function runWorkflow(
  definition: unknown,
  input: unknown,
  options: {
    actions?: Record<string, Action> | ActionRegistry
    random?: () => number
    limits?: Partial<EngineLimits>
  } = {},
): Promise<{ run: RunRecord; history: HistoryEvent[]; clock: ReturnType<typeof createFakeClock> }> {
  const clock = createFakeClock()
  let actions: ActionRegistry
  if (options.actions && typeof (options.actions as ActionRegistry).resolve === 'function')
    actions = options.actions as ActionRegistry
  else {
    actions = createActionRegistry()
    for (const [name, action] of Object.entries((options.actions ?? {}) as Record<string, Action>))
      actions.register(name, action)
  }
  const store = createMemoryStore()
  const engine = createEngine({
    store,
    actions,
    workflows: { test: definition as WorkflowDefinition },
    clock,
    random: options.random ?? (() => 0.5),
    limits: options.limits,
  })
  const { run } = await engine.start({ workflow: 'test', input })
  const finished = await engine.runToEnd(run.id)
  return { run: finished, history: await engine.history(run.id), clock }
}
