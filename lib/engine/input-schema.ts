/**
 * Checks a run's input against the workflow's `<name>.schema.json` before the run starts, so bad input is refused
 * with every problem named (JSON pointer + what is wrong) instead of failing somewhere mid-run.
 *
 * The checking is @cfworker/json-schema's (drafts 4, 7, 2019-09 and 2020-12: `$ref`/`$defs`, `anyOf`/`oneOf`/`allOf`,
 * `if`/`then`/`else`, `enum`, `pattern`, `format`, `unevaluatedProperties`, …). Chosen over the alternatives because it
 * interprets schemas instead of compiling them: Ajv (and @exodus/schemasafe) generate code with `new Function`, which
 * Cloudflare Workers/workerd refuse; @hyperjump/json-schema is async, imports node:fs (no workerd without
 * nodejs_compat) and is ~60 kB minified with 7 dependencies; jsonschema 1.5 covers draft 7 at most and lets
 * `{"toString": …}` through `additionalProperties: false`. @cfworker/json-schema has no dependencies, is ~23 kB
 * minified, is written for Workers (so for every runtime ctflow targets: Node, Lambda, workerd, Deno, Bun, CTyun
 * 函数计算), looks properties up with `hasOwnProperty` and keeps its bookkeeping in prototype-less objects, so
 * `toString`, `constructor` or an own `__proto__` key (JSON.parse makes one) is an unknown field like any other.
 * This module only turns its output into messages that name the field. It is loaded on first use
 * (assemble-engine.ts), so a function that never starts a run never parses it.
 *
 * @example checkInput({ type: 'object', required: ['regionID'] }, {}) // [{ pointer: '/regionID', message: 'is required' }]
 */
import { dereference, validate, type OutputUnit, type Schema, type SchemaDraft } from '@cfworker/json-schema'

export interface InputProblem {
  /** JSON pointer into the input (`/disks/0`), or `/` for the input itself. */
  pointer: string
  message: string
}

/** A problem in a schema itself: `pointer` is into the schema document. */
export interface SchemaProblem {
  pointer: string
  message: string
}

/**
 * The schema itself cannot be applied (an unresolvable `$ref`, a pattern that is not a regular expression, an
 * unknown `$schema`): the workflow is broken, not the caller's input, so the name does not end in `InputError`.
 */
export class InputSchemaError extends Error {
  override name = 'InputSchemaError'
  constructor(readonly problems: SchemaProblem[]) {
    super(`The input schema cannot be used: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`)
  }
}

/** Every problem of `input` against `schema`; `[]` when it matches. Throws InputSchemaError if the schema is broken. */
export function checkInput(schema: unknown, input: unknown): InputProblem[] {
  const compiled = compile(schema)
  if (compiled.problems.length > 0) throw new InputSchemaError(compiled.problems)
  const unnameable = unnameableField(input)
  if (unnameable) return [unnameable]
  let result: { valid: boolean; errors: OutputUnit[] }
  try {
    result = validate(input, compiled.root as Schema, compiled.draft, compiled.lookup as Record<string, Schema>, false)
  } catch (error) {
    // A recursive schema walks as deep as the input goes; the input is the odd one out, not the schema.
    if (error instanceof RangeError)
      return [{ pointer: '/', message: 'is nested too deeply to be checked against the schema' }]
    throw new InputSchemaError([
      {
        pointer: '',
        message: `cannot be applied: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      },
    ])
  }
  return result.valid ? [] : explain(result.errors, compiled, input)
}

/**
 * What is wrong with a schema before any input meets it (for the engine to refuse a workflow at start, and for
 * `ctflow validate`): keyword values of the wrong kind, patterns that are not regular expressions, `$ref`s that
 * resolve to nothing, an unknown `$schema`.
 */
export function inputSchemaProblems(schema: unknown): SchemaProblem[] {
  return compile(schema).problems
}

// ---------------------------------------------------------------------------------------------------------------

interface Compiled {
  root: unknown
  draft: SchemaDraft
  lookup: Record<string, unknown>
  problems: SchemaProblem[]
}

const cache = new WeakMap<object, Compiled>()

const DRAFTS: Record<string, SchemaDraft> = {
  'json-schema.org/draft/2020-12/schema': '2020-12',
  'json-schema.org/draft/2019-09/schema': '2019-09',
  'json-schema.org/draft-07/schema': '7',
  // Draft 6 is draft 7 without if/then/else and a few annotations: checked by the draft 7 rules.
  'json-schema.org/draft-06/schema': '7',
  'json-schema.org/draft-04/schema': '4',
}

function compile(schema: unknown): Compiled {
  if (typeof schema === 'boolean') return compileNow(schema)
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return {
      root: schema,
      draft: '2020-12',
      lookup: {},
      problems: [{ pointer: '', message: 'must be a JSON Schema (an object or a boolean)' }],
    }
  }
  let compiled = cache.get(schema)
  if (!compiled) cache.set(schema, (compiled = compileNow(schema)))
  return compiled
}

function compileNow(schema: object | boolean): Compiled {
  let draft: SchemaDraft = '2020-12'
  const declared = typeof schema === 'object' ? (schema as { $schema?: unknown }).$schema : undefined
  if (declared !== undefined) {
    const known =
      typeof declared === 'string' ? DRAFTS[declared.replace(/^https?:\/\//, '').replace(/#$/, '')] : undefined
    if (!known) {
      return {
        root: schema,
        draft,
        lookup: {},
        problems: [
          {
            pointer: '/$schema',
            message: `is not a JSON Schema dialect this checker knows (use ${Object.keys(DRAFTS)
              .map((d) => `https://${d}`)
              .join(', ')})`,
          },
        ],
      }
    }
    draft = known
  }
  const problems: SchemaProblem[] = []
  checkShape(schema, '', problems)
  if (problems.length > 0) return { root: schema, draft, lookup: {}, problems }
  // A private copy: the validator marks the schema objects it indexes (non-enumerable properties), and the caller's
  // schema is shared (GET /workflows shows it) and may be frozen.
  const root = structuredClone(schema) as Schema | boolean
  let lookup: Record<string, unknown>
  try {
    lookup = dereference(root as Schema) as Record<string, unknown>
  } catch (error) {
    return {
      root,
      draft,
      lookup: {},
      problems: [{ pointer: '', message: `cannot be indexed: ${(error as Error).message.split('\n')[0]}` }],
    }
  }
  for (const [uri, subschema] of Object.entries(lookup)) {
    const ref = typeof subschema === 'object' && subschema !== null ? (subschema as Schema).__absolute_ref__ : undefined
    if (ref !== undefined && lookup[ref] === undefined) {
      problems.push({
        pointer: `${pointerOf(uri)}/$ref`,
        message: `${JSON.stringify((subschema as Schema).$ref)} resolves to nothing in this schema`,
      })
    }
  }
  return { root, draft, lookup, problems }
}

const SCHEMA_KEYWORDS = [
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
]
const SCHEMA_LIST_KEYWORDS = ['prefixItems', 'allOf', 'anyOf', 'oneOf']
const SCHEMA_MAP_KEYWORDS = ['$defs', 'definitions', 'properties', 'patternProperties', 'dependentSchemas']
const NUMBER_KEYWORDS = [
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minContains',
  'maxContains',
]
const TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']

/**
 * The keyword values the validator relies on, checked once: a wrong kind there would make it throw on some input
 * (a 500 for the caller) or silently check nothing.
 */
function checkShape(schema: unknown, at: string, problems: SchemaProblem[]): void {
  const problem = (keyword: string, message: string) =>
    problems.push({ pointer: `${at}/${escapePointer(keyword)}`, message })
  if (typeof schema === 'boolean') return
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    problems.push({ pointer: at, message: 'must be a schema (an object or a boolean)' })
    return
  }
  const s = schema as Record<string, unknown>
  const has = (keyword: string) => Object.hasOwn(s, keyword)
  if (has('type')) {
    const types = Array.isArray(s.type) ? s.type : [s.type]
    if (types.length === 0 || !types.every((type) => typeof type === 'string' && TYPES.includes(type)))
      problem('type', `must be one of ${TYPES.join(', ')} or a list of them`)
  }
  if (has('required') && !(Array.isArray(s.required) && s.required.every((name) => typeof name === 'string')))
    problem('required', 'must be a list of field names')
  if (has('enum') && !Array.isArray(s.enum)) problem('enum', 'must be a list of values')
  for (const keyword of NUMBER_KEYWORDS)
    if (has(keyword) && !(typeof s[keyword] === 'number' && Number.isFinite(s[keyword])))
      problem(keyword, 'must be a number')
  for (const keyword of ['exclusiveMinimum', 'exclusiveMaximum'])
    if (has(keyword) && typeof s[keyword] !== 'number' && typeof s[keyword] !== 'boolean')
      problem(keyword, 'must be a number')
  for (const keyword of ['pattern', 'format', '$ref', '$id', '$anchor'])
    if (has(keyword) && typeof s[keyword] !== 'string') problem(keyword, 'must be a string')
  // The validator looks formats up in a plain object: `constructor` or `__proto__` would be "found" there.
  if (typeof s.format === 'string' && s.format in Object.prototype)
    problem('format', `${JSON.stringify(s.format)} is not a format name`)
  if (typeof s.pattern === 'string') checkPattern(s.pattern, `${at}/pattern`, problems)
  for (const keyword of SCHEMA_KEYWORDS) if (has(keyword)) checkShape(s[keyword], `${at}/${keyword}`, problems)
  if (has('items')) {
    if (Array.isArray(s.items))
      for (const [i, item] of s.items.entries()) checkShape(item, `${at}/items/${i}`, problems)
    else checkShape(s.items, `${at}/items`, problems)
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    if (!has(keyword)) continue
    if (!Array.isArray(s[keyword]) || (s[keyword] as unknown[]).length === 0)
      problem(keyword, 'must be a non-empty list of schemas')
    else
      for (const [i, item] of (s[keyword] as unknown[]).entries()) checkShape(item, `${at}/${keyword}/${i}`, problems)
  }
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    if (!has(keyword)) continue
    const map = s[keyword]
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      problem(keyword, 'must be an object of schemas')
      continue
    }
    for (const [name, sub] of Object.entries(map)) {
      if (keyword === 'patternProperties')
        checkPattern(name, `${at}/patternProperties/${escapePointer(name)}`, problems)
      checkShape(sub, `${at}/${keyword}/${escapePointer(name)}`, problems)
    }
  }
  if (has('dependentRequired')) {
    const map = s.dependentRequired
    const ok =
      typeof map === 'object' &&
      map !== null &&
      !Array.isArray(map) &&
      Object.values(map).every((list) => Array.isArray(list) && list.every((name) => typeof name === 'string'))
    if (!ok) problem('dependentRequired', 'must map field names to lists of field names')
  }
}

function checkPattern(pattern: string, pointer: string, problems: SchemaProblem[]): void {
  try {
    new RegExp(pattern, 'u') // the flag the validator uses
  } catch {
    problems.push({ pointer, message: `${JSON.stringify(pattern)} is not a regular expression (Unicode mode)` })
  }
}

// A lone surrogate (from a `\ud800` escape) cannot be written in a JSON pointer, so such a field could not be named.
const LONE_SURROGATE = /\p{Cs}/u

/** The first field name in `input` that no error message could name; iterative, so any depth is fine. */
function unnameableField(input: unknown): InputProblem | undefined {
  const stack: Array<{ value: unknown; pointer: string }> = [{ value: input, pointer: '' }]
  while (stack.length > 0) {
    const { value, pointer } = stack.pop()!
    if (typeof value !== 'object' || value === null) continue
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) stack.push({ value: item, pointer: `${pointer}/${i}` })
      continue
    }
    for (const [name, item] of Object.entries(value)) {
      if (LONE_SURROGATE.test(name))
        return {
          pointer: pointer || '/',
          message: 'has a field name that is not valid Unicode (a lone surrogate escape)',
        }
      stack.push({ value: item, pointer: `${pointer}/${escapePointer(name)}` })
    }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------------------------
// From the validator's output (every failing keyword, wrappers included) to one message per problem.

// Keywords that only say "something below failed": the failures below are reported instead.
const WRAPPERS = new Set([
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  '$ref',
  '$recursiveRef',
  'allOf',
  'dependentSchemas',
  'dependencies',
  'if',
  'contains',
])

function explain(errors: OutputUnit[], compiled: Compiled, input: unknown): InputProblem[] {
  const problems: InputProblem[] = []
  const seen = new Set<string>()
  const add = (problem: InputProblem) => {
    const key = `${problem.pointer}\u0000${problem.message}`
    if (!seen.has(key)) {
      seen.add(key)
      problems.push(problem)
    }
  }
  for (const problem of describeAll(errors, compiled, input)) add(problem)
  return problems
}

function describeAll(errors: OutputUnit[], compiled: Compiled, input: unknown): InputProblem[] {
  const out: InputProblem[] = []
  // Once a value is of the wrong type, what else that same schema says about it (enum, pattern, …) is noise.
  const where = (error: OutputUnit) => `${error.instanceLocation} ${error.keywordLocation.replace(/\/[^/]+$/, '')}`
  const wrongType = new Set(errors.filter((error) => error.keyword === 'type').map(where))
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i]!
    if (error.keyword !== 'type' && wrongType.has(where(error))) continue
    const pointer = instancePointer(error.instanceLocation)
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      // The failures of each alternative follow the combinator's own error: fold them into one message.
      const branches = new Map<string, OutputUnit[]>()
      while (i + 1 < errors.length && errors[i + 1]!.keywordLocation.startsWith(`${error.keywordLocation}/`)) {
        const next = errors[++i]!
        const branch = next.keywordLocation.slice(error.keywordLocation.length + 1).split('/')[0]!
        branches.set(branch, [...(branches.get(branch) ?? []), next])
      }
      const alternatives = [...branches.entries()].map(([branch, list]) => {
        const reasons = describeAll(list, compiled, input).map((p) =>
          p.pointer === pointer ? p.message : `${p.pointer} ${p.message}`,
        )
        return `(${Number(branch) + 1}) ${reasons.join(', ') || 'does not match'}`
      })
      const matched = /\((\d+) matches\)/.exec(error.error)?.[1]
      const head =
        error.keyword === 'oneOf' && matched !== undefined && matched !== '0'
          ? `must match exactly one of the allowed shapes (oneOf), but matches ${matched}`
          : `must match ${error.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of the allowed shapes (${error.keyword})`
      out.push({
        pointer,
        message:
          alternatives.length > 0 && (matched === undefined || matched === '0')
            ? `${head}: ${alternatives.join('; ')}`
            : head,
      })
      continue
    }
    if (WRAPPERS.has(error.keyword)) continue
    if (error.keyword === 'false') {
      // A `false` schema under additionalProperties/unevaluatedProperties is the usual "no other fields".
      const parent = errors[i - 1]
      const closed =
        parent &&
        (parent.keyword === 'additionalProperties' || parent.keyword === 'unevaluatedProperties') &&
        parent.instanceLocation !== error.instanceLocation
      if (closed) {
        const known = Object.keys(
          (schemaAt(compiled, parent.keywordLocation.replace(/\/[^/]+$/, ''))?.properties as object | undefined) ?? {},
        )
        out.push({ pointer, message: `is not a known field${known.length ? ` (known: ${known.join(', ')})` : ''}` })
      } else out.push({ pointer, message: 'is not allowed' })
      continue
    }
    if (error.keyword === 'required') {
      const schema = schemaAt(compiled, error.keywordLocation.replace(/\/required$/, ''))
      const value = valueAt(input, pointer)
      const missing =
        Array.isArray(schema?.required) && isRecord(value)
          ? (schema.required as string[]).filter((name) => !Object.hasOwn(value, name))
          : []
      for (const name of missing)
        out.push({ pointer: `${pointer === '/' ? '' : pointer}/${escapePointer(name)}`, message: 'is required' })
      if (missing.length === 0) out.push({ pointer, message: error.error })
      continue
    }
    const schema = schemaAt(compiled, error.keywordLocation.replace(/\/[^/]+$/, ''))
    out.push({ pointer, message: message(error, schema, valueAt(input, pointer)) })
  }
  return out
}

function message(error: OutputUnit, schema: Schema | undefined, value: unknown): string {
  const limit = schema?.[error.keyword]
  switch (error.keyword) {
    case 'type': {
      const types = Array.isArray(limit) ? limit : [limit]
      return `must be ${types.join(' or ')}, not ${typeOf(value)}`
    }
    case 'enum':
      return Array.isArray(limit) ? `must be one of ${limit.map((v) => JSON.stringify(v)).join(', ')}` : error.error
    case 'const':
      return `must be ${JSON.stringify(limit)}`
    case 'minimum':
      return `must be ≥ ${limit}`
    case 'maximum':
      return `must be ≤ ${limit}`
    case 'exclusiveMinimum':
      return typeof limit === 'number' ? `must be > ${limit}` : `must be > ${schema?.minimum}`
    case 'exclusiveMaximum':
      return typeof limit === 'number' ? `must be < ${limit}` : `must be < ${schema?.maximum}`
    case 'multipleOf':
      return `must be a multiple of ${limit}`
    case 'minLength':
      return `must be at least ${limit} characters`
    case 'maxLength':
      return `must be at most ${limit} characters`
    case 'pattern':
      return `must match ${limit}`
    case 'format':
      return `must be a valid ${limit}`
    case 'minItems':
      return `must have at least ${limit} items`
    case 'maxItems':
      return `must have at most ${limit} items`
    case 'uniqueItems':
      return 'must not repeat an item'
    case 'minProperties':
      return `must have at least ${limit} fields`
    case 'maxProperties':
      return `must have at most ${limit} fields`
    case 'not':
      return 'must not match the schema under "not"'
    default:
      // dependentRequired, propertyNames, minContains, …: the validator's own sentence (it never quotes the value).
      return error.error.replace(/\.$/, '')
  }
}

/** The subschema at a keyword location (`#/properties/a/$ref/pattern` minus its keyword), following `$ref` hops. */
function schemaAt(compiled: Compiled, location: string): Schema | undefined {
  let node: unknown = compiled.root
  for (const segment of location.replace(/^#\/?/, '').split('/').filter(Boolean).map(unescapeSegment)) {
    if (typeof node !== 'object' || node === null) return undefined
    if (segment === '$ref') {
      const target = (node as Schema).__absolute_ref__ ?? (node as Schema).$ref
      node = target === undefined ? undefined : compiled.lookup[target]
    } else {
      node = Object.hasOwn(node, segment) ? (node as Record<string, unknown>)[segment] : undefined
    }
  }
  return typeof node === 'object' && node !== null ? (node as Schema) : undefined
}

function valueAt(input: unknown, pointer: string): unknown {
  let node = input
  for (const segment of pointer
    .split('/')
    .slice(1)
    .filter((s, _i, all) => !(all.length === 1 && s === ''))
    .map(unescapePointer)) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined
    node = (node as Record<string, unknown>)[segment]
  }
  return node
}

/** The validator's `#/a%20b/0` (a URI fragment) as the plain JSON pointer `/a b/0`; `/` for the whole input. */
function instancePointer(location: string): string {
  const pointer = decodeURIComponent(location.replace(/^#/, ''))
  return pointer === '' ? '/' : pointer
}

function pointerOf(uri: string): string {
  const hash = uri.indexOf('#')
  return hash < 0 ? '' : decodeURIComponent(uri.slice(hash + 1))
}

function unescapeSegment(segment: string): string {
  return unescapePointer(decodeURIComponent(segment))
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1')
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
