import type { LaidOutEdge, LaidOutGraph, LaidOutNode } from './graph-layout'
import { h, type Markup } from './markup'
import type { StateStatus } from './state-statuses'

/** A symbol per status, so the graph reads without colour (and in a greyscale print). */
export const STATUS_SYMBOLS: Readonly<Record<StateStatus, string>> = {
  succeeded: '✓',
  failed: '✗',
  caught: '↪',
  running: '▶',
  waiting: '◔',
  'not-run': '○',
}

export const STATUS_LABELS: Readonly<Record<StateStatus, string>> = {
  succeeded: 'succeeded',
  failed: 'failed',
  caught: 'failed, caught',
  running: 'running',
  waiting: 'waiting',
  'not-run': 'not run',
}

export interface GraphView {
  /** Each state's status by name; a state not listed has not run. */
  statusOf(name: string): StateStatus
  /** The fragment (`#…`) that shows the state's details; undefined: the state has none to show. */
  detailHref(name: string): string | undefined
}

/**
 * The workflow as inline SVG: each state a `<g data-state data-status>` with its colour (class `s-<status>`, from the
 * console stylesheet) and its symbol; Map and Parallel bodies drawn inside their state; Catch edges dashed, Choice
 * edges labelled. Server-rendered, so the page reads without JavaScript; a state links to its details by fragment.
 */
export function renderGraph(graph: LaidOutGraph, view: GraphView): Markup {
  const width = Math.ceil(graph.width)
  const height = Math.ceil(graph.height)
  return h`<svg class="graph" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Workflow graph, each state coloured by what happened in this run" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrowhead"/></marker></defs>${body(graph, view)}</svg>`
}

function body(graph: LaidOutGraph, view: GraphView): Markup {
  return h`${graph.edges.map(edge)}${graph.nodes.map((node) => renderNode(node, view))}`
}

function edge(e: LaidOutEdge): Markup {
  const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)} ${round(p.y)}`).join('')
  const label =
    e.label && e.labelAt
      ? h`<text class="edge-label" x="${round(e.labelAt.x)}" y="${round(e.labelAt.y + 4)}" text-anchor="middle">${shorten(e.label, 28)}</text>`
      : ''
  return h`<path class="edge e-${e.kind}" d="${d}" marker-end="url(#arrow)"/>${label}`
}

function renderNode(node: LaidOutNode, view: GraphView): Markup {
  const x = round(node.x)
  const y = round(node.y)
  if (node.kind !== 'state') {
    const r = node.width / 2
    return h`<g class="marker m-${node.kind}" transform="translate(${x} ${y})"><title>${node.name}</title><circle cx="${r}" cy="${r}" r="${r - 1}"/></g>`
  }
  const status = view.statusOf(node.name)
  const href = view.detailHref(node.name)
  const symbol = STATUS_SYMBOLS[status]
  const title = `${node.name} (${node.type}): ${STATUS_LABELS[status]}`
  const header = h`<rect class="box" width="${round(node.width)}" height="${round(node.height)}" rx="6"/><text class="symbol" x="10" y="19">${symbol}</text><text class="name" x="28" y="19">${shorten(node.name, 40)}</text><text class="type" x="28" y="35">${node.type}${node.distributed ? ' · distributed' : ''} · ${STATUS_LABELS[status]}</text>`
  const linked = href ? h`<a href="${href}" class="state-link" aria-label="${title}">${header}</a>` : header
  const inner = (node.inner ?? []).map(
    (part) =>
      h`<g class="inner" transform="translate(${round(part.x)} ${round(part.y)})"><text class="inner-label" x="2" y="-4">${part.label}</text><rect class="inner-box" width="${round(part.graph.width)}" height="${round(part.graph.height)}" rx="4"/>${body(part.graph, view)}</g>`,
  )
  return h`<g class="node s-${status}" data-state="${node.name}" data-status="${status}" data-path="${node.path}" data-type="${node.type}" transform="translate(${x} ${y})"><title>${title}</title>${linked}${inner}</g>`
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
