import { nodeBuiltin } from '../../runtime/node-builtin'
import { sha256Hex } from '../sha256'
import type { ContextObject } from './context-object'
import {
  deepEqual,
  describeType,
  JsonPathError,
  parseJsonPath,
  readCompiled,
  shorten,
  type CompiledJsonPath,
} from './jsonpath'
import { isTooDeep, MAX_JSON_DEPTH } from './json-size'
import { StatesError, StatesErrorNames } from './states-error'
import { seededRandom } from './seeded-random'

/**
 * Intrinsic functions of the JSONPath query language (AWS "Intrinsic functions for JSONPath states"): parsed once
 * into a call tree, evaluated against the state input and the context object.
 */

/** An intrinsic expression that does not parse; the message names the expression and the position. */
export class IntrinsicSyntaxError extends Error {
  override name = 'IntrinsicSyntaxError'
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`Invalid intrinsic function "${shorten(expression)}": ${reason}`)
  }
}

export type IntrinsicArgument =
  | {
      kind: 'literal'
      value: unknown /** a string literal as written, escapes kept (States.Format needs them) */
      raw?: string
    }
  | { kind: 'path'; path: string; fromContext: boolean; compiled: CompiledJsonPath }
  | { kind: 'call'; call: IntrinsicCall }

export interface IntrinsicCall {
  name: string
  args: IntrinsicArgument[]
}

interface FunctionSpec {
  minArgs: number
  maxArgs: number
  run(args: unknown[], call: IntrinsicCall, random: () => number): unknown
}

const cache = new Map<string, IntrinsicCall>()

/**
 * Parses `States.Name(arg, …)`; arguments are string literals in single quotes (escape `'`, `{`, `}` and `\` with a
 * backslash), numbers, `true`/`false`/`null`, `$`/`$$` paths and nested calls. Unknown functions and wrong argument
 * counts are syntax errors, so validation catches them before a run.
 *
 * @example
 * parseIntrinsic("States.Format('Hello, {}', $.name)").name // 'States.Format'
 */
export function parseIntrinsic(expression: string): IntrinsicCall {
  const cached = cache.get(expression)
  if (cached) return cached
  const parser = new IntrinsicParser(expression)
  const call = parser.parseExpression()
  if (cache.size > 10_000) cache.clear()
  cache.set(expression, call)
  return call
}

/** True when a `.$` value is an intrinsic call rather than a path. */
export function isIntrinsicExpression(value: string): boolean {
  return value.startsWith('States.')
}

/**
 * Evaluates an intrinsic expression. Failures of a function (bad argument types, limits) throw
 * `StatesError(States.IntrinsicFailure)`; a path argument that matches nothing throws `StatesError(States.Runtime)`.
 * `random` (default Math.random) feeds States.MathRandom without a seed and States.UUID, so tests can pin them.
 *
 * @example
 * evaluateIntrinsic('States.ArrayRange(1, 9, 2)', {}, context) // [1, 3, 5, 7, 9]
 */
export function evaluateIntrinsic(
  expression: string,
  input: unknown,
  context: ContextObject,
  random?: () => number,
): unknown {
  let call: IntrinsicCall
  try {
    call = parseIntrinsic(expression)
  } catch (error) {
    if (error instanceof IntrinsicSyntaxError || error instanceof JsonPathError) {
      throw new StatesError(StatesErrorNames.IntrinsicFailure, error.message)
    }
    throw error
  }
  return evaluateCall(call, input, context, random)
}

export function evaluateCall(
  call: IntrinsicCall,
  input: unknown,
  context: ContextObject,
  random?: () => number,
): unknown {
  const args = call.args.map((argument) => evaluateArgument(argument, call, input, context, random))
  return functions[call.name].run(args, call, random ?? Math.random)
}

function evaluateArgument(
  argument: IntrinsicArgument,
  call: IntrinsicCall,
  input: unknown,
  context: ContextObject,
  random?: () => number,
): unknown {
  switch (argument.kind) {
    case 'literal':
      return argument.value
    case 'call':
      return evaluateCall(argument.call, input, context, random)
    case 'path': {
      const result = readCompiled(argument.fromContext ? context : input, argument.compiled)
      if (!result.found) {
        throw new StatesError(
          StatesErrorNames.Runtime,
          `The JSONPath "${argument.path}" in ${call.name} matched nothing in the ${argument.fromContext ? 'context object' : 'input'}`,
        )
      }
      return result.value
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The functions. Limits are the documented AWS ones.

const maxStringInput = 10_000 // Base64Encode/Base64Decode/Hash: "up to 10,000 characters"
const maxRangeLength = 1_000 // ArrayRange: "can't contain more than 1000 items"
const hashAlgorithms: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
}

function fail(call: IntrinsicCall, reason: string): never {
  throw new StatesError(StatesErrorNames.IntrinsicFailure, `${call.name}: ${reason}`)
}

function expectString(call: IntrinsicCall, value: unknown, position: number): string {
  if (typeof value !== 'string') fail(call, `argument ${position} must be a string, got ${describeType(value)}`)
  return value
}

function expectArray(call: IntrinsicCall, value: unknown, position: number): unknown[] {
  if (!Array.isArray(value)) fail(call, `argument ${position} must be an array, got ${describeType(value)}`)
  return value
}

function expectInteger(call: IntrinsicCall, value: unknown, position: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    fail(
      call,
      `argument ${position} must be an integer, got ${typeof value === 'number' ? value : describeType(value)}`,
    )
  return value
}

function expectObject(call: IntrinsicCall, value: unknown, position: number): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(call, `argument ${position} must be an object, got ${describeType(value)}`)
  return value as Record<string, unknown>
}

function expectShortString(call: IntrinsicCall, value: unknown, position: number): string {
  const text = expectString(call, value, position)
  if (text.length > maxStringInput)
    fail(call, `argument ${position} has ${text.length} characters, the limit is ${maxStringInput}`)
  return text
}

const functions: Record<string, FunctionSpec> = {
  'States.Format': {
    minArgs: 1,
    maxArgs: Infinity,
    run(args, call) {
      const template =
        call.args[0].kind === 'literal' && call.args[0].raw !== undefined
          ? call.args[0].raw
          : expectString(call, args[0], 1)
      if (typeof args[0] !== 'string') expectString(call, args[0], 1)
      const values = args.slice(1)
      let output = ''
      let used = 0
      for (let index = 0; index < template.length; index++) {
        const char = template[index]
        if (char === '\\' && index + 1 < template.length) {
          output += template[++index]
        } else if (char === '{' && template[index + 1] === '}') {
          if (used >= values.length)
            fail(call, `the template has more {} placeholders than the ${values.length} value(s) given`)
          output += formatValue(call, values[used++], used + 1)
          index++
        } else {
          output += char
        }
      }
      if (used !== values.length)
        fail(call, `the template has ${used} {} placeholder(s) but ${values.length} value(s) were given`)
      return output
    },
  },
  'States.StringToJson': {
    minArgs: 1,
    maxArgs: 1,
    run([text], call) {
      const source = expectString(call, text, 1)
      let value: unknown
      try {
        value = JSON.parse(source)
      } catch (error) {
        fail(call, `argument 1 is not valid JSON (${(error as Error).message})`)
      }
      // JSON.parse takes any depth; what it made must still be copied, compared and written without overflowing the stack.
      if (isTooDeep(value))
        fail(call, `argument 1 is JSON nested deeper than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels`)
      return value
    },
  },
  'States.JsonToString': {
    minArgs: 1,
    maxArgs: 1,
    run([value]) {
      return JSON.stringify(value)
    },
  },
  'States.Array': {
    minArgs: 0,
    maxArgs: Infinity,
    run(args) {
      return args
    },
  },
  'States.ArrayPartition': {
    minArgs: 2,
    maxArgs: 2,
    run([array, size], call) {
      const items = expectArray(call, array, 1)
      const chunk = expectInteger(call, size, 2)
      if (chunk <= 0) fail(call, `argument 2 (the chunk size) must be greater than 0, got ${chunk}`)
      const chunks: unknown[][] = []
      for (let index = 0; index < items.length; index += chunk) chunks.push(items.slice(index, index + chunk))
      return chunks
    },
  },
  'States.ArrayContains': {
    minArgs: 2,
    maxArgs: 2,
    run([array, value], call) {
      return expectArray(call, array, 1).some((item) => deepEqual(item, value))
    },
  },
  'States.ArrayRange': {
    minArgs: 3,
    maxArgs: 3,
    run([first, last, step], call) {
      const start = expectInteger(call, first, 1)
      const end = expectInteger(call, last, 2)
      const increment = expectInteger(call, step, 3)
      if (increment === 0) fail(call, 'argument 3 (the step) must not be 0')
      const length = Math.max(0, Math.floor((end - start) / increment) + 1)
      if (length > maxRangeLength) fail(call, `the range would have ${length} items, the limit is ${maxRangeLength}`)
      return Array.from({ length }, (_, index) => start + index * increment)
    },
  },
  'States.ArrayGetItem': {
    minArgs: 2,
    maxArgs: 2,
    run([array, position], call) {
      const items = expectArray(call, array, 1)
      const index = expectInteger(call, position, 2)
      if (index < 0 || index >= items.length)
        fail(call, `index ${index} is out of range for an array of ${items.length} item(s)`)
      return items[index]
    },
  },
  'States.ArrayLength': {
    minArgs: 1,
    maxArgs: 1,
    run([array], call) {
      return expectArray(call, array, 1).length
    },
  },
  'States.ArrayUnique': {
    minArgs: 1,
    maxArgs: 1,
    run([array], call) {
      // One pass with a set of canonical forms (deepEqual's equality: member order does not count), not a comparison of
      // every pair: an input array of 100,000 numbers took minutes.
      const unique: unknown[] = []
      const scalars = new Set<unknown>()
      const objects = new Set<string>()
      for (const item of expectArray(call, array, 1)) {
        const isObject = typeof item === 'object' && item !== null
        const seen = isObject ? objects : scalars
        const key = isObject ? canonicalJson(item) : item
        if (seen.has(key as string)) continue
        seen.add(key as string)
        unique.push(item)
      }
      return unique
    },
  },
  'States.Base64Encode': {
    minArgs: 1,
    maxArgs: 1,
    run([text], call) {
      return Buffer.from(expectShortString(call, text, 1), 'utf8').toString('base64')
    },
  },
  'States.Base64Decode': {
    minArgs: 1,
    maxArgs: 1,
    run([text], call) {
      const encoded = expectShortString(call, text, 1)
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 === 1)
        fail(call, 'argument 1 is not valid base64')
      return Buffer.from(encoded, 'base64').toString('utf8')
    },
  },
  'States.Hash': {
    minArgs: 2,
    maxArgs: 2,
    run([data, algorithm], call) {
      // ASL spec: "The length of the stringified version of the first argument must be 10,000 characters or less".
      const text = expectShortString(call, typeof data === 'string' ? data : JSON.stringify(data), 1)
      const name = expectString(call, algorithm, 2)
      const nodeName = Object.hasOwn(hashAlgorithms, name) ? hashAlgorithms[name] : undefined // not "constructor"
      if (!nodeName) fail(call, `argument 2 must be one of ${Object.keys(hashAlgorithms).join(', ')}, got "${name}"`)
      if (nodeName === 'sha256') return sha256Hex(text)
      // The other algorithms are rare: node:crypto is loaded when one is first asked for, not at start.
      const { createHash } = nodeBuiltin<typeof import('node:crypto')>('node:crypto')
      return createHash(nodeName).update(text, 'utf8').digest('hex')
    },
  },
  'States.JsonMerge': {
    minArgs: 3,
    maxArgs: 3,
    run([left, right, deep], call) {
      const base = expectObject(call, left, 1)
      const overlay = expectObject(call, right, 2)
      if (typeof deep !== 'boolean') fail(call, `argument 3 (deep merge) must be a boolean, got ${describeType(deep)}`)
      // Shallow: the second object's fields replace the first's. Deep (ASL spec; the AWS guide documents only
      // shallow): objects present in both are merged recursively.
      return mergeObjects(base, overlay, deep)
    },
  },
  'States.MathRandom': {
    minArgs: 2,
    maxArgs: 3,
    run([low, high, seed], call, random) {
      const start = expectInteger(call, low, 1)
      const end = expectInteger(call, high, 2)
      if (end <= start)
        fail(call, `argument 2 (end, exclusive) must be greater than argument 1 (start), got ${start} and ${end}`)
      const source = seed === undefined ? random : seededRandom(expectInteger(call, seed, 3))
      return start + Math.floor(source() * (end - start))
    },
  },
  'States.MathAdd': {
    minArgs: 2,
    maxArgs: 2,
    run([left, right], call) {
      const a = expectInteger(call, left, 1)
      const b = expectInteger(call, right, 2)
      return a + b
    },
  },
  'States.StringSplit': {
    minArgs: 2,
    maxArgs: 2,
    run([text, delimiters], call) {
      const source = expectString(call, text, 1)
      const separators = new Set(expectString(call, delimiters, 2))
      // AWS: every character of the second argument is a delimiter ("This.is+a,test=string" with ".+,=" gives five
      // parts); empty parts are dropped.
      if (separators.size === 0) return [source]
      const parts: string[] = []
      let current = ''
      for (const char of source) {
        if (separators.has(char)) {
          if (current) parts.push(current)
          current = ''
        } else {
          current += char
        }
      }
      if (current) parts.push(current)
      return parts
    },
  },
  'States.UUID': {
    minArgs: 0,
    maxArgs: 0,
    run(_args, _call, random) {
      if (random === Math.random) return crypto.randomUUID()
      const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256) & 0xff)
      bytes[6] = (bytes[6] & 0x0f) | 0x40 // version 4
      bytes[8] = (bytes[8] & 0x3f) | 0x80 // RFC 4122 variant
      const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('')
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    },
  },
}

/** Names of every supported intrinsic function. */
export const intrinsicFunctionNames: readonly string[] = Object.keys(functions)

function mergeObjects(
  base: Record<string, unknown>,
  overlay: Record<string, unknown>,
  deep: boolean,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(overlay)) {
    const existing = Object.hasOwn(merged, key) ? merged[key] : undefined
    const both = deep && isPlainObject(existing) && isPlainObject(value)
    Object.defineProperty(merged, key, {
      value: both ? mergeObjects(existing, value, true) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return merged
}

/** JSON with object members sorted: the same text for values deepEqual calls equal. */
function canonicalJson(value: unknown): string {
  const sorted = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(sorted)
    if (typeof node !== 'object' || node === null) return node
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(node).sort())
      Object.defineProperty(out, key, { value: sorted((node as Record<string, unknown>)[key]), enumerable: true })
    return out
  }
  return JSON.stringify(sorted(value))
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function formatValue(call: IntrinsicCall, value: unknown, position: number): string {
  if (value === null) return 'null'
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value)
  fail(
    call,
    `argument ${position} must be a string, number, boolean or null to be formatted, got ${describeType(value)}`,
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Parser

/** How deeply intrinsic calls may nest (`States.Array(States.Array(…))`): parsing and evaluating recurse once per level. */
export const MAX_INTRINSIC_DEPTH = 100

// Sticky: matched at `lastIndex` without copying the rest of the expression (a slice per argument was quadratic).
const nameToken = /States\.[A-Za-z0-9]+/y
const numberToken = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y

class IntrinsicParser {
  private position = 0
  private depth = 0
  constructor(private readonly text: string) {}

  private fail(reason: string): never {
    throw new IntrinsicSyntaxError(this.text, `${reason} at position ${this.position}`)
  }

  parseExpression(): IntrinsicCall {
    this.skipSpaces()
    const call = this.parseCall()
    this.skipSpaces()
    if (this.position < this.text.length)
      this.fail(`unexpected "${this.text.slice(this.position, this.position + 10)}" after the call`)
    return call
  }

  private parseCall(): IntrinsicCall {
    if (++this.depth > MAX_INTRINSIC_DEPTH) this.fail(`calls nest more than ${MAX_INTRINSIC_DEPTH} levels deep`)
    nameToken.lastIndex = this.position
    const match = nameToken.exec(this.text)
    if (!match) this.fail('expected a function name such as States.Format')
    const name = match[0]
    const spec = Object.hasOwn(functions, name) ? functions[name] : undefined
    if (!spec)
      this.fail(`unknown function ${name} (known: ${intrinsicFunctionNames.map((known) => known.slice(7)).join(', ')})`)
    this.position += name.length
    this.skipSpaces()
    if (this.text[this.position] !== '(') this.fail(`expected "(" after ${name}`)
    this.position++
    const args: IntrinsicArgument[] = []
    this.skipSpaces()
    if (this.text[this.position] === ')') {
      this.position++
    } else {
      for (;;) {
        args.push(this.parseArgument())
        this.skipSpaces()
        const char = this.text[this.position]
        if (char === ',') {
          this.position++
          continue
        }
        if (char === ')') {
          this.position++
          break
        }
        this.fail(char === undefined ? `missing ")" to close ${name}` : `expected "," or ")" but found "${char}"`)
      }
    }
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const expected =
        spec.minArgs === spec.maxArgs
          ? `${spec.minArgs}`
          : spec.maxArgs === Infinity
            ? `at least ${spec.minArgs}`
            : `${spec.minArgs} to ${spec.maxArgs}`
      this.fail(`${name} takes ${expected} argument(s), got ${args.length}`)
    }
    this.depth--
    return { name, args }
  }

  private parseArgument(): IntrinsicArgument {
    this.skipSpaces()
    const text = this.text
    const char = text[this.position]
    if (char === "'") return this.parseString()
    if (char === '$') return this.parsePath()
    if (text.startsWith('States.', this.position)) return { kind: 'call', call: this.parseCall() }
    numberToken.lastIndex = this.position
    const number = numberToken.exec(text)
    if (number) {
      this.position += number[0].length
      return { kind: 'literal', value: Number(number[0]) }
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, this.position) && !/[\w]/.test(text[this.position + word.length] ?? '')) {
        this.position += word.length
        return { kind: 'literal', value }
      }
    }
    this.fail(char === undefined ? 'expected an argument' : `unexpected "${char}"; string arguments use single quotes`)
  }

  private parseString(): IntrinsicArgument {
    this.position++ // '
    const start = this.position
    let value = ''
    while (this.position < this.text.length) {
      const char = this.text[this.position]
      if (char === '\\') {
        const next = this.text[this.position + 1]
        if (next === undefined) break
        // ASL spec: only ' { } \ are escaped; "an open escape backslash" is an error.
        if (!"'{}\\".includes(next)) this.fail(`"\\${next}" is not an escape: only \\' \\{ \\} and \\\\ are`)
        value += next
        this.position += 2
        continue
      }
      if (char === "'") {
        const raw = this.text.slice(start, this.position)
        this.position++
        return { kind: 'literal', value, raw }
      }
      value += char
      this.position++
    }
    this.fail("unterminated string (a literal ' inside a string is written \\')")
  }

  private parsePath(): IntrinsicArgument {
    const start = this.position
    let depth = 0
    let quote: string | undefined
    while (this.position < this.text.length) {
      const char = this.text[this.position]
      if (quote) {
        if (char === '\\') this.position++
        else if (char === quote) quote = undefined
      } else if (char === "'" || char === '"') {
        quote = char
      } else if (char === '[' || char === '(') {
        depth++
      } else if (char === ']' || (char === ')' && depth > 0)) {
        depth--
      } else if (depth === 0 && (char === ',' || char === ')')) {
        break
      }
      this.position++
    }
    const path = this.text.slice(start, this.position).trim()
    const fromContext = path.startsWith('$$')
    let compiled: CompiledJsonPath
    try {
      compiled = parseJsonPath(fromContext ? path.slice(1) : path)
    } catch (error) {
      this.position = start
      this.fail(error instanceof JsonPathError ? `invalid path "${path}": ${error.reason}` : String(error))
    }
    return { kind: 'path', path, fromContext, compiled }
  }

  private skipSpaces(): void {
    while (this.text[this.position] === ' ') this.position++
  }
}
