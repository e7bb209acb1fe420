import type { HistoryEvent, RunError, RunStatus } from '../../../lib/engine'

/** What happened to a state in a run, as the graph colours it. */
export type StateStatus = 'succeeded' | 'failed' | 'caught' | 'running' | 'waiting' | 'not-run'

export const STATE_STATUSES: readonly StateStatus[] = ['succeeded', 'failed', 'caught', 'running', 'waiting', 'not-run']

/** One visit of a state: one frame (the run itself, a Map item, a Parallel branch) passing through it once. */
export interface StateVisit {
  /** `root` for the run's own states, else the interpreter's frame id of the item or branch. */
  frame: string
  status: StateStatus
  enteredAt?: string
  exitedAt?: string
  input?: unknown
  output?: unknown
  error?: RunError
  /** Retries scheduled on this visit. */
  retries: number
}

/** Item counts of a Map state, from its MapStateStarted / MapIteration* events. */
export interface MapItems {
  total: number
  started: number
  succeeded: number
  failed: number
  /** Child run ids (a distributed Map), in item order as far as they were started. */
  childRuns: string[]
}

export interface StateSummary {
  name: string
  status: StateStatus
  /** Visits by status: a state inside a Map has one per item. */
  counts: Record<StateStatus, number>
  /** The first visits, then failed, caught or open ones, up to MAX_KEPT_VISITS: a 10,000-item Map keeps a few. */
  visits: StateVisit[]
  /** Visits in all (visits may hold fewer). */
  visitCount: number
  retries: number
  items?: MapItems
}

const MAX_KEPT_VISITS = 20
const MAX_KEPT_CHILD_RUNS = 200
// Which status wins when a state's visits differ (a Map's inner state): a failure is what one looks for first.
const PRECEDENCE: readonly StateStatus[] = ['failed', 'running', 'waiting', 'caught', 'succeeded']

/** The status a state shows for visits counted by status: the first of failed, running, waiting, caught, succeeded. */
export function overallStatus(counts: Record<StateStatus, number>): StateStatus {
  return PRECEDENCE.find((status) => counts[status] > 0) ?? 'not-run'
}

/**
 * Reads a run's history (in seq order) into what happened to each state: per state name its status, visit counts and
 * a few visits with input, output, error, retries and times. A state with no event is absent (`not-run`). Visits still
 * open when the run ended failed, timed out or was cancelled count as `failed` (they did not complete); in a running
 * run they are `running`, or `waiting` in a Wait state or between retries.
 */
export function stateStatuses(
  events: readonly HistoryEvent[],
  run: { status: RunStatus; error?: RunError },
): Map<string, StateSummary> {
  const states = new Map<string, StateSummary>()
  // The open visit of each frame (a frame is in one state at a time), and each frame's last output (the next state's
  // input: the interpreter records the input only on a frame's first state).
  const open = new Map<string, { visit: StateVisit; summary: StateSummary }>()
  const lastOutput = new Map<string, unknown>()

  const summaryOf = (name: string): StateSummary => {
    let summary = states.get(name)
    if (summary === undefined) {
      summary = {
        name,
        status: 'not-run',
        counts: { succeeded: 0, failed: 0, caught: 0, running: 0, waiting: 0, 'not-run': 0 },
        visits: [],
        visitCount: 0,
        retries: 0,
      }
      states.set(name, summary)
    }
    return summary
  }
  const settle = (entry: { visit: StateVisit; summary: StateSummary }, status: StateStatus, at?: string) => {
    entry.visit.status = status
    if (at !== undefined && entry.visit.exitedAt === undefined) entry.visit.exitedAt = at
  }

  for (const event of events) {
    const detail = (event.detail ?? {}) as Record<string, unknown>
    const frame = typeof detail.frame === 'string' ? detail.frame : 'root'
    const type = event.type
    if (event.state === undefined) {
      // Run-level events: a failure lands on the root frame's open state; an end stops every open visit.
      if (type === 'ExecutionFailed' || type === 'ExecutionTimedOut' || type === 'ExecutionAborted') {
        const error = errorOf(detail) ?? (type === 'ExecutionAborted' ? { error: 'Cancelled' } : undefined)
        for (const entry of open.values()) {
          if (entry.visit.error === undefined && error) entry.visit.error = error
          settle(entry, 'failed', event.at)
        }
        open.clear()
      }
      continue
    }
    const summary = summaryOf(event.state)
    if (type.endsWith('StateEntered')) {
      const visit: StateVisit = {
        frame,
        status: type === 'WaitStateEntered' ? 'waiting' : 'running',
        enteredAt: event.at,
        retries: 0,
      }
      const input = 'input' in detail ? detail.input : lastOutput.get(frame)
      if (input !== undefined) visit.input = input
      open.set(frame, { visit, summary })
      summary.visitCount += 1
      summary.visits.push(visit)
      continue
    }
    const entry = open.get(frame)
    if (type === 'MapStateStarted') {
      summary.items = { total: Number(detail.length) || 0, started: 0, succeeded: 0, failed: 0, childRuns: [] }
    } else if (type === 'MapIterationStarted' && summary.items) {
      summary.items.started += 1
      if (typeof detail.run === 'string' && summary.items.childRuns.length < MAX_KEPT_CHILD_RUNS)
        summary.items.childRuns.push(detail.run)
    } else if (type === 'MapIterationSucceeded' && summary.items) {
      summary.items.succeeded += 1
    } else if (type === 'MapIterationFailed' && summary.items) {
      summary.items.failed += 1
    }
    if (!entry) continue
    const visit = entry.visit
    if (type.endsWith('StateExited')) {
      if (visit.status !== 'caught') visit.status = 'succeeded'
      visit.exitedAt = event.at
      if ('output' in detail) {
        visit.output = detail.output
        lastOutput.set(frame, detail.output)
      }
      open.delete(frame)
    } else if (type.endsWith('RetryScheduled')) {
      visit.retries += 1
      summary.retries += 1
      visit.status = 'waiting'
      visit.error = errorOf(detail) ?? visit.error
    } else if (type === 'TaskScheduled' || type === 'TaskStarted') {
      visit.status = 'running'
    } else if (type === 'TaskFailed' || type === 'TaskTimedOut') {
      visit.error = errorOf(detail) ?? visit.error
    } else if (type === 'CatchTaken') {
      visit.error = errorOf(detail) ?? visit.error
      settle(entry, 'caught', event.at)
    } else if (type.endsWith('StateFailed')) {
      // A branch or item failed: this Map/Parallel may still retry or catch; the branch's open visits are over.
      visit.error = errorOf(detail) ?? visit.error
      const prefix = `${frame}/`
      for (const [other, inner] of open) {
        if (!other.startsWith(prefix)) continue
        if (inner.visit.error === undefined) inner.visit.error = visit.error
        settle(inner, 'failed', event.at)
        open.delete(other)
      }
    }
  }

  // A run that ended leaves nothing open; a running one keeps its open visits as they are.
  if (run.status !== 'RUNNING') {
    for (const entry of open.values()) {
      if (entry.visit.error === undefined && run.error) entry.visit.error = run.error
      settle(entry, 'failed')
    }
  }

  for (const summary of states.values()) tally(summary)
  return states
}

function tally(summary: StateSummary): void {
  // Counted at the end (a visit's status changes after it began); then the kept visits are cut to a readable few:
  // the first ones, and every failed or caught one after them up to the cap.
  const counts = summary.counts
  for (const visit of summary.visits) counts[visit.status] += 1
  summary.status = overallStatus(counts)
  if (summary.visits.length > MAX_KEPT_VISITS) {
    const first = summary.visits.slice(0, MAX_KEPT_VISITS / 2)
    const notable = summary.visits
      .slice(MAX_KEPT_VISITS / 2)
      .filter((visit) => visit.status !== 'succeeded')
      .slice(0, MAX_KEPT_VISITS / 2)
    summary.visits = [...first, ...notable]
  }
}

function errorOf(detail: Record<string, unknown>): RunError | undefined {
  if (typeof detail.error !== 'string') return undefined
  return typeof detail.cause === 'string' ? { error: detail.error, cause: detail.cause } : { error: detail.error }
}
