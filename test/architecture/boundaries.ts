/**
 * The module boundaries ARCHITECTURE.md ("Module surfaces") draws, as data and as checks over an import graph
 * (import-graph.ts). imports.test.ts runs the checks on the repository, and on small graphs that break each rule.
 */
import type { ImportEdge } from './import-graph'

/** How an entry besides index.ts may be imported from outside its module. */
export interface Entry {
  /** `on-demand`: only with `import()` (or for types): it is a chunk of its own. `any`: like the index. */
  load: 'on-demand' | 'any'
  why: string
}

/**
 * The modules: each speaks through its index.ts, and through the entries listed here (paths inside the module). Code
 * outside a module imports nothing else of it; a module's own sub-folders are inside it (lib/engine's files may use
 * lib/engine/stores' files), and a module inside another (lib/engine/stores) has a surface of its own.
 */
export const MODULES: Readonly<Record<string, Readonly<Record<string, Entry>>>> = {
  'lib/config': {},
  'lib/ctyun': {
    'settings.ts': {
      load: 'any',
      why: 'reading CTyun settings without the client (lib/config: a cold start that only reads settings)',
    },
    'signing.ts': { load: 'any', why: "the EOP signature's pure parts without the client (lib/simulator's verifier)" },
    'client.ts': {
      load: 'on-demand',
      why: 'createCtyunClient loaded on the first Task call (functions): import() keeps every export of what it loads',
    },
  },
  'lib/ctyun-actions': {
    'ctyun-action-names.ts': {
      load: 'any',
      why: 'the names and kinds alone, for a registry that knows them before lib/ctyun loads',
    },
  },
  'lib/engine': {
    'create-engine.ts': {
      load: 'any',
      why: 'createEngine: the engine with the ASL validator and the JSON Schema checker, which function bundles leave out',
    },
    'validate/index.ts': {
      load: 'any',
      why: 'the ASL validator alone (`ctflow validate`; loaded on demand by `ctflow sim`)',
    },
    'input-schema.ts': {
      load: 'on-demand',
      why: 'JSON Schema checks of run inputs (@cfworker/json-schema), loaded on first use',
    },
  },
  'lib/engine/stores': {},
  'lib/log': {},
  'lib/jobs': {
    'product-actions.ts': {
      load: 'any',
      why: 'createProductActions with every action loaded (the CLI); the index only loads them on demand',
    },
    'product-action-names.ts': {
      load: 'any',
      why: "the product actions' names and kinds without the engine's code (`ctflow validate`)",
    },
  },
  'lib/notify': {
    'outbox-sender.ts': {
      load: 'on-demand',
      why: 'the sender that delivers the outbox (channels, p-retry), loaded where notifications are sent, not by every cold start',
    },
    'test-message.ts': {
      load: 'any',
      why: '`ctflow notify test`: the channels and a test message, without the sender',
    },
    'notify-resource-name.ts': {
      load: 'any',
      why: "`ctflow:notify`'s name alone, without the engine (`ctflow validate`)",
    },
  },
  'lib/webhooks': {},
  'lib/simulator': {
    'demo-credentials.ts': {
      load: 'any',
      why: 'the credentials a simulator accepts by default, for a client pointed at one elsewhere, without Hono or the simulator',
    },
  },
}

/** The top-level folders no import cycle may join. */
export const FOLDERS = [
  'lib/config',
  'lib/ctyun',
  'lib/ctyun-actions',
  'lib/engine',
  'lib/jobs',
  'lib/log',
  'lib/notify',
  'lib/simulator',
  'lib/webhooks',
  'functions',
  'cli',
  'workflows',
] as const

/** What the workflow engine must not know: it runs whatever an action registry holds. */
export const ENGINE_MAY_NOT_IMPORT = [
  'lib/ctyun',
  'lib/ctyun-actions',
  'lib/simulator',
  'lib/jobs',
  'lib/log',
  'lib/notify',
  'functions',
  'cli',
  'workflows',
] as const

/** Tests and their helpers may reach inside a module (and are left out of the folder graph). */
export function isTestFile(file: string): boolean {
  return (
    /\.(test|child|contract|vectors)\.ts$/.test(file) ||
    /(^|\/)(testing|fixtures)\//.test(file) ||
    file.endsWith('/test-support.ts')
  )
}

function inside(file: string, dir: string): boolean {
  return file.startsWith(`${dir}/`)
}

/** The top-level folder a file is in (lib/engine/stores/x.ts → lib/engine), or undefined. */
export function folderOf(file: string): string | undefined {
  return FOLDERS.find((folder) => inside(file, folder))
}

export interface Violation {
  edge: ImportEdge
  rule: string
}

const describeEdge = (edge: ImportEdge) =>
  `${edge.from}:${edge.line} ${edge.kind === 'static' ? 'imports' : edge.kind === 'dynamic' ? 'loads (import())' : 'imports types from'} ${edge.to}`

export function formatViolations(violations: readonly Violation[]): string[] {
  return violations.map((v) => `${describeEdge(v.edge)}: ${v.rule}`)
}

/**
 * Code outside a module imports its index.ts or one of its entries; an `on-demand` entry only with import() (or for
 * its types). Test files are exempt.
 */
export function surfaceViolations(edges: readonly ImportEdge[], modules = MODULES): Violation[] {
  const violations: Violation[] = []
  for (const edge of edges) {
    if (isTestFile(edge.from)) continue
    if (edge.to.endsWith('(unresolved)')) {
      violations.push({ edge, rule: 'the specifier resolves to no file' })
      continue
    }
    // The modules the target is in, innermost first; an importer inside any of them may use the file.
    const owners = Object.keys(modules)
      .filter((dir) => inside(edge.to, dir))
      .sort((a, b) => b.length - a.length)
    if (owners.length === 0 || owners.some((dir) => inside(edge.from, dir))) continue
    const surface = owners.flatMap((dir) => [
      { file: `${dir}/index.ts`, entry: { load: 'any', why: 'the index' } as Entry, dir },
      ...Object.entries(modules[dir]!).map(([path, entry]) => ({ file: `${dir}/${path}`, entry, dir })),
    ])
    const match = surface.find((s) => s.file === edge.to)
    if (!match) {
      violations.push({
        edge,
        rule: `outside ${owners[0]}, import ${owners[0]}/index.ts (or an entry listed in test/architecture/boundaries.ts)`,
      })
    } else if (match.entry.load === 'on-demand' && edge.kind === 'static') {
      violations.push({
        edge,
        rule: `${match.file} is loaded on demand (${match.entry.why}): use import(), or import its types only`,
      })
    }
  }
  return violations
}

/** lib/engine (tests included) imports nothing of the folders it must not know. */
export function engineViolations(edges: readonly ImportEdge[]): Violation[] {
  return edges
    .filter((edge) => inside(edge.from, 'lib/engine'))
    .flatMap((edge) => {
      const folder = folderOf(edge.to)
      return folder && (ENGINE_MAY_NOT_IMPORT as readonly string[]).includes(folder)
        ? [{ edge, rule: `lib/engine must not import ${folder}` }]
        : []
    })
}

/**
 * The cycles between top-level folders, each as its folders and one import per step (tests left out: a client test
 * may start the simulator, which verifies signatures with the client's signer).
 */
export function folderCycles(edges: readonly ImportEdge[]): Array<{ folders: string[]; edges: ImportEdge[] }> {
  const graph = new Map<string, Map<string, ImportEdge>>()
  for (const edge of edges) {
    if (isTestFile(edge.from)) continue
    const from = folderOf(edge.from)
    const to = folderOf(edge.to)
    if (!from || !to || from === to) continue
    const targets = graph.get(from) ?? new Map<string, ImportEdge>()
    if (!targets.has(to)) targets.set(to, edge)
    graph.set(from, targets)
  }
  // Tarjan's strongly connected components: a component of two or more folders is a cycle.
  let index = 0
  const stack: string[] = []
  const state = new Map<string, { index: number; low: number; onStack: boolean }>()
  const components: string[][] = []
  const connect = (folder: string) => {
    state.set(folder, { index, low: index, onStack: true })
    index += 1
    stack.push(folder)
    for (const next of graph.get(folder)?.keys() ?? []) {
      if (!state.has(next)) {
        connect(next)
        state.get(folder)!.low = Math.min(state.get(folder)!.low, state.get(next)!.low)
      } else if (state.get(next)!.onStack) {
        state.get(folder)!.low = Math.min(state.get(folder)!.low, state.get(next)!.index)
      }
    }
    if (state.get(folder)!.low === state.get(folder)!.index) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        state.get(member)!.onStack = false
        component.push(member)
      } while (member !== folder)
      if (component.length > 1) components.push(component.sort())
    }
  }
  for (const folder of graph.keys()) if (!state.has(folder)) connect(folder)
  return components.map((folders) => ({
    folders,
    edges: folders.flatMap((from) =>
      folders.flatMap((to) => (graph.get(from)?.get(to) ? [graph.get(from)!.get(to)!] : [])),
    ),
  }))
}

export function formatCycle(cycle: { folders: string[]; edges: ImportEdge[] }): string {
  return `${cycle.folders.join(' ↔ ')}: ${cycle.edges.map(describeEdge).join('; ')}`
}
