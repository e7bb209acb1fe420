import { assembleEngine, type CreateEngineOptions } from './assemble-engine'
import { inputSchemaProblems } from './input-schema'
import { validateWorkflow } from './validate'

export { EngineInputError, type CreateEngineOptions } from './assemble-engine'

/**
 * Builds the engine (the Engine interface, engine-types.ts) over a store, an action registry and a set of workflows.
 * Workflows are validated when the engine is created (lib/engine/validate), and so are their input schemas: an invalid
 * one throws WorkflowError listing every problem with its state and JSON pointer, and nothing starts.
 *
 * @example
 * const engine = createEngine({ store: createMemoryStore(), actions, workflows: await loadWorkflows('workflows') })
 * const { run } = await engine.start({ workflow: 'nightly-backup', input: {} })
 * await engine.advance(run.id, { deadline: Date.now() + 10_000 })
 */
export function createEngine(
  options: Omit<CreateEngineOptions, 'validate'> & Partial<Pick<CreateEngineOptions, 'validate'>>,
): ReturnType<typeof assembleEngine> {
  return assembleEngine({ validate: validateWorkflow, validateInputSchema: inputSchemaProblems, ...options })
}
