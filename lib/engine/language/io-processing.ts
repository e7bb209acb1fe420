import type { ContextObject } from './context-object'
import { JsonPathError, parseJsonPath, readCompiled, writePath } from './jsonpath'
import { evaluateIntrinsic, isIntrinsicExpression } from './intrinsics'
import { evaluatePayloadTemplate, locateError } from './payload-template'
import { StatesError, StatesErrorNames } from './states-error'

/**
 * Input and output processing of a state, in the order Step Functions applies it:
 * InputPath → Parameters → (task) → ResultSelector → ResultPath → OutputPath.
 * Each step throws a StatesError naming the state, the field and the path.
 */

export interface StateLocation {
  state: string
  /** Feeds States.MathRandom (without a seed) and States.UUID in templates; default Math.random. */
  random?: () => number
}

/** `InputPath`: absent = the whole input, `null` = `{}`, a path = the value it selects. */
export function applyInputPath(
  input: unknown,
  inputPath: string | null | undefined,
  context: ContextObject,
  where: StateLocation,
): unknown {
  return selectPath(input, inputPath, context, where, 'InputPath')
}

/** `Parameters` (also ItemSelector): a payload template over the effective input; absent = unchanged. */
export function applyParameters(
  input: unknown,
  parameters: unknown,
  context: ContextObject,
  where: StateLocation & { field?: string },
): unknown {
  if (parameters === undefined) return input
  return evaluatePayloadTemplate(parameters, input, context, {
    state: where.state,
    field: where.field ?? 'Parameters',
    random: where.random,
  })
}

/** `ResultSelector`: a payload template over the task's (or Map's/Parallel's) raw result; absent = unchanged. */
export function applyResultSelector(
  result: unknown,
  selector: unknown,
  context: ContextObject,
  where: StateLocation,
): unknown {
  if (selector === undefined) return result
  return evaluatePayloadTemplate(selector, result, context, {
    state: where.state,
    field: 'ResultSelector',
    random: where.random,
  })
}

/**
 * `ResultPath`: absent or `$` = the result replaces the input, `null` = the result is discarded and the state's
 * input passes through, a path = the result is placed into (a copy of) the state's input.
 */
export function applyResultPath(
  stateInput: unknown,
  result: unknown,
  resultPath: string | null | undefined,
  where: StateLocation & { field?: string },
): unknown {
  if (resultPath === undefined || resultPath === '$') return result
  if (resultPath === null) return stateInput
  const field = where.field ?? 'ResultPath'
  try {
    return writePath(stateInput, resultPath, result)
  } catch (error) {
    if (error instanceof StatesError)
      throw new StatesError(error.error, `${error.cause} (state "${where.state}", ${field})`)
    if (error instanceof JsonPathError)
      throw new StatesError(StatesErrorNames.Runtime, `${error.message} (state "${where.state}", ${field})`)
    throw error
  }
}

/** `OutputPath`: absent = unchanged, `null` = `{}`, a path = the value it selects. */
export function applyOutputPath(
  value: unknown,
  outputPath: string | null | undefined,
  context: ContextObject,
  where: StateLocation,
): unknown {
  return selectPath(value, outputPath, context, where, 'OutputPath')
}

/**
 * Reads a `$` path from a document or a `$$` path from the context; a missing value is a States.Runtime error.
 * An intrinsic call (`States.…`) is evaluated instead: Fail's ErrorPath/CausePath accept them (AWS state-fail.html);
 * validation keeps intrinsics out of every other path field.
 */
export function readRequiredPath(
  document: unknown,
  path: string,
  context: ContextObject,
  where: StateLocation,
  field: string,
): unknown {
  if (isIntrinsicExpression(path)) {
    try {
      return evaluateIntrinsic(path, document, context, where.random)
    } catch (error) {
      throw locateError(error, `state "${where.state}", ${field}`)
    }
  }
  const fromContext = path.startsWith('$$')
  let result: ReturnType<typeof readCompiled>
  try {
    result = readCompiled(fromContext ? context : document, parseJsonPath(fromContext ? path.slice(1) : path))
  } catch (error) {
    if (error instanceof JsonPathError)
      throw new StatesError(StatesErrorNames.Runtime, `${error.message} (state "${where.state}", ${field})`)
    throw error
  }
  if (!result.found) {
    throw new StatesError(
      StatesErrorNames.Runtime,
      `The JSONPath "${path}" in ${field} matched nothing in the ${fromContext ? 'context object' : 'input'} (state "${where.state}")`,
    )
  }
  return result.value
}

function selectPath(
  value: unknown,
  path: string | null | undefined,
  context: ContextObject,
  where: StateLocation,
  field: string,
): unknown {
  if (path === undefined || path === '$') return value
  if (path === null) return {}
  return readRequiredPath(value, path, context, where, field)
}
