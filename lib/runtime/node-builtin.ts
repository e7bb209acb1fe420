/**
 * A Node built-in module loaded synchronously when a rare path first needs it (States.Hash with MD5 or SHA-512, a
 * CTFLOW_NOTIFY=@file setting), so that no static `node:` import sits on the cold start of the Bun, Deno and Workers
 * entries. Node (20.16+), Bun, Deno and Workers with nodejs_compat all provide process.getBuiltinModule.
 * @example const { readFileSync } = nodeBuiltin<typeof import('node:fs')>('node:fs')
 */
export function nodeBuiltin<T>(name: `node:${string}`): T {
  const load = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule
  const loaded = load?.(name)
  if (loaded === undefined) throw new Error(`this runtime does not provide ${name} (process.getBuiltinModule)`)
  return loaded as T
}

/**
 * This process's id, read without touching `process` on Deno (its Node `process` object is built on first use, which
 * costs milliseconds at start).
 */
export function processId(): number {
  const deno = (globalThis as { Deno?: { pid: number } }).Deno
  if (deno) return deno.pid
  return (globalThis as { process?: { pid: number } }).process?.pid ?? 0
}
