import type { Engine, HistoryEvent, RunRecord, WorkflowDefinition } from '../../../lib/engine'
import { durationMs, formatDuration, formatTime, layout, type PageFrame, runBadge } from './console-pages'
import { type LaidOutGraph, layoutWorkflow } from './graph-layout'
import { h, type Markup, raw } from './markup'
import { renderGraph, STATUS_LABELS, STATUS_SYMBOLS } from './render-graph'
import { overallStatus, STATE_STATUSES, type StateStatus, type StateSummary, stateStatuses } from './state-statuses'

const HISTORY_PAGE = 1_000
/** Timeline rows a page shows; older ones are a link away. */
export const TIMELINE_PAGE = 200
/** A distributed Map's inner states are coloured from the histories of its first child runs, at most this many. */
const CHILD_RUNS_READ = 50
const JSON_SHOWN = 4_000

/** Everything a run page shows, read from the engine once per request. */
export interface RunView {
  run: RunRecord
  definition?: WorkflowDefinition
  graph?: LaidOutGraph
  states: Map<string, StateSummary>
  events: HistoryEvent[]
  /** How many child runs' histories coloured a distributed Map's inner states, and how many there are at least. */
  childRuns?: { read: number; more: boolean }
  now: number
}

// A definition never changes (a version is content-addressed): its layout is made once per process.
const layouts = new WeakMap<WorkflowDefinition, LaidOutGraph>()

/** Reads a run, the definition it follows, its whole history (a page at a time) and what happened to each state. */
export async function loadRunView(engine: Engine, run: RunRecord, now: number): Promise<RunView> {
  const [definition, events] = await Promise.all([engine.definitionOf(run), readHistory(engine, run.id)])
  const states = stateStatuses(events, run)
  const view: RunView = { run, states, events, now }
  if (definition) {
    view.definition = definition
    let graph = layouts.get(definition)
    if (graph === undefined) layouts.set(definition, (graph = layoutWorkflow(definition)))
    view.graph = graph
    if (hasDistributedMap(definition)) view.childRuns = await mergeChildRuns(engine, run, states)
  }
  return view
}

async function readHistory(engine: Engine, id: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = []
  for (;;) {
    const page = await engine.history(id, { afterSeq: events.at(-1)?.seq ?? 0, limit: HISTORY_PAGE })
    events.push(...page)
    if (page.length < HISTORY_PAGE) return events
  }
}

function hasDistributedMap(definition: { States: WorkflowDefinition['States'] }): boolean {
  return Object.values(definition.States).some(
    (state) =>
      (state.Type === 'Map' &&
        (state.ItemProcessor?.ProcessorConfig as { Mode?: string } | undefined)?.Mode === 'DISTRIBUTED') ||
      (state.Branches ?? []).some(hasDistributedMap) ||
      (state.ItemProcessor !== undefined && hasDistributedMap(state.ItemProcessor)),
  )
}

/** The states inside a distributed Map run in child runs: their histories colour those states here. */
async function mergeChildRuns(
  engine: Engine,
  run: RunRecord,
  states: Map<string, StateSummary>,
): Promise<{ read: number; more: boolean }> {
  const page = await engine.list({ parentId: run.id, limit: CHILD_RUNS_READ })
  const histories = await Promise.all(page.runs.map((child) => readHistory(engine, child.id)))
  for (const [index, child] of page.runs.entries()) {
    for (const [name, summary] of stateStatuses(histories[index]!, child)) {
      for (const visit of summary.visits) visit.frame = `child run ${child.id}`
      const into = states.get(name)
      if (!into) {
        states.set(name, summary)
        continue
      }
      for (const status of STATE_STATUSES) into.counts[status] += summary.counts[status]
      into.visitCount += summary.visitCount
      into.retries += summary.retries
      if (into.visits.length < 20) into.visits.push(...summary.visits.slice(0, 20 - into.visits.length))
      into.status = overallStatus(into.counts)
    }
  }
  return { read: page.runs.length, more: page.nextCursor !== undefined }
}

export interface RunPageOptions {
  formToken: string
  /** The timeline page: events after this seq (default: the last TIMELINE_PAGE). */
  historyFrom?: number
  notice?: string
}

/** The run page: summary and actions, the graph coloured by the run, state details, input/output/report, timeline. */
export function renderRunPage(frame: PageFrame, view: RunView, options: RunPageOptions): string {
  const parts = renderRunParts(view, options)
  const { run } = view
  const live = run.status === 'RUNNING' ? h` data-live-url="/console/runs/${encodeURIComponent(run.id)}/live"` : ''
  const notice = options.notice ? h`<p class="notice" role="status">${options.notice}</p>` : ''
  return layout(
    { ...frame, title: `Run ${run.id}` },
    h`<div class="run"${live} data-run-status="${run.status}"><h1>Run <code>${run.id}</code></h1>${notice}<div data-part="summary">${raw(parts.summary)}</div><h2>Graph</h2><p class="legend">${STATE_STATUSES.map((s) => h`<span><i class="l-${s}">${STATUS_SYMBOLS[s]}</i>${STATUS_LABELS[s]}</span>`)}</p><div class="graph-wrap" data-part="graph">${raw(parts.graph)}</div><p class="hint">Click a state for its input, output, error, retries and duration.</p><div data-part="details">${raw(parts.details)}</div><div data-part="io">${raw(parts.io)}</div><h2>History</h2><div data-part="timeline">${raw(parts.timeline)}</div></div>`,
  )
}

/** The parts of a run page a live update replaces (the same markup as the page's). */
export function renderRunParts(view: RunView, options: RunPageOptions): Record<string, string> {
  return {
    summary: String(summary(view, options.formToken)),
    graph: String(graphPart(view)),
    details: String(detailsPart(view)),
    io: String(ioPart(view)),
    timeline: String(timelinePart(view, options.historyFrom)),
  }
}

function summary(view: RunView, formToken: string): Markup {
  const { run } = view
  const id = encodeURIComponent(run.id)
  const cancel =
    run.status === 'RUNNING'
      ? run.cancelRequested
        ? h`<p class="notice">Cancellation requested; the run stops at its next step.</p>`
        : h`<form method="post" action="/console/runs/${id}/cancel"><input type="hidden" name="csrf" value="${formToken}"><button class="danger" type="submit" data-action="cancel">Cancel run</button></form>`
      : ''
  return h`<dl class="meta"><dt>Status</dt><dd data-part-run-status>${runBadge(run.status)} ${run.status === 'RUNNING' ? h`<span class="live" data-part-status>updating live</span>` : ''}</dd><dt>Workflow</dt><dd>${run.workflow}</dd>${run.workflowVersion ? h`<dt>Version</dt><dd><code>${run.workflowVersion}</code></dd>` : ''}<dt>Started</dt><dd>${formatTime(run.createdAt)} UTC</dd><dt>Duration</dt><dd>${formatDuration(durationMs(run, view.now))}</dd>${run.parentId ? h`<dt>Parent run</dt><dd><a href="/console/runs/${encodeURIComponent(run.parentId)}">${run.parentId}</a></dd>` : ''}${run.error ? h`<dt>Error</dt><dd class="error"><strong>${run.error.error}</strong></dd>` : ''}</dl>${cancel}`
}

function graphPart(view: RunView): Markup {
  if (!view.graph)
    return h`<p class="error">The definition of workflow "${view.run.workflow}" is not known to this server.</p>`
  const detailIds = detailIdsOf(view)
  const graph = renderGraph(view.graph, {
    statusOf: (name) => view.states.get(name)?.status ?? 'not-run',
    detailHref: (name) => `#${detailIds.get(name)}`,
  })
  const children = view.childRuns?.read
    ? h`<p>Inner states of the distributed Map coloured from ${view.childRuns.read}${view.childRuns.more ? ' (the first)' : ''} child runs: <a href="/console?parent=${encodeURIComponent(view.run.id)}">all child runs</a>.</p>`
    : ''
  return h`${graph}${children}`
}

function detailIdsOf(view: RunView): Map<string, string> {
  const ids = new Map<string, string>()
  const visit = (states: WorkflowDefinition['States']) => {
    for (const [name, state] of Object.entries(states)) {
      if (!ids.has(name)) ids.set(name, `state-${ids.size + 1}`)
      if (state.ItemProcessor ?? state.Iterator) visit((state.ItemProcessor ?? state.Iterator)!.States)
      for (const branch of state.Branches ?? []) visit(branch.States)
    }
  }
  if (view.definition) visit(view.definition.States)
  return ids
}

function detailsPart(view: RunView): Markup {
  const ids = detailIdsOf(view)
  const typeOf = new Map<string, string>()
  const collect = (states: WorkflowDefinition['States']) => {
    for (const [name, state] of Object.entries(states)) {
      if (!typeOf.has(name)) typeOf.set(name, state.Type)
      if (state.ItemProcessor ?? state.Iterator) collect((state.ItemProcessor ?? state.Iterator)!.States)
      for (const branch of state.Branches ?? []) collect(branch.States)
    }
  }
  if (view.definition) collect(view.definition.States)
  return h`${[...ids].map(([name, id]) => stateDetails(view, name, id, typeOf.get(name) ?? ''))}`
}

function stateDetails(view: RunView, name: string, id: string, type: string): Markup {
  const summary = view.states.get(name)
  const status: StateStatus = summary?.status ?? 'not-run'
  const head = h`<h3>${STATUS_SYMBOLS[status]} ${name} <small>(${type}) — ${STATUS_LABELS[status]}</small></h3>`
  if (!summary)
    return h`<section class="details" id="${id}" data-state="${name}">${head}<p>This state has not run.</p></section>`
  const counts = STATE_STATUSES.filter((s) => summary.counts[s] > 0)
    .map((s) => `${summary.counts[s]} ${STATUS_LABELS[s]}`)
    .join(', ')
  const items = summary.items
  const itemsLine = items
    ? h`<p data-map-items>Items: ${items.total} in all; ${items.started} started, ${items.succeeded} succeeded, ${items.failed} failed, ${Math.max(0, items.started - items.succeeded - items.failed)} in progress, ${Math.max(0, items.total - items.started)} not started.${items.childRuns.length > 0 ? h` <a href="/console?parent=${encodeURIComponent(view.run.id)}">Child runs</a>: ${items.childRuns.slice(0, 10).map((child) => h`<a href="/console/runs/${encodeURIComponent(child)}">${child.slice(0, 13)}…</a> `)}` : ''}</p>`
    : ''
  const visits = summary.visits.map(
    (visit) =>
      h`<div class="visit" data-visit-status="${visit.status}"><p><strong>${STATUS_SYMBOLS[visit.status]} ${STATUS_LABELS[visit.status]}</strong>${visit.frame === 'root' ? '' : h` · ${visit.frame}`} · entered ${visit.enteredAt ? formatTime(visit.enteredAt) : '—'} · duration ${visit.enteredAt ? formatDuration((visit.exitedAt ? Date.parse(visit.exitedAt) : view.now) - Date.parse(visit.enteredAt)) : '—'} · retries ${visit.retries}</p>${visit.error ? h`<p class="error" data-error><strong>${visit.error.error}</strong>${visit.error.cause ? h`: ${visit.error.cause}` : ''}</p>` : ''}<div class="columns">${visit.input !== undefined ? h`<div><strong>Input</strong>${json(visit.input)}</div>` : ''}${visit.output !== undefined ? h`<div><strong>Output</strong>${json(visit.output)}</div>` : ''}</div></div>`,
  )
  const more =
    summary.visitCount > summary.visits.length
      ? h`<p>Showing ${summary.visits.length} of ${summary.visitCount} visits (the first ones, then those that did not succeed).</p>`
      : ''
  return h`<section class="details" id="${id}" data-state="${name}">${head}<p>${summary.visitCount} visit${summary.visitCount === 1 ? '' : 's'}: ${counts}; ${summary.retries} retr${summary.retries === 1 ? 'y' : 'ies'}.</p>${itemsLine}${visits}${more}</section>`
}

function ioPart(view: RunView): Markup {
  const { run } = view
  const report = reportOf(run)
  return h`<div class="columns"><div><h2>Input</h2>${json(run.input)}</div>${run.output !== undefined ? h`<div><h2>Output</h2>${json(run.output)}</div>` : ''}${run.error ? h`<div><h2>Error</h2><p class="error"><strong>${run.error.error}</strong></p>${run.error.cause ? h`<pre>${clip(run.error.cause)}</pre>` : ''}</div>` : ''}</div>${report ? reportTable(report) : ''}`
}

/**
 * A job's report: the run's output, or for a failed nightly run the report its cause carries (`… Report: {…}`). Shown
 * as a table when it has a list of records (the nightly job's `disks`), with its `summary` beside.
 */
export function reportOf(run: Pick<RunRecord, 'output' | 'error'>): Record<string, unknown> | undefined {
  let candidate: unknown = run.output
  const cause = run.error?.cause
  if (candidate === undefined && cause) {
    const at = cause.indexOf('Report: ')
    if (at >= 0) {
      try {
        candidate = JSON.parse(cause.slice(at + 'Report: '.length))
      } catch {
        candidate = undefined
      }
    }
  }
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) return undefined
  const record = candidate as Record<string, unknown>
  return Object.values(record).some(isRecordList) ? record : undefined
}

function isRecordList(value: unknown): value is Array<Record<string, unknown>> {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))
  )
}

function reportTable(report: Record<string, unknown>): Markup {
  const [key, rows] = Object.entries(report).find(([, value]) => isRecordList(value)) as [
    string,
    Array<Record<string, unknown>>,
  ]
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]
  const summaryEntries =
    typeof report.summary === 'object' && report.summary !== null ? Object.entries(report.summary) : []
  return h`<h2>Report</h2>${summaryEntries.length > 0 ? h`<p data-report-summary>${summaryEntries.map(([k, v]) => h`<span class="badge">${k}: ${cell(v)}</span> `)}</p>` : ''}<table class="report" data-report="${key}"><thead><tr>${columns.map((c) => h`<th>${c}</th>`)}</tr></thead><tbody>${rows.map((row) => h`<tr>${columns.map((c) => h`<td>${cell(row[c])}</td>`)}</tr>`)}</tbody></table>`
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '—'
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value !== 'object') return String(value)
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((v) => cell(v)).join('; ')
  return Object.entries(value)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${cell(v)}`)
    .join(', ')
}

function timelinePart(view: RunView, historyFrom?: number): Markup {
  const { events } = view
  const last = events.at(-1)?.seq ?? 0
  const from = historyFrom ?? Math.max(0, last - TIMELINE_PAGE)
  const shown = events.filter((e) => e.seq > from).slice(0, TIMELINE_PAGE)
  const start = events[0] ? Date.parse(events[0].at) : 0
  const id = encodeURIComponent(view.run.id)
  const pager = h`<nav class="pager">${from > 0 ? h`<a href="/console/runs/${id}?historyFrom=${Math.max(0, from - TIMELINE_PAGE)}#history">← Earlier events</a>` : ''}${(shown.at(-1)?.seq ?? last) < last ? h`<a href="/console/runs/${id}?historyFrom=${shown.at(-1)!.seq}#history">Later events →</a>` : ''}<span>${events.length} events in all${shown.length > 0 ? `; showing ${shown[0]!.seq}–${shown.at(-1)!.seq}` : ''}</span></nav>`
  const rows = shown.map(
    (e) =>
      h`<tr data-type="${e.type}"><td class="num">${e.seq}</td><td>${formatTime(e.at)}</td><td class="num">+${formatDuration(Date.parse(e.at) - start)}</td><td>${e.type}</td><td>${e.state ?? ''}</td><td><code>${e.detail === undefined ? '' : clip(JSON.stringify(e.detail), 200)}</code></td></tr>`,
  )
  return h`<div id="history">${pager}<table class="timeline"><thead><tr><th>#</th><th>At (UTC)</th><th>Since start</th><th>Event</th><th>State</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table></div>`
}

function json(value: unknown): Markup {
  return h`<pre>${clip(JSON.stringify(value, null, 2) ?? 'undefined')}</pre>`
}

function clip(text: string, max = JSON_SHOWN): string {
  return text.length > max
    ? `${text.slice(0, max)}… (${(text.length - max).toLocaleString('en-US')} more characters)`
    : text
}
