/**
 * Checks a run's input against the workflow's `<name>.schema.json` before the run starts, so bad input is refused
 * with every problem named (JSON pointer + what is wrong) instead of failing somewhere mid-run.
 *
 * A small subset of JSON Schema (draft 2020-12) — what the shipped schemas use: `type` (one or a list), `required`,
 * `properties`, `additionalProperties` (boolean or schema), `items`, `enum`, `const`, `minimum`, `maximum`,
 * `minLength`, `maxLength`, `pattern`, `minItems`, `maxItems`. Other keywords (`$ref`, `anyOf`, formats, …) are
 * ignored, never guessed at.
 *
 * @example checkInput({ type: 'object', required: ['regionID'] }, {}) // [{ pointer: '/regionID', message: 'is required' }]
 */
export interface InputProblem {
  pointer: string
  message: string
}

type Schema = Record<string, unknown>

export function checkInput(schema: unknown, input: unknown): InputProblem[] {
  const problems: InputProblem[] = []
  check(schema, input, '', problems)
  return problems
}

function check(schema: unknown, value: unknown, pointer: string, problems: InputProblem[]): void {
  if (schema === true || schema === undefined) return
  if (schema === false) {
    problems.push({ pointer, message: 'is not allowed' })
    return
  }
  if (typeof schema !== 'object' || schema === null) return
  const s = schema as Schema
  const problem = (message: string) => problems.push({ pointer: pointer || '/', message })

  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]
    if (!types.some((type) => hasType(value, type))) {
      problem(`must be ${types.join(' or ')}, not ${typeOf(value)}`)
      return
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((option) => same(option, value))) problem(`must be one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`)
  if ('const' in s && !same(s.const, value)) problem(`must be ${JSON.stringify(s.const)}`)

  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) problem(`must be ≥ ${s.minimum}`)
    if (typeof s.maximum === 'number' && value > s.maximum) problem(`must be ≤ ${s.maximum}`)
  }
  if (typeof value === 'string') {
    const length = [...value].length
    if (typeof s.minLength === 'number' && length < s.minLength) problem(`must be at least ${s.minLength} characters`)
    if (typeof s.maxLength === 'number' && length > s.maxLength) problem(`must be at most ${s.maxLength} characters`)
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) problem(`must match ${s.pattern}`)
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) problem(`must have at least ${s.minItems} items`)
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) problem(`must have at most ${s.maxItems} items`)
    if (s.items !== undefined) value.forEach((item, index) => check(s.items, item, `${pointer}/${index}`, problems))
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>
    const properties = (typeof s.properties === 'object' && s.properties !== null ? s.properties : {}) as Record<string, unknown>
    for (const name of Array.isArray(s.required) ? (s.required as string[]) : []) {
      if (!(name in record)) problems.push({ pointer: `${pointer}/${escape(name)}`, message: 'is required' })
    }
    for (const [name, item] of Object.entries(record)) {
      const at = `${pointer}/${escape(name)}`
      if (name in properties) check(properties[name], item, at, problems)
      else if (s.additionalProperties === false) problems.push({ pointer: at, message: `is not a known field${Object.keys(properties).length ? ` (known: ${Object.keys(properties).join(', ')})` : ''}` })
      else if (typeof s.additionalProperties === 'object') check(s.additionalProperties, item, at, problems)
    }
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'array':
      return Array.isArray(value)
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    case 'null':
      return value === null
    default:
      return typeof value === type
  }
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function escape(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1')
}
