import type { Budget, Engine, HistoryEvent, RunRecord, RunStatus, StartRequest, WorkflowInfo } from '../../lib/engine'
import { InvalidCursorError, UnknownRunError, UnknownWorkflowError } from '../../lib/engine'

/**
 * A small in-memory Engine for the function tests: it keeps the facade's promises (idempotent start, newest-first
 * pages with a cursor, cancel, budgets) and "runs" a workflow by echoing its input as output. It throws the engine's
 * own error classes (lib/engine/errors.ts) where the engine would. The HTTP layer's error mapping is tested against
 * the real engine (functions/http/app.test.ts, test/workflows/webhook-to-run.test.ts); this one lets failures be injected.
 */
export interface FakeEngine extends Engine {
  runs: Map<string, RunRecord>
  calls: string[]
  /** Set to make the next call of that method throw. */
  failNext?: { method: keyof Engine; error: Error }
}

export function createFakeEngine({
  workflows = [{ name: 'backup' }, { name: 'report' }] as WorkflowInfo[],
  clock = () => Date.now(),
  /** How many advance() calls a run needs before it finishes; 0 = finishes on the first. */
  stepsToFinish = 0,
} = {}): FakeEngine {
  const runs = new Map<string, RunRecord>()
  const histories = new Map<string, HistoryEvent[]>()
  const steps = new Map<string, number>()
  let sequence = 0

  const engine: FakeEngine = {
    runs,
    calls: [],
    async start(request: StartRequest) {
      guard('start')
      if (!workflows.some((w) => w.name === request.workflow)) {
        throw new UnknownWorkflowError(
          request.workflow,
          workflows.map((w) => w.name),
        )
      }
      if (request.idempotencyKey) {
        const existing = [...runs.values()].find((run) => run.idempotencyKey === request.idempotencyKey)
        if (existing) return { run: existing, created: false }
      }
      const at = new Date(clock())
      const run: RunRecord = {
        id: `run-${String(++sequence).padStart(4, '0')}`,
        workflow: request.workflow,
        input: request.input,
        status: 'RUNNING',
        machine: {},
        resumeAt: at,
        idempotencyKey: request.idempotencyKey,
        requestHash: request.requestHash,
        cancelRequested: false,
        version: 1,
        createdAt: at,
        updatedAt: at,
      }
      runs.set(run.id, run)
      histories.set(run.id, [{ seq: 1, at: at.toISOString(), type: 'RunStarted' }])
      return { run, created: true }
    },
    async get(id) {
      guard('get')
      return runs.get(id)
    },
    async history(id) {
      guard('history')
      return histories.get(id) ?? []
    },
    async list({ workflow, status, limit = 20, cursor, parentId }) {
      guard('list')
      if (cursor !== undefined && !/^\d+$/.test(cursor)) throw new InvalidCursorError()
      const all = [...runs.values()]
        .filter(
          (run) =>
            run.parentId === parentId && (!workflow || run.workflow === workflow) && (!status || run.status === status),
        )
        .reverse()
      const start = cursor ? Number(cursor) : 0
      const page = all.slice(start, start + limit).map(({ machine: _m, input: _i, ...summary }) => summary)
      return { runs: page, ...(start + limit < all.length ? { nextCursor: String(start + limit) } : {}) }
    },
    async cancel(id) {
      guard('cancel')
      const run = runs.get(id)
      if (!run) return undefined
      finish(run, 'ABORTED')
      return run
    },
    async advance(id, budget: Budget) {
      guard('advance')
      const run = runs.get(id)
      if (!run) throw new UnknownRunError(id)
      if (run.status !== 'RUNNING' || clock() >= budget.deadline) return run
      const done = (steps.get(id) ?? 0) + 1
      steps.set(id, done)
      if (done > stepsToFinish) finish(run, 'SUCCEEDED', run.input)
      else run.resumeAt = new Date(clock())
      return run
    },
    async resumeDue(budget) {
      guard('resumeDue')
      let advanced = 0
      for (const run of runs.values()) {
        if (budget.limit !== undefined && advanced >= budget.limit) break
        if (clock() >= budget.deadline) break
        if (run.status === 'RUNNING' && run.resumeAt && run.resumeAt.getTime() <= clock()) {
          await engine.advance(run.id, budget)
          advanced++
        }
      }
      return { advanced }
    },
    workflows: () => workflows,
    definitionOf: async () => undefined,
    async close() {},
  }

  function guard(method: keyof Engine) {
    engine.calls.push(method)
    if (engine.failNext?.method === method) {
      const { error } = engine.failNext
      engine.failNext = undefined
      throw error
    }
  }

  function finish(run: RunRecord, status: RunStatus, output?: unknown) {
    run.status = status
    run.resumeAt = null
    run.updatedAt = new Date(clock())
    if (output !== undefined) run.output = output
    const events = histories.get(run.id)!
    events.push({
      seq: events.length + 1,
      at: run.updatedAt.toISOString(),
      type: status === 'ABORTED' ? 'RunAborted' : 'RunSucceeded',
    })
  }

  return engine
}
