// The module boundaries of ARCHITECTURE.md ("Module surfaces"), checked on every import of lib/, functions/, cli/ and
// workflows/ (parsed with the TypeScript compiler, import-graph.ts; the rules are in boundaries.ts).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  engineViolations,
  folderCycles,
  folderOf,
  formatCycle,
  formatViolations,
  FOLDERS,
  isTestFile,
  MODULES,
  surfaceViolations,
} from './boundaries'
import { importsOf, scanImports, type ImportEdge } from './import-graph'

const root = fileURLToPath(new URL('../..', import.meta.url))
const { files, edges } = scanImports(root, ['lib', 'functions', 'cli', 'workflows'])

const edge = (from: string, to: string, kind: ImportEdge['kind'] = 'static'): ImportEdge => ({
  from,
  to,
  specifier: to,
  kind,
  line: 1,
})

describe('the import scan', () => {
  it('reads static, dynamic and type imports and re-exports, resolved to files', () => {
    expect(files.length).toBeGreaterThan(200)
    const of = (file: string) => importsOf(root, file)
    expect(of('functions/open-engine.ts')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ to: 'lib/engine/index.ts', kind: 'static' }),
        expect.objectContaining({ to: 'lib/ctyun/index.ts', kind: 'type' }),
        expect.objectContaining({ to: 'lib/ctyun/client.ts', kind: 'dynamic' }),
      ]),
    )
    expect(of('lib/ctyun-actions/index.ts')).toContainEqual(
      expect.objectContaining({ to: 'lib/ctyun-actions/ctyun-actions.ts', kind: 'static' }),
    )
    expect(of('lib/ctyun/settings.ts')).toContainEqual(
      expect.objectContaining({ to: 'lib/ctyun/client.ts', kind: 'type' }),
    )
    expect(edges.filter((e) => e.to.endsWith('(unresolved)'))).toEqual([])
  })
})

describe('module surfaces', () => {
  it('every module has an index.ts, and every entry it lists exists', () => {
    for (const [dir, entries] of Object.entries(MODULES)) {
      expect(existsSync(join(root, dir, 'index.ts')), `${dir}/index.ts`).toBe(true)
      for (const path of Object.keys(entries)) expect(existsSync(join(root, dir, path)), `${dir}/${path}`).toBe(true)
    }
  })

  it('code outside a module imports its index or a listed entry, never its other files (tests may reach inside)', () => {
    expect(formatViolations(surfaceViolations(edges))).toEqual([])
  })

  it('catches a reach inside, and a static import of an entry that is loaded on demand', () => {
    const broken = [
      edge('cli/commands/worker.ts', 'lib/engine/runner.ts'),
      edge('functions/open-engine.ts', 'lib/engine/stores/open-store.ts'),
      edge('functions/open-engine.ts', 'lib/ctyun/client.ts'),
      edge('lib/jobs/product-actions.ts', 'lib/engine/actions/registry.ts', 'type'),
    ]
    expect(surfaceViolations(broken).map((v) => v.edge.to)).toEqual([
      'lib/engine/runner.ts',
      'lib/engine/stores/open-store.ts',
      'lib/ctyun/client.ts',
      'lib/engine/actions/registry.ts',
    ])
    const fine = [
      edge('lib/engine/runner.ts', 'lib/engine/stores/run-store.ts'),
      edge('lib/engine/stores/file-store.ts', 'lib/engine/run.ts'),
      edge('functions/open-engine.ts', 'lib/ctyun/client.ts', 'dynamic'),
      edge('functions/open-engine.ts', 'lib/engine/stores/index.ts'),
      edge('cli/commands/validate.ts', 'lib/engine/validate/index.ts'),
      edge('functions/http/app.test.ts', 'lib/engine/stores/memory-store.ts'),
    ]
    expect(surfaceViolations(fine)).toEqual([])
  })
})

describe('the engine knows no CTyun', () => {
  it('lib/engine (its tests too) imports nothing from lib/ctyun, lib/ctyun-actions, lib/simulator, lib/jobs, functions, cli or workflows', () => {
    expect(formatViolations(engineViolations(edges))).toEqual([])
  })

  it('catches an engine file that imports lib/ctyun, even for types', () => {
    const broken = [
      edge('lib/engine/runner.ts', 'lib/ctyun/errors.ts', 'type'),
      edge('lib/engine/actions/registry.ts', 'lib/ctyun-actions/index.ts'),
    ]
    expect(engineViolations(broken)).toHaveLength(2)
    expect(engineViolations([edge('lib/engine/stores/open-store.ts', 'lib/config/index.ts')])).toEqual([])
  })
})

describe('folders', () => {
  it('no import cycle joins two top-level folders', () => {
    expect(folderCycles(edges).map(formatCycle)).toEqual([])
  })

  it('catches a cycle through any number of folders, naming an import of each step', () => {
    const cycle = folderCycles([
      edge('lib/config/a.ts', 'lib/ctyun/b.ts'),
      edge('lib/ctyun/b.ts', 'lib/simulator/c.ts', 'type'),
      edge('lib/simulator/c.ts', 'lib/config/d.ts', 'dynamic'),
      edge('cli/x.ts', 'lib/config/a.ts'),
    ])
    expect(cycle.map((c) => c.folders)).toEqual([['lib/config', 'lib/ctyun', 'lib/simulator']])
    expect(cycle[0]!.edges).toHaveLength(3)
    expect(
      folderCycles([
        edge('lib/ctyun/client.test.ts', 'lib/simulator/index.ts'),
        edge('lib/simulator/x.ts', 'lib/ctyun/signing.ts'),
      ]),
    ).toEqual([])
  })
})

describe('ARCHITECTURE.md draws what the code does', () => {
  const architecture = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8')
  const rows = (firstColumn: RegExp) =>
    architecture
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      )
      .filter((cells) => firstColumn.test(cells[0]!))

  it('lists exactly the entries of test/architecture/boundaries.ts, each loaded as it says', () => {
    const documented = rows(/^lib\//).filter((cells) => cells.length === 4 && cells[1]!.startsWith('`'))
    const listed = Object.entries(MODULES).flatMap(([dir, entries]) =>
      Object.entries(entries).map(([path, entry]) => `${dir} ${path} ${entry.load}`),
    )
    expect(
      documented
        .map(
          ([dir, path, loaded]) =>
            `${dir} ${path!.replace(/`/g, '')} ${loaded === '`import()` only' ? 'on-demand' : 'any'}`,
        )
        .sort(),
    ).toEqual(listed.sort())
  })

  it("lists for each folder the folders it imports (the part before 'never')", () => {
    const actual = new Map<string, Set<string>>()
    for (const e of edges) {
      const from = folderOf(e.from)
      const to = folderOf(e.to)
      if (isTestFile(e.from) || !from || !to || from === to) continue
      actual.set(from, (actual.get(from) ?? new Set()).add(to))
    }
    const documented = rows(/^(lib\/[a-z-]+|functions|cli|workflows)$/).filter((cells) => cells.length === 2)
    expect(documented.map(([folder]) => folder).sort()).toEqual([...FOLDERS].sort())
    for (const [folder, imports] of documented) {
      if (imports === 'any of the above') continue
      const named = new Set(
        FOLDERS.filter((name) => new RegExp(`(^|[\\s,(])${name}(?![\\w-])`).test(imports!.split(/;\s*never\b/)[0]!)),
      )
      expect([...named].sort(), folder).toEqual([...(actual.get(folder!) ?? [])].sort())
    }
  })
})
