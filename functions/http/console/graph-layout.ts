// @dagrejs/dagre rather than elkjs: dagre is small (~60 kB), synchronous and plain JavaScript, so a run page lays its
// graph out inside one request with no worker and no WebAssembly; elkjs is ~1.5 MB and asynchronous (it runs ELK
// compiled from Java, meant for a worker). A workflow is a small layered graph, which is what dagre draws well. Map and
// Parallel bodies are laid out first and placed inside their state as fixed-size boxes, since dagre's compound
// clusters cannot take edges to the cluster itself (a Map has a Next of its own).
import dagre from '@dagrejs/dagre'
import type { StateDefinition, StateType } from '../../../lib/engine'

export interface Point {
  x: number
  y: number
}

export type EdgeKind = 'next' | 'default' | 'choice' | 'catch'

export interface LaidOutEdge {
  kind: EdgeKind
  label?: string
  points: Point[]
  /** Where the label's centre goes. */
  labelAt?: Point
}

export interface LaidOutNode {
  /** `start`/`end` markers, or a state. */
  kind: 'start' | 'end' | 'state'
  /** The state's name (data-state). */
  name: string
  /** Unique in the whole graph: the names from the top, joined by `/` (a branch's state may reuse a name). */
  path: string
  type?: StateType
  /** Top-left corner, in the coordinates of the graph that holds the node. */
  x: number
  y: number
  width: number
  height: number
  /** A Map's item processor (one) or a Parallel's branches, each placed at its offset inside the node. */
  inner?: Array<{ graph: LaidOutGraph; x: number; y: number; label: string }>
  /** A Map whose items run as child runs. */
  distributed?: boolean
}

export interface LaidOutGraph {
  width: number
  height: number
  nodes: LaidOutNode[]
  edges: LaidOutEdge[]
}

interface Workflow {
  StartAt: string
  States: Record<string, StateDefinition>
}

const NODE_HEIGHT = 44
const MARKER = 22
const PAD = 12
const HEADER = 58
const CHAR_WIDTH = 7.2
const MAX_DEPTH = 8

/**
 * Lays a workflow out top to bottom: a node per state plus start and end markers, edges for Next, Default, Choices
 * and Catch; a Map's item processor and a Parallel's branches laid out recursively inside their state.
 * @example const graph = layoutWorkflow(definition) // { width, height, nodes: [...], edges: [...] }
 */
export function layoutWorkflow(workflow: Workflow, path = '', depth = 0): LaidOutGraph {
  const g = new dagre.graphlib.Graph({ multigraph: true })
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 36, edgesep: 12, marginx: PAD, marginy: PAD })
  g.setDefaultEdgeLabel(() => ({}))

  const nodes = new Map<string, LaidOutNode>()
  const add = (id: string, node: LaidOutNode) => {
    nodes.set(id, node)
    g.setNode(id, { width: node.width, height: node.height })
  }
  add('\u0000start', {
    kind: 'start',
    name: 'Start',
    path: `${path}\u0000start`,
    x: 0,
    y: 0,
    width: MARKER,
    height: MARKER,
  })
  let hasEnd = false
  for (const [name, state] of Object.entries(workflow.States)) add(name, stateNode(name, state, path, depth))

  let edgeId = 0
  const edge = (from: string, to: string, kind: EdgeKind, label?: string) => {
    if (!nodes.has(to)) return
    const width = label ? Math.min(label.length, 28) * 6.2 + 8 : 0
    g.setEdge(from, to, { kind, label, width, height: label ? 16 : 0, labelpos: 'c' }, String(edgeId++))
  }
  edge('\u0000start', workflow.StartAt, 'next')
  for (const [name, state] of Object.entries(workflow.States)) {
    if (state.Next !== undefined) edge(name, state.Next, 'next')
    if (state.Type === 'Choice') {
      for (const [index, choice] of (state.Choices ?? []).entries()) {
        const next = (choice as { Next?: string }).Next
        if (typeof next === 'string') edge(name, next, 'choice', `rule ${index + 1}`)
      }
      if (state.Default !== undefined) edge(name, state.Default, 'default', 'default')
    }
    for (const catcher of (state.Catch ?? []) as Array<{ ErrorEquals?: string[]; Next?: string }>) {
      if (typeof catcher.Next === 'string') edge(name, catcher.Next, 'catch', (catcher.ErrorEquals ?? []).join(', '))
    }
    if (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail') {
      if (!hasEnd) {
        add('\u0000end', {
          kind: 'end',
          name: 'End',
          path: `${path}\u0000end`,
          x: 0,
          y: 0,
          width: MARKER,
          height: MARKER,
        })
        hasEnd = true
      }
      edge(name, '\u0000end', 'next')
    }
  }

  dagre.layout(g)

  const laidOut: LaidOutGraph = { width: g.graph().width ?? 0, height: g.graph().height ?? 0, nodes: [], edges: [] }
  for (const [id, node] of nodes) {
    const at = g.node(id)
    node.x = at.x - at.width / 2
    node.y = at.y - at.height / 2
    laidOut.nodes.push(node)
  }
  for (const e of g.edges()) {
    const label = g.edge(e) as { kind: EdgeKind; label?: string; points: Point[]; x?: number; y?: number }
    laidOut.edges.push({
      kind: label.kind,
      points: label.points.map((p) => ({ x: p.x, y: p.y })),
      ...(label.label ? { label: label.label } : {}),
      ...(label.label && label.x !== undefined && label.y !== undefined ? { labelAt: { x: label.x, y: label.y } } : {}),
    })
  }
  return laidOut
}

function stateNode(name: string, state: StateDefinition, path: string, depth: number): LaidOutNode {
  const nodePath = path === '' ? name : `${path}/${name}`
  const labelWidth = Math.max(name.length, (state.Type ?? '').length + 4) * CHAR_WIDTH + 48
  const node: LaidOutNode = {
    kind: 'state',
    name,
    path: nodePath,
    type: state.Type,
    x: 0,
    y: 0,
    width: Math.max(120, Math.min(labelWidth, 320)),
    height: NODE_HEIGHT,
  }
  const bodies =
    state.Type === 'Map'
      ? [state.ItemProcessor ?? state.Iterator].filter((body) => body !== undefined)
      : state.Type === 'Parallel'
        ? (state.Branches ?? [])
        : []
  if (bodies.length === 0 || depth >= MAX_DEPTH) return node
  if (state.Type === 'Map') {
    const mode = (state.ItemProcessor?.ProcessorConfig as { Mode?: string } | undefined)?.Mode
    node.distributed = mode === 'DISTRIBUTED'
  }
  // Bodies side by side under the state's header.
  let x = PAD
  let height = 0
  node.inner = bodies.map((body, index) => {
    const graph = layoutWorkflow(body, state.Type === 'Map' ? nodePath : `${nodePath}/${index + 1}`, depth + 1)
    const placed = {
      graph,
      x,
      y: HEADER,
      label: state.Type === 'Map' ? (node.distributed ? 'each item (child run)' : 'each item') : `branch ${index + 1}`,
    }
    x += graph.width + PAD
    height = Math.max(height, graph.height)
    return placed
  })
  node.width = Math.max(node.width, x)
  node.height = HEADER + height + PAD
  return node
}
