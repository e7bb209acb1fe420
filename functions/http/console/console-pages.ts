import type { RunStatus, RunSummary, WorkflowInfo } from '../../../lib/engine'
import { h, type Markup } from './markup'

export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']

const RUN_SYMBOLS: Record<RunStatus, string> = {
  RUNNING: '▶',
  SUCCEEDED: '✓',
  FAILED: '✗',
  TIMED_OUT: '✗',
  ABORTED: '■',
}

/** What a page needs to draw its frame: the signed-in form token (for the sign-out form), or none on sign-in pages. */
export interface PageFrame {
  title: string
  formToken?: string
}

/** The HTML page around a console view: stylesheet and script served by the app, sign-out for a session. */
export function layout(frame: PageFrame, content: Markup): string {
  const nav =
    frame.formToken !== undefined
      ? h`<a href="/console">Runs</a><a href="/console/workflows">Start a run</a><form method="post" action="/console/logout"><input type="hidden" name="csrf" value="${frame.formToken}"><button type="submit">Sign out</button></form>`
      : ''
  return `<!doctype html>${h`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="same-origin"><title>${frame.title} · ctflow console</title><link rel="stylesheet" href="/console/assets/console.css"></head><body><header class="top"><a href="/console">ctflow console</a>${nav}</header><main>${content}</main><script src="/console/assets/console.js" defer></script></body></html>`}`
}

export function signInPage(options: { problem?: string; disabled?: boolean }): string {
  const body = options.disabled
    ? h`<p class="error">The console is disabled: the server has no CTFLOW_API_TOKEN. Set it and restart to sign in.</p>`
    : h`<form method="post" action="/console/login"><label for="token">API token (CTFLOW_API_TOKEN)</label><input id="token" name="token" type="password" autocomplete="current-password" required autofocus>${options.problem ? h`<p class="error" role="alert">${options.problem}</p>` : ''}<button class="primary" type="submit">Sign in</button></form>`
  return layout({ title: 'Sign in' }, h`<div class="signin"><h1>Sign in</h1>${body}</div>`)
}

export function messagePage(frame: PageFrame, heading: string, message: string): string {
  return layout(frame, h`<h1>${heading}</h1><p>${message}</p><p><a href="/console">Back to the runs</a></p>`)
}

export interface RunsListView {
  runs: RunSummary[]
  workflows: WorkflowInfo[]
  query: { workflow?: string; status?: RunStatus; parent?: string }
  nextCursor?: string
  /** Whether this is a later page (a cursor was given). */
  paged: boolean
  now: number
}

/** The runs list: newest first, filters by workflow and status, pages by the store's cursor. */
export function runsListPage(frame: PageFrame, view: RunsListView): string {
  const { query } = view
  const filterQuery = (extra: Record<string, string>) => {
    const params = new URLSearchParams()
    if (query.workflow) params.set('workflow', query.workflow)
    if (query.status) params.set('status', query.status)
    if (query.parent) params.set('parent', query.parent)
    for (const [key, value] of Object.entries(extra)) params.set(key, value)
    const text = params.toString()
    return `/console${text ? `?${text}` : ''}`
  }
  const heading = query.parent
    ? h`<h1>Child runs of <a href="/console/runs/${encodeURIComponent(query.parent)}">${query.parent}</a></h1><p>One run per item of its distributed Map.</p>`
    : h`<h1>Runs</h1>`
  const filters = h`<form class="filters" method="get" action="/console">${query.parent ? h`<input type="hidden" name="parent" value="${query.parent}">` : ''}<label>Workflow<select name="workflow"><option value="">all</option>${view.workflows.map((w) => h`<option value="${w.name}"${w.name === query.workflow ? ' selected' : ''}>${w.name}</option>`)}</select></label><label>Status<select name="status"><option value="">all</option>${RUN_STATUSES.map((s) => h`<option value="${s}"${s === query.status ? ' selected' : ''}>${s}</option>`)}</select></label><button type="submit">Filter</button></form>`
  const rows = view.runs.map(
    (run) =>
      h`<tr data-run="${run.id}" data-status="${run.status}"><td>${runBadge(run.status)}</td><td><a href="/console/runs/${encodeURIComponent(run.id)}">${run.id}</a></td><td>${run.workflow}</td><td>${formatTime(run.createdAt)}</td><td class="num">${formatDuration(durationMs(run, view.now))}</td><td>${run.error ? h`<span class="error">${run.error.error}</span>` : ''}</td></tr>`,
  )
  const table =
    view.runs.length === 0
      ? h`<p>No runs${query.workflow || query.status ? ' match these filters' : ' yet'}.</p>`
      : h`<table class="runs"><thead><tr><th>Status</th><th>Run</th><th>Workflow</th><th>Started (UTC)</th><th>Duration</th><th>Error</th></tr></thead><tbody>${rows}</tbody></table>`
  const pager = h`<nav class="pager">${view.paged ? h`<a href="${filterQuery({})}">First page</a>` : ''}${view.nextCursor ? h`<a rel="next" href="${filterQuery({ cursor: view.nextCursor })}">Older runs →</a>` : ''}</nav>`
  return layout({ ...frame, title: 'Runs' }, h`${heading}${filters}${table}${pager}`)
}

/** The workflows one can start, each with its comment. */
export function workflowsPage(frame: PageFrame, workflows: WorkflowInfo[]): string {
  const rows = workflows.map(
    (w) =>
      h`<tr><td><a href="/console/workflows/${encodeURIComponent(w.name)}/start">${w.name}</a></td><td>${w.comment ?? ''}</td></tr>`,
  )
  return layout(
    { ...frame, title: 'Start a run' },
    h`<h1>Start a run</h1><table><thead><tr><th>Workflow</th><th>What it does</th></tr></thead><tbody>${rows}</tbody></table>`,
  )
}

export function runBadge(status: RunStatus): Markup {
  return h`<span class="badge b-${status}">${RUN_SYMBOLS[status]} ${status}</span>`
}

export function durationMs(run: Pick<RunSummary, 'status' | 'createdAt' | 'updatedAt'>, now: number): number {
  return (run.status === 'RUNNING' ? now : run.updatedAt.getTime()) - run.createdAt.getTime()
}

export function formatTime(at: Date | string): string {
  const date = typeof at === 'string' ? new Date(at) : at
  return Number.isNaN(date.getTime())
    ? String(at)
    : date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '')
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1_000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}
