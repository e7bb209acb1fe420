/**
 * The files a packaged ES module entry loads before its first line runs: the entry and every chunk reached through
 * static `import` statements (esbuild's minified output), not the `import()` ones loaded on demand. For the package
 * test's cold-start checks.
 */
import { readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

export interface StartPath {
  /** Paths relative to the entry's directory, e.g. `worker.js`, `chunks/chunk-AB12CD34.js`. */
  files: string[]
  /** What those files import from outside the package, e.g. `node:crypto`, `cloudflare:sockets`. */
  externals: string[]
  /** Each file's text, by its relative path. */
  code: Map<string, string>
}

// `import{a as b}from"./x.js"`, `import*as m from"node:fs"`, `import"./y.js"`: a static import at a statement start.
const STATIC_IMPORT = /(?:^|[;\n}])\s*import\s*(?:[\w$*{][^'"`();]*?from\s*)?["']([^"']+)["']/g

export function startPathOf(entry: string): StartPath {
  const root = dirname(entry)
  const code = new Map<string, string>()
  const externals = new Set<string>()
  const pending = [entry]
  while (pending.length > 0) {
    const file = pending.pop()!
    const name = relative(root, file)
    if (code.has(name)) continue
    const text = readFileSync(file, 'utf8')
    code.set(name, text)
    for (const [, specifier] of text.matchAll(STATIC_IMPORT)) {
      if (specifier!.startsWith('.')) pending.push(join(dirname(file), specifier!))
      else externals.add(specifier!)
    }
  }
  return { files: [...code.keys()], externals: [...externals].sort(), code }
}
