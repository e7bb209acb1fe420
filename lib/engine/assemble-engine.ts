import { createActionRegistry, type ActionRegistry } from './actions/registry'
import type { Budget, Engine, RunAdvanceError, StartRequest, WorkflowInfo } from './engine-types'
import { callHook, type EngineHooks } from './engine-hooks'
import { EngineInputError, UnknownRunError, UnknownWorkflowError, WorkflowError, type WorkflowProblem } from './errors'
import type { WorkflowDefinition } from './interpreter/definition'
import { createMachine, isPlanMachine } from './interpreter/machine'
import { MAX_JSON_DEPTH, measureJson } from './language/json-size'
import { resolveLimits, type EngineLimits } from './limits'
import type { EndedRun, NewHistoryEvent, RunRecord } from './run'
import { newRunId as timeOrderedRunId } from './run-id'
import { systemClock, type Clock } from './clock'
import { loadRunner } from './load-runner'
import type { RunBudget, RunnerDeps } from './runner'
import type { OutboxItem, RunStore } from './stores/run-store'
import { processId } from '../runtime/node-builtin'
import { createWorkflowVersions } from './workflow-versions'
import type { LoadedWorkflow } from './workflows'

export interface CreateEngineOptions {
  store: RunStore
  /** Task resources; default: an empty registry (Pass/Choice/… workflows only). */
  actions?: ActionRegistry
  /** The workflows this engine runs, by name: loaded files (`loadWorkflows`) or plain definitions. */
  workflows: LoadedWorkflow[] | Record<string, WorkflowDefinition>
  clock?: Clock
  random?: () => number
  /** Who holds leases (default `engine-<pid>-<random>`): distinct per process so leases mean something. */
  owner?: string
  /** How long a lease lasts before another worker may take a run over (default 60 s). */
  leaseMs?: number
  /** ASL validation (createEngine passes lib/engine/validate's validateWorkflow: every problem with its pointer and state). */
  validate: (
    definition: unknown,
    options: { isKnownResource: (resource: string) => boolean },
  ) => Array<{ pointer: string; state?: string; message: string }>
  /** Progress: called after every save with the events it appended. */
  onEvents?: (run: RunRecord, events: NewHistoryEvent[]) => void
  /** Told when a run starts and ends, when a retry is scheduled and about each Task call (a logger: lib/log). */
  hooks?: EngineHooks
  /** The id of a new run (default: a time-ordered UUIDv7, run-id.ts). */
  newRunId?: () => string
  /**
   * Refuse input that does not match the workflow's `<name>.schema.json` at start (EngineInputError listing every
   * problem, nothing created; a webhook gets a 400 naming the field). On by default; the shipped jobs also check
   * what a schema cannot say in their first step (Job.InvalidInput in the run's history).
   */
  checkInputSchema?: boolean
  /**
   * Checks each workflow's input schema itself when the engine is created (createEngine passes
   * input-schema.ts inputSchemaProblems); without it a broken schema is found at the first start.
   */
  validateInputSchema?: (schema: unknown) => Array<{ pointer: string; message: string }>
  /** How often a run is saved: see RunnerDeps.saveEvery (default `boundary`). */
  saveEvery?: 'boundary' | 'transition'
  /**
   * See RunnerDeps.childRunGraceMs. Default: 250 ms with a store that wakes idle workers (PostgreSQL's waitForDue),
   * else 0 (memory and file stores serve one process, which runs the children itself at once).
   */
  childRunGraceMs?: number
  /**
   * What one run may use (lib/engine/limits.ts): history events (25,000), payload bytes (256 KiB), worker attempts
   * (5). Each given one replaces its default.
   * @example createEngine({ store, workflows, limits: { maxHistoryEvents: 100_000 } })
   */
  limits?: Partial<EngineLimits>
  /**
   * The messages (notifications) to deliver about a run that ends, written with its final save in the same
   * transaction (the store's outbox) and sent afterwards by whoever claims them: see RunnerDeps.outboxOnEnd. The
   * engine knows nothing of what they say or where they go.
   */
  outboxOnEnd?: (run: EndedRun) => OutboxItem[]
}

// Defined with the engine's other errors (errors.ts); exported here too for the files that import it with the engine.
export { EngineInputError } from './errors'

/**
 * Builds the engine (the Engine interface, engine-types.ts) over a store, an action registry and a set of workflows,
 * checked with the validator given: an invalid workflow throws WorkflowError listing every problem, nothing starts.
 * Use createEngine (create-engine.ts), which brings the full ASL validator; this module does not import it, so a
 * function bundle whose workflows are validated at build time can leave it out of its cold start.
 */
export function assembleEngine(
  options: CreateEngineOptions,
): Engine & { readonly deps: RunnerDeps; runToEnd(id: string, signal?: AbortSignal): Promise<RunRecord> } {
  const { store, clock = systemClock, random = Math.random, leaseMs = 60_000, newRunId = timeOrderedRunId } = options
  const actions = options.actions ?? createActionRegistry()
  const limits = resolveLimits(options.limits)
  const workflows = normalise(options.workflows)
  const problems: WorkflowProblem[] = []
  const isKnownResource = (resource: string) => actions.has(resource)
  const { validate } = options
  for (const workflow of workflows.values()) {
    for (const problem of validate(workflow.definition, { isKnownResource }))
      problems.push({ workflow: workflow.name, ...problem })
    if (options.validateInputSchema && workflow.inputSchema !== undefined) {
      for (const p of options.validateInputSchema(workflow.inputSchema))
        problems.push({
          workflow: workflow.name,
          pointer: `${workflow.name}.schema.json#${p.pointer}`,
          message: p.message,
        })
    }
  }
  if (problems.length > 0) throw new WorkflowError(problems)

  // Runs follow the workflow version they started on; a distributed Map's child runs carry `<workflow>#<pointer to the
  // ItemProcessor>` (interpreter/child-runs.ts), resolved within that version.
  const versions = createWorkflowVersions(store, (name) => workflows.get(name)?.definition)

  const deps: RunnerDeps = {
    store,
    actions,
    definitionFor: (run) => versions.definitionFor(run),
    clock,
    random,
    owner: options.owner ?? `engine-${processId()}-${crypto.randomUUID().slice(0, 8)}`,
    leaseMs,
    onEvents: options.onEvents,
    ...(options.hooks ? { hooks: options.hooks } : {}),
    saveEvery: options.saveEvery,
    childRunGraceMs: options.childRunGraceMs ?? (store.waitForDue ? 250 : 0),
    limits,
    ...(options.outboxOnEnd ? { outboxOnEnd: options.outboxOnEnd } : {}),
  }

  const engine = {
    deps,
    async start(request: StartRequest) {
      const workflow = workflows.get(request.workflow)
      if (!workflow) throw new UnknownWorkflowError(request.workflow, [...workflows.keys()])
      const input = request.input === undefined ? {} : request.input
      assertJson(input, limits.maxPayloadBytes)
      if (options.checkInputSchema !== false && workflow.inputSchema !== undefined) {
        // Loaded on first use: a function answering GET /runs never parses the schema checker (nor its validator).
        const { checkInput, InputSchemaError } = await import('./input-schema')
        let problems: ReturnType<typeof checkInput>
        try {
          problems = checkInput(workflow.inputSchema, input)
        } catch (error) {
          // The schema is broken, not the input: the workflow's problem (a 500 for a caller, logged), named here.
          if (!(error instanceof InputSchemaError)) throw error
          throw new WorkflowError(
            error.problems.map((p) => ({
              workflow: workflow.name,
              pointer: `${workflow.name}.schema.json#${p.pointer}`,
              message: p.message,
            })),
            { cause: error },
          )
        }
        if (problems.length > 0) {
          const list = problems.map((p) => `${p.pointer} ${p.message}`).join('; ')
          throw new EngineInputError(
            `The input of "${workflow.name}" does not match its schema: ${list}`,
            `input${problems[0]!.pointer === '/' ? '' : problems[0]!.pointer}`,
          )
        }
      }
      const workflowVersion = await versions.keep(workflow.name)
      const now = clock.now()
      const at = new Date(now)
      const plan = request.plan === true
      const created = await store.create({
        id: newRunId(),
        workflow: workflow.name,
        workflowVersion,
        input,
        machine: createMachine(workflow.definition.StartAt, input, now, workflow.definition.TimeoutSeconds, { plan }),
        resumeAt: at,
        ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey } : {}),
        ...(request.requestHash !== undefined ? { requestHash: request.requestHash } : {}),
        now: at,
        events: [
          {
            at: at.toISOString(),
            type: 'ExecutionStarted',
            detail: { input, workflow: workflow.name, ...(plan ? { plan: true } : {}) },
          },
        ],
      })
      const runStarted = options.hooks?.runStarted
      if (created.created && runStarted)
        callHook(() => runStarted({ runId: created.run.id, workflow: workflow.name, input }))
      return { ...created, run: markPlan(created.run) }
    },
    get: async (id: string) => {
      const run = await store.get(id)
      return run && markPlan(run)
    },
    history: (id: string, page?: { afterSeq?: number; limit?: number }) => store.history(id, page),
    list: (query: Parameters<Engine['list']>[0]) => store.list(query),
    async cancel(id: string) {
      const { cancelRun, advanceRun } = await loadRunner()
      return cancelRun(deps, id, advanceRun)
    },
    async advance(id: string, budget: Budget) {
      const { advanceRun } = await loadRunner()
      const run = await advanceRun(deps, id, budget)
      if (!run) throw new UnknownRunError(id)
      return markPlan(run)
    },
    async resumeDue(budget: RunBudget & { limit?: number }) {
      let advanced = 0
      const errors: RunAdvanceError[] = []
      const limit = budget.limit ?? Number.POSITIVE_INFINITY
      while (advanced < limit && clock.now() < budget.deadline && !budget.signal?.aborted) {
        const leases = await store.claimDue({ owner: deps.owner, leaseMs, now: new Date(clock.now()), limit: 1 })
        if (leases.length === 0) break
        // Loaded once a run is due: an idle worker loop right after start must not pull the runner in.
        const { driveLeased } = await loadRunner()
        // One run's trouble is that run's: the worker goes on with the others (driveLeased kept its lease, so it is
        // not claimed again before the lease expires, and then as one more attempt).
        try {
          await driveLeased(deps, leases[0], budget)
        } catch (error) {
          errors.push({
            runId: leases[0].runId,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          })
        }
        advanced += 1
      }
      return errors.length > 0 ? { advanced, errors } : { advanced }
    },
    definitionOf: (run: Pick<RunRecord, 'workflow' | 'workflowVersion'>) => versions.definitionFor(run),
    workflows(): WorkflowInfo[] {
      return [...workflows.values()].map((w) => ({
        name: w.name,
        ...(w.definition.Comment !== undefined ? { comment: w.definition.Comment } : {}),
        ...(w.inputSchema !== undefined ? { inputSchema: w.inputSchema } : {}),
      }))
    },
    ...(store.waitForDue
      ? { waitForDue: (wait: Parameters<NonNullable<RunStore['waitForDue']>>[0]) => store.waitForDue!(wait) }
      : {}),
    close: () => Promise.resolve(),
    /** Drives one run in this process until it finishes (sleeping through its waits); for `ctflow run` and tests. */
    async runToEnd(id: string, signal?: AbortSignal): Promise<RunRecord> {
      const { advanceRun } = await loadRunner()
      for (;;) {
        const run = await advanceRun(deps, id, { deadline: Number.MAX_SAFE_INTEGER, signal })
        if (!run) throw new UnknownRunError(id)
        if (run.status !== 'RUNNING' || signal?.aborted) return markPlan(run)
        // Leased by another process: wait for it to finish or let go.
        await clock.sleep(Math.min(leaseMs, 1_000), signal)
      }
    },
  }
  return engine
}

/** A plan's record says so (RunRecord.plan); the flag itself is kept in the machine. */
function markPlan(run: RunRecord): RunRecord {
  return isPlanMachine(run.machine) ? { ...run, plan: true } : run
}

function normalise(workflows: CreateEngineOptions['workflows']): Map<string, LoadedWorkflow> {
  const list: LoadedWorkflow[] = Array.isArray(workflows)
    ? workflows
    : Object.entries(workflows).map(([name, definition]) => ({ name, definition }))
  const map = new Map<string, LoadedWorkflow>()
  for (const workflow of list) {
    if (map.has(workflow.name))
      throw new WorkflowError([{ workflow: workflow.name, pointer: '', message: 'two workflows have this name' }])
    map.set(workflow.name, workflow)
  }
  return map
}

/** A run input must be JSON within the payload limit: measured without serialising it (it may be anything). */
function assertJson(input: unknown, maxBytes: number): void {
  if (input === undefined || typeof input === 'function' || typeof input === 'symbol' || typeof input === 'bigint') {
    throw new EngineInputError('The run input must be a JSON value', 'input')
  }
  const measure = measureJson(input, maxBytes)
  if (measure.over === 'bytes') {
    throw new EngineInputError(
      `The run input is larger than the payload limit of ${maxBytes.toLocaleString('en-US')} bytes of JSON (limits.maxPayloadBytes)`,
      'input',
    )
  }
  if (measure.over === 'depth')
    throw new EngineInputError(
      `The run input nests objects and arrays more than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels deep`,
      'input',
    )
  try {
    if (JSON.stringify(input) === undefined) throw new Error('not JSON')
  } catch {
    throw new EngineInputError('The run input must be a JSON value', 'input')
  }
}
