import type { ContextObject } from './context-object'
import { evaluateIntrinsic } from './intrinsics'
import { JsonPathError, parseJsonPath, readCompiled, type CompiledJsonPath } from './jsonpath'
import { StatesError, StatesErrorNames } from './states-error'

/** Where a template sits, for error messages: the state's name and the field (`Parameters`, `ResultSelector`, …). */
export interface TemplateLocation {
  state: string
  field: string
  /** Feeds States.MathRandom (without a seed) and States.UUID; default Math.random. */
  random?: () => number
}

type Compiled = (input: unknown, context: ContextObject, where: TemplateLocation) => unknown

// Templates are parts of the (immutable) definition, so each object compiles once per process.
const compiledTemplates = new WeakMap<object, Compiled>()

/**
 * Evaluates a payload template (Parameters, ResultSelector, ItemSelector): keys ending in `.$` take the value of a
 * `$` path into the input, a `$$` path into the context object, or an intrinsic function call; other values are
 * copied, nested objects and arrays are evaluated recursively.
 *
 * A path that matches nothing throws `StatesError(States.Runtime)` naming the state, the field and the path;
 * an intrinsic that fails throws `StatesError(States.IntrinsicFailure)`.
 *
 * @example
 * evaluatePayloadTemplate({ 'id.$': '$.disk.id', kind: 'full' }, { disk: { id: 'd-1' } }, context,
 *   { state: 'Snapshot', field: 'Parameters' }) // { id: 'd-1', kind: 'full' }
 */
export function evaluatePayloadTemplate(
  template: unknown,
  input: unknown,
  context: ContextObject,
  where: TemplateLocation,
): unknown {
  if (typeof template !== 'object' || template === null) return template
  let compiled = compiledTemplates.get(template)
  if (!compiled) {
    compiled = compileTemplate(template, where.field)
    compiledTemplates.set(template, compiled)
  }
  return compiled(input, context, where)
}

function compileTemplate(template: unknown, fieldPath: string): Compiled {
  if (Array.isArray(template)) {
    const elements = template.map((element, index) => compileTemplate(element, `${fieldPath}[${index}]`))
    return (input, context, where) => elements.map((element) => element(input, context, where))
  }
  if (typeof template !== 'object' || template === null) return () => template
  const entries: Array<{ key: string; evaluate: Compiled }> = []
  for (const [key, value] of Object.entries(template)) {
    const field = `${fieldPath}.${key}`
    if (key.endsWith('.$')) entries.push({ key: key.slice(0, -2), evaluate: compileDynamicValue(value, field) })
    else entries.push({ key, evaluate: compileTemplate(value, field) })
  }
  return (input, context, where) => {
    const output: Record<string, unknown> = {}
    for (const entry of entries) defineValue(output, entry.key, entry.evaluate(input, context, where))
    return output
  }
}

function compileDynamicValue(expression: unknown, field: string): Compiled {
  if (typeof expression !== 'string') {
    return (_input, _context, where) => {
      throw new StatesError(
        StatesErrorNames.Runtime,
        `The field "${field}" must be a string path or intrinsic function${at(where)}`,
      )
    }
  }
  if (expression.startsWith('$$')) return compilePathValue(expression.slice(1), expression, field, true)
  if (expression.startsWith('$')) return compilePathValue(expression, expression, field, false)
  if (expression.startsWith('States.')) {
    return (input, context, where) => {
      try {
        return evaluateIntrinsic(expression, input, context, where.random)
      } catch (error) {
        throw locateError(error, `state "${where.state}", field "${field}"`)
      }
    }
  }
  return (_input, _context, where) => {
    throw new StatesError(
      StatesErrorNames.Runtime,
      `The field "${field}" must hold a JSONPath ($…, $$…) or an intrinsic function (States.…), not "${expression}"${at(where)}`,
    )
  }
}

function compilePathValue(path: string, shown: string, field: string, fromContext: boolean): Compiled {
  let compiled: CompiledJsonPath
  try {
    compiled = parseJsonPath(path)
  } catch (error) {
    const reason = error instanceof JsonPathError ? error.reason : String(error)
    return (_input, _context, where) => {
      throw new StatesError(
        StatesErrorNames.Runtime,
        `Invalid JSONPath "${shown}" in field "${field}"${at(where)}: ${reason}`,
      )
    }
  }
  return (input, context, where) => {
    const result = readCompiled(fromContext ? context : input, compiled)
    if (!result.found) {
      throw new StatesError(
        StatesErrorNames.Runtime,
        `The JSONPath "${shown}" specified for the field "${field}" matched nothing in the ${fromContext ? 'context object' : 'input'}${at(where)}`,
      )
    }
    return result.value
  }
}

function at(where: TemplateLocation): string {
  return ` (state "${where.state}", ${where.field})`
}

/** Adds a location to an error's cause, keeping its ASL error name. */
export function locateError(error: unknown, location: string): StatesError {
  if (error instanceof StatesError) return new StatesError(error.error, `${error.cause} (${location})`)
  const message = error instanceof Error ? error.message : String(error)
  return new StatesError(StatesErrorNames.Runtime, `${message} (${location})`)
}

function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty so that a "__proto__" key stays data and never changes the prototype.
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}
