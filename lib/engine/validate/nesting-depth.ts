import { jsonPointer } from './json-pointer'

/**
 * How deeply a workflow definition may nest objects and arrays. The deepest shipped workflow nests 14 levels; 200 is
 * room for some 45 Parallel or Map states one inside the other. The validator, the engine and JSON.stringify all walk a
 * definition recursively: bounding it here keeps every one of them far from a stack overflow (a Parallel nested 3,000
 * times is some 12,000 levels).
 */
export const MAX_DEFINITION_DEPTH = 200

/**
 * The first place where `value` nests deeper than `maxDepth` objects/arrays (the top one is level 1): its JSON
 * pointer, and how deep the value goes in all. Undefined when it does not. Walks with its own stack, so that it cannot
 * overflow the call stack itself, whatever it is given.
 *
 * @example
 * findDeepNesting({ a: { b: { c: {} } } }, 2) // { pointer: '/a/b', depth: 4 }
 */
export function findDeepNesting(value: unknown, maxDepth: number): { pointer: string; depth: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  // Each entry: a container, its depth, and the path (parent entry + key) to build a pointer only when needed.
  interface Entry {
    node: object
    depth: number
    parent: Entry | undefined
    key: string
  }
  const stack: Entry[] = [{ node: value, depth: 1, parent: undefined, key: '' }]
  // Each object once: a definition built in code may share one object in several places (or even contain itself).
  const seen = new Set<object>([value])
  let crossing: Entry | undefined
  let deepest = 0
  while (stack.length > 0) {
    const entry = stack.pop()!
    deepest = Math.max(deepest, entry.depth)
    if (entry.depth > maxDepth && crossing === undefined) crossing = entry
    const children = Array.isArray(entry.node) ? entry.node.entries() : Object.entries(entry.node)
    for (const [key, child] of children) {
      if (typeof child !== 'object' || child === null || seen.has(child)) continue
      seen.add(child)
      stack.push({ node: child, depth: entry.depth + 1, parent: entry, key: String(key) })
    }
  }
  if (crossing === undefined) return undefined
  const keys: string[] = []
  for (let entry: Entry | undefined = crossing; entry?.parent !== undefined; entry = entry.parent) keys.push(entry.key)
  return { pointer: jsonPointer(...keys.reverse()), depth: deepest }
}
