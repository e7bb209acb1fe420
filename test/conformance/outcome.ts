import { isDeepStrictEqual } from 'node:util'
import { expectsError, type ConformanceCase } from './conformance-case'

/** How a run ended, engine-neutral: what both runners return and what the tests compare. */
export type Outcome =
  | { status: 'SUCCEEDED'; output: unknown }
  | { status: 'FAILED' | 'TIMED_OUT'; error: string; cause?: string }

/** Why an outcome differs from the case's expectation; empty when it conforms. */
export function mismatches(expected: ConformanceCase['expect'], actual: Outcome): string[] {
  if (expectsError(expected)) {
    if (actual.status === 'SUCCEEDED') return [`expected error ${expected.error}, got output ${show(actual.output)}`]
    const found: string[] = []
    if (actual.status !== (expected.status ?? 'FAILED'))
      found.push(`expected the run to end ${expected.status ?? 'FAILED'}, got ${actual.status}`)
    if (actual.error !== expected.error)
      found.push(`expected error ${expected.error}, got ${actual.error} (cause: ${actual.cause ?? '—'})`)
    if (expected.cause !== undefined && actual.cause !== expected.cause)
      found.push(`expected cause ${show(expected.cause)}, got ${show(actual.cause)}`)
    if (expected.causeIncludes !== undefined && !(actual.cause ?? '').includes(expected.causeIncludes))
      found.push(`expected cause to include ${show(expected.causeIncludes)}, got ${show(actual.cause)}`)
    return found
  }
  if (actual.status !== 'SUCCEEDED')
    return [`expected output ${show(expected.output)}, got error ${actual.error} (cause: ${actual.cause ?? '—'})`]
  return isDeepStrictEqual(normalize(actual.output), normalize(expected.output))
    ? []
    : [`expected output ${show(expected.output)}, got ${show(actual.output)}`]
}

/** Outputs are JSON: compare them as JSON (drops undefined members, -0 vs 0). */
function normalize(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
}

export function show(value: unknown): string {
  const text = JSON.stringify(value)
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text
}
