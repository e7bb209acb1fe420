import type { ContextObject } from './context-object'
import { JsonPathError, parseJsonPath, readCompiled } from './jsonpath'
import { StatesError, StatesErrorNames } from './states-error'
import { parseTimestamp } from './timestamp'
import { wildcardPattern } from './wildcard'

/**
 * Choice state rules (AWS "Choice workflow state", ASL spec "Choice Rules"): comparators and their `…Path` forms,
 * `And`/`Or`/`Not`, the `Is…` type tests and `StringMatches` wildcards. Comparing values of different types is
 * false, not an error; a `Variable` (or `…Path` value) that matches nothing is `States.Runtime`, except for
 * `IsPresent`.
 */

type Comparison = (variable: unknown, value: unknown) => boolean

const numeric =
  (test: (a: number, b: number) => boolean): Comparison =>
  (a, b) =>
    typeof a === 'number' && typeof b === 'number' && test(a, b)
const string =
  (test: (a: string, b: string) => boolean): Comparison =>
  (a, b) =>
    typeof a === 'string' && typeof b === 'string' && test(a, b)
const timestamp =
  (test: (a: number, b: number) => boolean): Comparison =>
  (a, b) => {
    const left = parseTimestamp(a)
    const right = parseTimestamp(b)
    return left !== undefined && right !== undefined && test(left, right)
  }

/** Every comparator taking a value; each also exists with a `Path` suffix except StringMatches. */
export const comparisonOperators: Record<string, Comparison> = {
  StringEquals: string((a, b) => a === b),
  StringLessThan: string((a, b) => a < b),
  StringGreaterThan: string((a, b) => a > b),
  StringLessThanEquals: string((a, b) => a <= b),
  StringGreaterThanEquals: string((a, b) => a >= b),
  StringMatches: string((a, b) => wildcardPattern(b).test(a)),
  NumericEquals: numeric((a, b) => a === b),
  NumericLessThan: numeric((a, b) => a < b),
  NumericGreaterThan: numeric((a, b) => a > b),
  NumericLessThanEquals: numeric((a, b) => a <= b),
  NumericGreaterThanEquals: numeric((a, b) => a >= b),
  BooleanEquals: (a, b) => typeof a === 'boolean' && typeof b === 'boolean' && a === b,
  TimestampEquals: timestamp((a, b) => a === b),
  TimestampLessThan: timestamp((a, b) => a < b),
  TimestampGreaterThan: timestamp((a, b) => a > b),
  TimestampLessThanEquals: timestamp((a, b) => a <= b),
  TimestampGreaterThanEquals: timestamp((a, b) => a >= b),
}

/** The `Is…` tests: each takes a boolean (`"IsNull": false` tests that the value is not null). */
export const typeTests: Record<string, (value: unknown) => boolean> = {
  IsNull: (value) => value === null,
  IsPresent: () => true, // handled before reading: a missing variable is the one case that is not an error
  IsNumeric: (value) => typeof value === 'number',
  IsString: (value) => typeof value === 'string',
  IsBoolean: (value) => typeof value === 'boolean',
  IsTimestamp: (value) => parseTimestamp(value) !== undefined,
}

/** Names of every comparator a rule may use (values, `…Path` forms and type tests). */
export const choiceOperatorNames: readonly string[] = [
  ...Object.keys(comparisonOperators),
  ...Object.keys(comparisonOperators)
    .filter((name) => name !== 'StringMatches')
    .map((name) => `${name}Path`),
  ...Object.keys(typeTests),
]

/**
 * Evaluates one Choice rule (a comparison or an And/Or/Not combination) against the state's input.
 *
 * @example
 * evaluateChoiceRule({ Variable: '$.size', NumericGreaterThan: 100 }, { size: 200 }, context) // true
 */
export function evaluateChoiceRule(rule: unknown, input: unknown, context: ContextObject): boolean {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) throw invalidRule('a rule must be an object')
  const fields = rule as Record<string, unknown>
  if (Array.isArray(fields.And)) return fields.And.every((inner) => evaluateChoiceRule(inner, input, context))
  if (Array.isArray(fields.Or)) return fields.Or.some((inner) => evaluateChoiceRule(inner, input, context))
  if (fields.Not !== undefined) return !evaluateChoiceRule(fields.Not, input, context)
  if (typeof fields.Variable !== 'string') throw invalidRule('a rule needs "Variable" (or And, Or, Not)')
  const variable = fields.Variable
  for (const key in fields) {
    if (key === 'Variable' || key === 'Next' || key === 'Comment') continue
    const operand = fields[key]
    // Own entries only: a rule member named "constructor" or "toString" is no comparator.
    if (Object.hasOwn(typeTests, key)) {
      if (typeof operand !== 'boolean') throw invalidRule(`"${key}" takes true or false`)
      const read = readVariable(variable, input, context)
      if (key === 'IsPresent') return read.found === operand
      if (!read.found) throw missing(variable, 'Variable')
      return typeTests[key](read.value) === operand
    }
    const direct = Object.hasOwn(comparisonOperators, key)
    const base = key.endsWith('Path') && key !== 'StringMatchesPath' ? key.slice(0, -4) : undefined
    const operator = direct
      ? comparisonOperators[key]
      : base !== undefined && Object.hasOwn(comparisonOperators, base)
        ? comparisonOperators[base]
        : undefined
    if (!operator) continue
    const read = readVariable(variable, input, context)
    if (!read.found) throw missing(variable, 'Variable')
    let value = operand
    if (!direct) {
      if (typeof operand !== 'string') throw invalidRule(`"${key}" takes a path`)
      const other = readVariable(operand, input, context)
      if (!other.found) throw missing(operand, key)
      value = other.value
    }
    return operator(read.value, value)
  }
  throw invalidRule(`no comparison operator in the rule for ${variable}`)
}

/**
 * Picks the next state of a Choice state: the `Next` of the first matching rule, else `Default`, else
 * `StatesError(States.NoChoiceMatched)` naming the state.
 */
export function selectChoice(
  state: { Choices: unknown[]; Default?: string },
  input: unknown,
  context: ContextObject,
  where: { state: string },
): string {
  for (const [index, rule] of state.Choices.entries()) {
    let matched: boolean
    try {
      matched = evaluateChoiceRule(rule, input, context)
    } catch (error) {
      if (error instanceof StatesError)
        throw new StatesError(error.error, `${error.cause} (state "${where.state}", Choices[${index}])`)
      throw error
    }
    if (matched) return (rule as { Next: string }).Next
  }
  if (state.Default !== undefined) return state.Default
  throw new StatesError(
    StatesErrorNames.NoChoiceMatched,
    `No Choice rule matched the input and there is no Default (state "${where.state}")`,
  )
}

function readVariable(
  path: string,
  input: unknown,
  context: ContextObject,
): { found: true; value: unknown } | { found: false } {
  const fromContext = path.startsWith('$$')
  try {
    return readCompiled(fromContext ? context : input, parseJsonPath(fromContext ? path.slice(1) : path))
  } catch (error) {
    if (error instanceof JsonPathError) throw new StatesError(StatesErrorNames.Runtime, error.message)
    throw error
  }
}

function missing(path: string, field: string): StatesError {
  return new StatesError(StatesErrorNames.Runtime, `The JSONPath "${path}" in ${field} matched nothing in the input`)
}

function invalidRule(reason: string): StatesError {
  return new StatesError(StatesErrorNames.Runtime, `Invalid Choice rule: ${reason}`)
}
