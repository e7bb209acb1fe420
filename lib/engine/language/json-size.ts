/**
 * How big a value is as JSON (UTF-8 bytes of `JSON.stringify(value)`), measured without building the text and given
 * up on as soon as it passes a limit: a value that names the same array twice (`{"a.$": "$.x", "b.$": "$.x"}`, a Pass
 * doubling its input in a loop) is small in memory but exponential as JSON, and serialising it to find out is what
 * ran a worker out of memory. The walk adds at least one byte per value it visits, so it costs O(limit) at most,
 * whatever the value; it is recursive, but never deeper than MAX_JSON_DEPTH.
 */

/**
 * The deepest nesting of arrays and objects a payload may have. JSON.stringify, structuredClone and every recursive
 * copy or comparison overflow the stack somewhere past ~4,000 levels (Node 20); a 256 KiB input can nest 130,000.
 * 1,000 is Jackson's default limit (StreamReadConstraints.maxNestingDepth), the JSON parser of most Java services.
 */
export const MAX_JSON_DEPTH = 1_000

export interface JsonMeasure {
  /** The exact size when `over` is undefined; otherwise what was counted before giving up (more than the limit). */
  bytes: number
  /** Why the value is refused: larger than `maxBytes`, or nested deeper than MAX_JSON_DEPTH. */
  over?: 'bytes' | 'depth'
}

// Exact sizes of objects measured within a limit, by identity. Payloads are never mutated in place (the interpreter
// builds new values; stores hand out copies), so a state that passes its input on measures it once.
const measured = new WeakMap<object, number>()
const REMEMBER_FROM_BYTES = 8_192

/**
 * Measures `value` as JSON, stopping as soon as it is larger than `maxBytes` or deeper than MAX_JSON_DEPTH. Sizes of
 * objects are remembered by identity (the engine's payloads are never changed in place); `remembered: false` for a
 * value someone else owns and might change (an action's result).
 *
 * @example
 * measureJson({ a: 'é' }, 1024)        // { bytes: 10 }  (the same as Buffer.byteLength(JSON.stringify(…)))
 * measureJson('x'.repeat(2000), 1024)  // { bytes: 2002, over: 'bytes' }
 */
export function measureJson(
  value: unknown,
  maxBytes: number,
  { remembered = true }: { remembered?: boolean } = {},
): JsonMeasure {
  const bytes = remembered ? jsonBytesWithin(value, maxBytes) : walk(value, maxBytes)
  if (bytes >= 0) return { bytes }
  // Over: measured again (a rare path) for how far it went and why.
  walk(value, maxBytes)
  return { bytes: walkBytes, over: walkOver ?? 'bytes' }
}

/**
 * measureJson's fast path for the interpreter (a state's output is measured at every transition): the exact size, or
 * -1 when the value is over `maxBytes` or too deep. Allocates nothing.
 */
export function jsonBytesWithin(value: unknown, maxBytes: number): number {
  if (typeof value !== 'object' || value === null) {
    const bytes = scalarBytes(value, maxBytes)
    return bytes > maxBytes ? -1 : bytes
  }
  // A Choice, a Wait or a plain Pass hands on the very object it got, measured as the state before's output.
  if (value === lastValue) return lastBytes > maxBytes ? -1 : lastBytes
  // Most payloads are small: measured outright, and only one that turns out larger than is worth measuring twice is
  // looked up among those remembered.
  const quick = walk(value, Math.min(maxBytes, REMEMBER_FROM_BYTES))
  if (quick >= 0) return remember(value, quick)
  if (walkOver === 'depth' || maxBytes <= REMEMBER_FROM_BYTES) return -1
  const known = measured.get(value)
  if (known !== undefined) return known > maxBytes ? -1 : remember(value, known)
  const bytes = walk(value, maxBytes)
  if (bytes < 0) return -1
  measured.set(value, bytes)
  return remember(value, bytes)
}

/** The size of an object measured before, if it is remembered (the last one measured, or a large one); else undefined. */
export function knownJsonBytes(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  return value === lastValue ? lastBytes : measured.get(value)
}

let lastValue: object | undefined
let lastBytes = 0

function remember(value: object, bytes: number): number {
  lastValue = value
  lastBytes = bytes
  return bytes
}

/** Whether a value is nested deeper than MAX_JSON_DEPTH (no size limit). */
export function isTooDeep(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  walk(value, Number.POSITIVE_INFINITY)
  return walkOver === 'depth'
}

// The walk's state, in module variables rather than an object per walk (it is synchronous; a toJSON it calls that
// measures something itself has the state put back afterwards).
let walkBytes = 0
let walkLimit = 0
let walkOver: 'bytes' | 'depth' | undefined

/** Walks `value`: its exact size when within `limit` (and MAX_JSON_DEPTH), else -1 (walkBytes and walkOver say more). */
function walk(value: unknown, limit: number): number {
  walkBytes = 0
  walkLimit = limit
  walkOver = undefined
  walkValue(value, 1)
  return walkOver === undefined ? walkBytes : -1
}

/** Adds the value's bytes; `depth` is the nesting level of an object or array (1 at the top). */
function walkValue(value: unknown, depth: number): void {
  if (typeof value !== 'object' || value === null) {
    walkBytes += scalarBytes(value, walkLimit - walkBytes)
  } else if (depth > MAX_JSON_DEPTH) {
    walkOver = 'depth'
    return
  } else if (Array.isArray(value)) {
    walkBytes += value.length === 0 ? 2 : 1 + value.length // [ , , ]
    for (let i = 0; i < value.length && walkOver === undefined && walkBytes <= walkLimit; i++) {
      const element = value[i]
      // JSON writes undefined, functions and symbols in an array as null.
      if (element === undefined || typeof element === 'function' || typeof element === 'symbol') walkBytes += 4
      else if (typeof element !== 'object' || element === null) walkBytes += scalarBytes(element, walkLimit - walkBytes)
      else walkValue(element, depth + 1)
    }
  } else {
    // A plain object (all a payload parsed from JSON is) has no toJSON to call: the lookup, which walks the
    // prototype chain on every shape of object, is left for the others.
    const json = Object.getPrototypeOf(value) === Object.prototype ? undefined : (value as { toJSON?: unknown }).toJSON
    if (typeof json === 'function') {
      // A Date (or another class with toJSON): measured as what JSON writes for it.
      const [bytes, limit, over] = [walkBytes, walkLimit, walkOver]
      const replaced = (json as () => unknown).call(value)
      ;[walkBytes, walkLimit, walkOver] = [bytes, limit, over]
      if (typeof replaced === 'object' && replaced !== null) walkValue(replaced, depth)
      else walkBytes += scalarBytes(replaced, walkLimit - walkBytes)
    } else {
      let members = 0
      // for…in, not Object.keys: no array per object. It would also count members inherited from a polluted
      // Object.prototype (JSON leaves them out): an overestimate, never an underestimate.
      for (const key in value) {
        const member = (value as Record<string, unknown>)[key]
        if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue
        members += 1
        walkBytes += stringBytes(key, walkLimit - walkBytes) + 2 // "key": and a comma or the closing brace
        if (walkBytes > walkLimit) break
        if (typeof member !== 'object' || member === null) {
          walkBytes += scalarBytes(member, walkLimit - walkBytes) // most members: no call of their own
        } else {
          walkValue(member, depth + 1)
          if (walkOver !== undefined) return
        }
      }
      walkBytes += members === 0 ? 2 : 1 // { and, for {}, the }
    }
  }
  if (walkOver === undefined && walkBytes > walkLimit) walkOver = 'bytes'
}

function scalarBytes(value: unknown, budget: number): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value, budget)
    case 'number':
      return Number.isFinite(value) ? numberLength(value) : 4 // NaN and ±Infinity are written as null
    case 'boolean':
      return value ? 4 : 5
    case 'bigint':
      return String(value).length // JSON.stringify refuses a bigint; the engine never sees one from JSON
    default:
      return 4 // null (undefined, a function or a symbol at the top: counted as null, JSON would give nothing)
  }
}

function numberLength(value: number): number {
  // Small integers are most of what workflows carry: count their digits without making a string.
  if (Number.isInteger(value) && value >= 0 && value < 1e9)
    return value < 10
      ? 1
      : value < 100
        ? 2
        : value < 1e3
          ? 3
          : value < 1e4
            ? 4
            : value < 1e5
              ? 5
              : value < 1e6
                ? 6
                : value < 1e7
                  ? 7
                  : value < 1e8
                    ? 8
                    : 9
  return String(value).length
}

/**
 * UTF-8 bytes of a string as JSON writes it: the quotes, two-character escapes (\" \\ \b \f \n \r \t), \u00XX for
 * other control characters and for lone surrogates (well-formed JSON.stringify). Stops counting past `budget`.
 */
function stringBytes(text: string, budget: number): number {
  // Every character is at least one byte: a string longer than what is left cannot fit, whatever it holds.
  if (text.length + 2 > budget) return text.length + 2
  let bytes = 2
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) {
      if (code >= 0x20) bytes += code === 0x22 || code === 0x5c ? 2 : 1
      else bytes += code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6
    } else if (code < 0x800) {
      bytes += 2
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else {
        bytes += 6
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      bytes += 6
    } else {
      bytes += 3
    }
  }
  return bytes
}
