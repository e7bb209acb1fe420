import { StatesError, StatesErrorNames } from './states-error'

/**
 * JSONPath as Step Functions uses it (the Jayway dialect, https://github.com/json-path/JsonPath): `$`, `.name`,
 * `['name']`, `[n]`, `[-n]`, `[*]`, `.*`, `[a:b:c]`, `..name`, `[a,b]` and filters `[?(@.x op v)]` with `&&`, `||`,
 * `!`, parentheses and `@.x` existence tests. Paths compile once and are cached.
 */

/** A JSONPath that does not parse; the message names the path and the position. */
export class JsonPathError extends Error {
  override name = 'JsonPathError'
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Invalid JSONPath "${shorten(path)}": ${reason}`)
  }
}

/** A path or expression as a message quotes it: a hostile one may be 256 KiB long. */
export function shorten(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters)` : text
}

export type PathSegment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | undefined; end: number | undefined; step: number }
  | { kind: 'union'; keys: Array<string | number> }
  | { kind: 'recursive' } // `..`: the node itself and all its descendants; the next segment selects from them
  | { kind: 'filter'; test: FilterExpression }

export type FilterOperand =
  | { kind: 'literal'; value: unknown }
  | { kind: 'path'; root: '@' | '$'; segments: PathSegment[]; definite: boolean }

export type FilterExpression =
  | { kind: 'or' | 'and'; operands: FilterExpression[] }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'exists'; operand: FilterOperand }
  | { kind: 'compare'; operator: ComparisonOperator; left: FilterOperand; right: FilterOperand }

type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>='

export interface CompiledJsonPath {
  readonly source: string
  readonly segments: readonly PathSegment[]
  /** True when the path names at most one node (only names and indexes), as ResultPath and Choice variables need. */
  readonly definite: boolean
}

const cache = new Map<string, CompiledJsonPath>()
const cacheLimit = 10_000

/**
 * Parses a JSONPath that starts with `$` (cached).
 *
 * @example
 * parseJsonPath("$.disks[?(@.size > 100)].id").definite // false
 */
export function parseJsonPath(path: string): CompiledJsonPath {
  const cached = cache.get(path)
  if (cached) return cached
  if (typeof path !== 'string') throw new JsonPathError(String(path), 'a path must be a string')
  const parser = new PathParser(path)
  const compiled = parser.parseRoot()
  if (cache.size >= cacheLimit) cache.clear()
  cache.set(path, compiled)
  return compiled
}

/** Whether a path names a single node (no wildcard, slice, union, `..` or filter). Throws JsonPathError if invalid. */
export function isDefinitePath(path: string): boolean {
  return parseJsonPath(path).definite
}

/** Whether a path can be written to (ResultPath): only names and non-negative indexes. Throws if invalid. */
export function isReferencePath(path: string): boolean {
  return parseJsonPath(path).segments.every(
    (segment) => segment.kind === 'name' || (segment.kind === 'index' && segment.index >= 0),
  )
}

export type PathReadResult = { found: true; value: unknown } | { found: false }

/**
 * Reads a path from a document. A definite path that matches nothing returns `{ found: false }`; a non-definite path
 * always returns the array of its matches (possibly empty), as Jayway does.
 *
 * @example
 * readPath({ a: [{ b: 1 }, { b: 2 }] }, '$.a[*].b') // { found: true, value: [1, 2] }
 */
export function readPath(document: unknown, path: string): PathReadResult {
  return readCompiled(document, parseJsonPath(path))
}

export function readCompiled(document: unknown, compiled: CompiledJsonPath): PathReadResult {
  if (compiled.definite) return readDefinite(document, compiled.segments)
  return { found: true, value: selectAll(document, compiled.segments, document) }
}

const notFound: PathReadResult = { found: false }

function readDefinite(document: unknown, segments: readonly PathSegment[]): PathReadResult {
  let node = document
  for (const segment of segments) {
    if (segment.kind === 'name') {
      if (!isObject(node) || !Object.hasOwn(node, segment.name)) return notFound
      node = node[segment.name]
    } else if (segment.kind === 'index') {
      if (!Array.isArray(node)) return notFound
      const index = segment.index < 0 ? node.length + segment.index : segment.index
      if (index < 0 || index >= node.length) return notFound
      node = node[index]
    } else {
      throw new Error(`internal: segment ${segment.kind} in a definite path`)
    }
  }
  return { found: true, value: node }
}

function selectAll(document: unknown, segments: readonly PathSegment[], root: unknown): unknown[] {
  let nodes: unknown[] = [document]
  for (const segment of segments) {
    const next: unknown[] = []
    for (const node of nodes) selectFrom(node, segment, root, next)
    nodes = next
  }
  return nodes
}

function selectFrom(node: unknown, segment: PathSegment, root: unknown, out: unknown[]): void {
  switch (segment.kind) {
    case 'name':
      if (isObject(node) && Object.hasOwn(node, segment.name)) out.push(node[segment.name])
      return
    case 'index':
      if (Array.isArray(node)) {
        const index = segment.index < 0 ? node.length + segment.index : segment.index
        if (index >= 0 && index < node.length) out.push(node[index])
      }
      return
    case 'wildcard':
      if (Array.isArray(node)) out.push(...node)
      else if (isObject(node)) out.push(...Object.values(node))
      return
    case 'slice':
      if (Array.isArray(node)) for (const index of sliceIndexes(node.length, segment)) out.push(node[index])
      return
    case 'union':
      for (const key of segment.keys) {
        if (typeof key === 'number') selectFrom(node, { kind: 'index', index: key }, root, out)
        else selectFrom(node, { kind: 'name', name: key }, root, out)
      }
      return
    case 'recursive':
      collectDescendants(node, out)
      return
    case 'filter':
      // Jayway applies a filter to each element of an array, and to an object itself.
      if (Array.isArray(node)) {
        for (const element of node) if (testFilter(segment.test, element, root)) out.push(element)
      } else if (isObject(node) && testFilter(segment.test, node, root)) out.push(node)
      return
  }
}

function collectDescendants(node: unknown, out: unknown[]): void {
  out.push(node)
  if (Array.isArray(node)) for (const element of node) collectDescendants(element, out)
  else if (isObject(node)) for (const value of Object.values(node)) collectDescendants(value, out)
}

function sliceIndexes(
  length: number,
  slice: { start: number | undefined; end: number | undefined; step: number },
): number[] {
  const { step } = slice
  const normalise = (value: number) =>
    value < 0 ? Math.max(length + value, step < 0 ? -1 : 0) : Math.min(value, step < 0 ? length - 1 : length)
  const indexes: number[] = []
  if (step > 0) {
    const start = slice.start === undefined ? 0 : normalise(slice.start)
    const end = slice.end === undefined ? length : normalise(slice.end)
    for (let index = start; index < end; index += step) indexes.push(index)
  } else {
    const start = slice.start === undefined ? length - 1 : normalise(slice.start)
    const end = slice.end === undefined ? -1 : normalise(slice.end)
    for (let index = start; index > end; index += step) indexes.push(index)
  }
  return indexes
}

function testFilter(expression: FilterExpression, current: unknown, root: unknown): boolean {
  switch (expression.kind) {
    case 'or':
      return expression.operands.some((operand) => testFilter(operand, current, root))
    case 'and':
      return expression.operands.every((operand) => testFilter(operand, current, root))
    case 'not':
      return !testFilter(expression.operand, current, root)
    case 'exists': {
      const value = operandValue(expression.operand, current, root)
      if (!value.found) return false
      if (expression.operand.kind === 'literal') return Boolean(value.value)
      return true
    }
    case 'compare': {
      const left = operandValue(expression.left, current, root)
      const right = operandValue(expression.right, current, root)
      if (!left.found || !right.found) return expression.operator === '!=' && left.found !== right.found
      return compare(expression.operator, left.value, right.value)
    }
  }
}

function operandValue(operand: FilterOperand, current: unknown, root: unknown): PathReadResult {
  if (operand.kind === 'literal') return { found: true, value: operand.value }
  const start = operand.root === '@' ? current : root
  if (operand.definite) return readDefinite(start, operand.segments)
  return { found: true, value: selectAll(start, operand.segments, root) }
}

function compare(operator: ComparisonOperator, left: unknown, right: unknown): boolean {
  switch (operator) {
    case '==':
      return deepEqual(left, right)
    case '!=':
      return !deepEqual(left, right)
  }
  const comparable =
    (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string')
  if (!comparable) return false
  const [a, b] = [left as number | string, right as number | string]
  switch (operator) {
    case '<':
      return a < b
    case '<=':
      return a <= b
    case '>':
      return a > b
    case '>=':
      return a >= b
  }
}

/** Structural equality of JSON values (used by filters, ArrayContains and ArrayUnique). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    return a.every((element, index) => deepEqual(element, b[index]))
  }
  if (Array.isArray(b)) return false
  const aKeys = Object.keys(a)
  if (aKeys.length !== Object.keys(b).length) return false
  return aKeys.every(
    (key) =>
      Object.hasOwn(b, key) && deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  )
}

/**
 * Writes `value` at a reference path and returns a new document (the input is never changed). `$` replaces the whole
 * document; missing objects along the path are created. Writing through a non-object throws
 * `StatesError(States.ResultPathMatchFailure)`.
 *
 * @example
 * writePath({ a: 1 }, '$.result.id', 'x') // { a: 1, result: { id: 'x' } }
 */
export function writePath(document: unknown, referencePath: string, value: unknown): unknown {
  const compiled = parseJsonPath(referencePath)
  for (const segment of compiled.segments) {
    if (segment.kind !== 'name' && !(segment.kind === 'index' && segment.index >= 0)) {
      throw new JsonPathError(referencePath, 'a reference path may only contain names and non-negative indexes')
    }
  }
  return writeAt(
    document,
    compiled.segments as Array<{ kind: 'name'; name: string } | { kind: 'index'; index: number }>,
    0,
    value,
    referencePath,
  )
}

function writeAt(
  node: unknown,
  segments: ReadonlyArray<{ kind: 'name'; name: string } | { kind: 'index'; index: number }>,
  at: number,
  value: unknown,
  path: string,
): unknown {
  if (at === segments.length) return value
  const segment = segments[at]
  if (segment.kind === 'name') {
    if (node === undefined) node = {}
    if (!isObject(node)) throw resultPathFailure(path, segments, at, node)
    const child = Object.hasOwn(node, segment.name) ? node[segment.name] : undefined
    const copy: Record<string, unknown> = { ...node }
    Object.defineProperty(copy, segment.name, {
      value: writeAt(child, segments, at + 1, value, path),
      enumerable: true,
      writable: true,
      configurable: true,
    })
    return copy
  }
  if (!Array.isArray(node) || segment.index >= node.length) throw resultPathFailure(path, segments, at, node)
  const copy = node.slice()
  copy[segment.index] = writeAt(node[segment.index], segments, at + 1, value, path)
  return copy
}

function resultPathFailure(
  path: string,
  segments: ReadonlyArray<{ kind: 'name'; name: string } | { kind: 'index'; index: number }>,
  at: number,
  node: unknown,
): StatesError {
  const prefix = formatPath(segments.slice(0, at))
  const segment = segments[at]
  const reason =
    segment.kind === 'name'
      ? `${prefix} is ${describeType(node)}, not an object`
      : Array.isArray(node)
        ? `${prefix} has ${node.length} element(s), index ${segment.index} is out of range`
        : `${prefix} is ${describeType(node)}, not an array`
  return new StatesError(StatesErrorNames.ResultPathMatchFailure, `Unable to apply ResultPath "${path}": ${reason}`)
}

/** Formats definite segments back into a canonical path (for messages). */
export function formatPath(segments: readonly PathSegment[]): string {
  let text = '$'
  for (const segment of segments) {
    if (segment.kind === 'name')
      text += /^[A-Za-z_$][\w$-]*$/.test(segment.name)
        ? `.${segment.name}`
        : `['${segment.name.replace(/['\\]/g, '\\$&')}']`
    else if (segment.kind === 'index') text += `[${segment.index}]`
    else text += segment.kind === 'wildcard' ? '[*]' : `[${segment.kind}]`
  }
  return text
}

export function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'missing'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// ---------------------------------------------------------------------------------------------------------------
// Parser

const comparisonOperators: readonly ComparisonOperator[] = ['==', '!=', '<=', '>=', '<', '>']

/**
 * How deeply a filter may nest parentheses, `!` and filters inside filters. Parsing and evaluating a filter recurse
 * once per level: a path with 5,000 "(" would overflow the stack instead of getting an error.
 */
export const MAX_FILTER_DEPTH = 100

// Sticky: matched at `lastIndex` without copying the rest of the path (a slice per token made long paths quadratic).
const integerToken = /-?\d+/y
const numberToken = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y

class PathParser {
  private position = 0
  private depth = 0
  constructor(private readonly text: string) {}

  /** Enters one level of filter nesting; past MAX_FILTER_DEPTH the path is refused. */
  private nest(): void {
    if (++this.depth > MAX_FILTER_DEPTH)
      this.fail(`filters, parentheses and "!" nest more than ${MAX_FILTER_DEPTH} levels deep`)
  }

  parseRoot(): CompiledJsonPath {
    if (this.text[0] !== '$') this.fail('a path must start with "$"')
    this.position = 1
    const segments = this.parseSegments(false)
    if (this.position < this.text.length) this.fail(`unexpected "${this.text[this.position]}"`)
    return { source: this.text, segments, definite: isDefiniteSegments(segments) }
  }

  private fail(reason: string): never {
    throw new JsonPathError(this.text, `${reason} at position ${this.position}`)
  }

  /** Segments until the end of the text or, inside a filter, the first character that cannot continue a path. */
  private parseSegments(inFilter: boolean): PathSegment[] {
    const segments: PathSegment[] = []
    const text = this.text
    while (this.position < text.length) {
      const char = text[this.position]
      if (char === '.') {
        if (text[this.position + 1] === '.') {
          this.position += 2
          segments.push({ kind: 'recursive' })
          if (text[this.position] === '[') continue
          if (text[this.position] === '*') {
            this.position++
            segments.push({ kind: 'wildcard' })
            continue
          }
          segments.push({ kind: 'name', name: this.parseDotName(inFilter) })
          continue
        }
        this.position++
        if (text[this.position] === '*') {
          this.position++
          segments.push({ kind: 'wildcard' })
          continue
        }
        segments.push({ kind: 'name', name: this.parseDotName(inFilter) })
      } else if (char === '[') {
        segments.push(this.parseBracket())
      } else if (inFilter) {
        break
      } else {
        this.fail(`expected "." or "[" but found "${char}"`)
      }
    }
    return segments
  }

  private parseDotName(inFilter: boolean): string {
    const start = this.position
    const text = this.text
    let name = ''
    while (this.position < text.length) {
      const char = text[this.position]
      // ASL spec reference paths: a backslash makes the next character part of the name ("$.store\\.book").
      if (char === '\\' && this.position + 1 < text.length) {
        name += text[this.position + 1]
        this.position += 2
        continue
      }
      if (char === '.' || char === '[' || char === ']') break
      if (inFilter && /[\s()=!<>&|,]/.test(char)) break
      name += char
      this.position++
    }
    if (this.position === start) this.fail('expected a name after "."')
    return name
  }

  private parseBracket(): PathSegment {
    this.position++ // [
    this.skipSpaces()
    const text = this.text
    let segment: PathSegment
    if (text[this.position] === '*') {
      this.position++
      segment = { kind: 'wildcard' }
    } else if (text[this.position] === '?') {
      this.position++
      this.skipSpaces()
      if (text[this.position] !== '(') this.fail('expected "(" after "?"')
      this.position++
      this.nest()
      const test = this.parseOr()
      this.skipSpaces()
      if (text[this.position] !== ')') this.fail('expected ")" to close the filter')
      this.position++
      this.depth--
      segment = { kind: 'filter', test }
    } else if (text[this.position] === "'" || text[this.position] === '"') {
      const keys: Array<string | number> = [this.parseQuoted()]
      this.skipSpaces()
      while (text[this.position] === ',') {
        this.position++
        this.skipSpaces()
        keys.push(this.parseQuoted())
        this.skipSpaces()
      }
      segment = keys.length === 1 ? { kind: 'name', name: keys[0] as string } : { kind: 'union', keys }
    } else {
      segment = this.parseIndexSelector()
    }
    this.skipSpaces()
    if (text[this.position] !== ']') this.fail('expected "]"')
    this.position++
    return segment
  }

  private parseIndexSelector(): PathSegment {
    const numbers: Array<number | undefined> = [this.parseOptionalInteger()]
    this.skipSpaces()
    if (this.text[this.position] === ':') {
      this.position++
      this.skipSpaces()
      numbers.push(this.parseOptionalInteger())
      this.skipSpaces()
      let step = 1
      if (this.text[this.position] === ':') {
        this.position++
        this.skipSpaces()
        step = this.parseOptionalInteger() ?? 1
        if (step === 0) this.fail('a slice step cannot be 0')
      }
      return { kind: 'slice', start: numbers[0], end: numbers[1], step }
    }
    if (numbers[0] === undefined) this.fail('expected an index, a slice, "*", a quoted name or a filter')
    const keys: Array<string | number> = [numbers[0]]
    while (this.text[this.position] === ',') {
      this.position++
      this.skipSpaces()
      const next = this.parseOptionalInteger()
      if (next === undefined) this.fail('expected an index after ","')
      keys.push(next)
      this.skipSpaces()
    }
    return keys.length === 1 ? { kind: 'index', index: keys[0] as number } : { kind: 'union', keys }
  }

  private parseOptionalInteger(): number | undefined {
    integerToken.lastIndex = this.position
    const match = integerToken.exec(this.text)
    if (!match) return undefined
    this.position += match[0].length
    return Number(match[0])
  }

  private parseQuoted(): string {
    const quote = this.text[this.position]
    if (quote !== "'" && quote !== '"') this.fail('expected a quoted name')
    this.position++
    let value = ''
    while (this.position < this.text.length) {
      const char = this.text[this.position]
      if (char === '\\' && this.position + 1 < this.text.length) {
        value += this.text[this.position + 1]
        this.position += 2
        continue
      }
      if (char === quote) {
        this.position++
        return value
      }
      value += char
      this.position++
    }
    this.fail('unterminated quoted name')
  }

  private skipSpaces(): void {
    while (this.text[this.position] === ' ') this.position++
  }

  // `a || b || c` is one node with three operands (not two nested ones), so that a long chain stays flat.
  private parseOr(): FilterExpression {
    const first = this.parseAnd()
    const operands = [first]
    for (;;) {
      this.skipSpaces()
      if (!this.text.startsWith('||', this.position)) return operands.length === 1 ? first : { kind: 'or', operands }
      this.position += 2
      operands.push(this.parseAnd())
    }
  }

  private parseAnd(): FilterExpression {
    const first = this.parseUnary()
    const operands = [first]
    for (;;) {
      this.skipSpaces()
      if (!this.text.startsWith('&&', this.position)) return operands.length === 1 ? first : { kind: 'and', operands }
      this.position += 2
      operands.push(this.parseUnary())
    }
  }

  private parseUnary(): FilterExpression {
    this.skipSpaces()
    const char = this.text[this.position]
    if (char === '!' && this.text[this.position + 1] !== '=') {
      this.position++
      this.nest()
      const operand = this.parseUnary()
      this.depth--
      return { kind: 'not', operand }
    }
    if (char === '(') {
      this.position++
      this.nest()
      const inner = this.parseOr()
      this.skipSpaces()
      if (this.text[this.position] !== ')') this.fail('expected ")"')
      this.position++
      this.depth--
      return inner
    }
    const left = this.parseOperand()
    this.skipSpaces()
    const operator = comparisonOperators.find((candidate) => this.text.startsWith(candidate, this.position))
    if (!operator) {
      if (this.text[this.position] === '=') this.fail('use "==" to compare')
      return { kind: 'exists', operand: left }
    }
    this.position += operator.length
    this.skipSpaces()
    return { kind: 'compare', operator, left, right: this.parseOperand() }
  }

  private parseOperand(): FilterOperand {
    const text = this.text
    const char = text[this.position]
    if (char === '@' || char === '$') {
      this.position++
      const segments = this.parseSegments(true)
      return { kind: 'path', root: char, segments, definite: isDefiniteSegments(segments) }
    }
    if (char === "'" || char === '"') return { kind: 'literal', value: this.parseQuoted() }
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
      if (text.startsWith(word, this.position)) {
        this.position += word.length
        return { kind: 'literal', value }
      }
    }
    this.fail(char === undefined ? 'unterminated filter' : `unexpected "${char}" in a filter`)
  }
}

function isDefiniteSegments(segments: readonly PathSegment[]): boolean {
  return segments.every((segment) => segment.kind === 'name' || segment.kind === 'index')
}
