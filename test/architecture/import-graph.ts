/**
 * Every import between the repository's own TypeScript files, read with the TypeScript compiler's parser (not a
 * regex): `import … from`, `export … from`, `import()` with a literal specifier, and `import('…')` types. Package
 * imports (`hono`, `node:fs`) are left out; a relative specifier is resolved as the bundler resolves it (`x.ts`,
 * `x/index.ts`, or the file itself, e.g. a `.json`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

/** `static`: loaded with the importer; `dynamic`: `import()`, loaded on demand; `type`: erased when compiled. */
export type ImportKind = 'static' | 'dynamic' | 'type'

export interface ImportEdge {
  /** Repository-relative paths with `/`, e.g. `functions/open-engine.ts`. */
  from: string
  to: string
  specifier: string
  kind: ImportKind
  line: number
}

/** The `.ts` files under `dirs` (repository-relative), node_modules and dist left out. */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir))) {
      if (name === 'node_modules' || name === 'dist') continue
      const path = `${dir}/${name}`
      if (statSync(join(root, path)).isDirectory()) walk(path)
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path)
    }
  }
  for (const dir of dirs) walk(dir)
  return files.sort()
}

/** The imports of one file whose specifiers are relative (the repository's own files). */
export function importsOf(root: string, file: string): ImportEdge[] {
  const text = readFileSync(join(root, file), 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const edges: ImportEdge[] = []
  const add = (literal: ts.Expression | ts.TypeNode | undefined, kind: ImportKind, node: ts.Node) => {
    let specifier: string | undefined
    if (literal && ts.isStringLiteralLike(literal as ts.Node)) specifier = (literal as ts.StringLiteralLike).text
    else if (
      literal &&
      ts.isLiteralTypeNode(literal as ts.Node) &&
      ts.isStringLiteral((literal as ts.LiteralTypeNode).literal)
    ) {
      specifier = ((literal as ts.LiteralTypeNode).literal as ts.StringLiteral).text
    }
    if (specifier === undefined || !specifier.startsWith('.')) return
    const to = resolveSpecifier(root, file, specifier)
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
    edges.push({ from: file, to: to ?? `${specifier} (unresolved)`, specifier, kind, line })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, importDeclarationKind(node), node)
    } else if (ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier)
        add(node.moduleSpecifier, node.isTypeOnly || onlyTypeExports(node) ? 'type' : 'static', node)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], 'dynamic', node)
    } else if (ts.isImportTypeNode(node)) {
      add(node.argument, 'type', node)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return edges
}

/** Every edge between the files under `dirs`. */
export function scanImports(root: string, dirs: readonly string[]): { files: string[]; edges: ImportEdge[] } {
  const files = sourceFiles(root, dirs)
  return { files, edges: files.flatMap((file) => importsOf(root, file)) }
}

function importDeclarationKind(node: ts.ImportDeclaration): ImportKind {
  const clause = node.importClause
  // `import './x'` runs the file: a value import.
  if (!clause) return 'static'
  if (clause.isTypeOnly) return 'type'
  if (clause.name) return 'static'
  const bindings = clause.namedBindings
  if (!bindings || ts.isNamespaceImport(bindings)) return 'static'
  // `import { type A, type B } from './x'` is erased like `import type` (esbuild drops imports nothing uses as a value).
  return bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly) ? 'type' : 'static'
}

function onlyTypeExports(node: ts.ExportDeclaration): boolean {
  const clause = node.exportClause
  return (
    !!clause &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((element) => element.isTypeOnly)
  )
}

function resolveSpecifier(root: string, from: string, specifier: string): string | undefined {
  const base = resolve(root, dirname(from), specifier)
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(root, candidate).split('\\').join('/')
  }
  return undefined
}
