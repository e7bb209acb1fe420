import { createActionRegistry } from '../actions/registry'
import { createEngine } from '../create-engine'
import type { WorkflowDefinition } from '../interpreter/definition'
import { StatesError } from '../language/states-error'
import { createMemoryStore } from '../stores/memory-store'
import { createFakeClock } from '../testing/fake-clock'
import { validateWorkflow } from '../validate/validate-workflow'
import { createStub, type ConformanceCase } from './conformance-case'

/** Runs a conformance case through ctflow's engine: memory store, fake clock, stub actions, full validation. */
export async function runThroughEngine(testCase: ConformanceCase): Promise<{ status: string; output?: unknown; error?: string; cause?: string; calls: Record<string, number> }> {
  const actions = createActionRegistry()
  const stubs = Object.entries(testCase.actions ?? {}).map(([resource, stub]) => [resource, createStub(stub)] as const)
  for (const [resource, stub] of stubs) {
    actions.register(resource, {
      call(input) {
        try {
          return stub.call(input)
        } catch (error) {
          // Stubs fail like user actions do: with an ASL error name and cause.
          throw new StatesError((error as Error).name, (error as Error).message)
        }
      },
    })
  }
  const definition = JSON.parse(JSON.stringify(testCase.definition)) as WorkflowDefinition
  const engine = createEngine({
    store: createMemoryStore(),
    actions,
    workflows: { conformance: definition },
    clock: createFakeClock(),
    random: () => 0.5,
    validate: validateWorkflow,
  })
  const { run } = await engine.start({ workflow: 'conformance', input: testCase.input })
  const finished = await engine.runToEnd(run.id)
  return {
    status: finished.status,
    ...(finished.output !== undefined ? { output: finished.output } : {}),
    ...(finished.error ? { error: finished.error.error, cause: finished.error.cause } : {}),
    calls: Object.fromEntries(stubs.map(([resource, stub]) => [resource, stub.calls()])),
  }
}
