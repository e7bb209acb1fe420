/**
 * The Amazon States Language (JSONPath query language), as pure functions: no clock, network or store.
 * @module
 */
export {
  StatesError,
  StatesErrorNames,
  errorMatches,
  toStatesError,
  toErrorOutput,
  toErrorDetail,
} from './states-error'
export { type ContextObject, type ContextObjectFields, createContextObject, emptyContextObject } from './context-object'
export {
  JsonPathError,
  type CompiledJsonPath,
  type PathReadResult,
  parseJsonPath,
  readPath,
  readCompiled,
  writePath,
  isDefinitePath,
  isReferencePath,
  deepEqual,
} from './jsonpath'
export {
  IntrinsicSyntaxError,
  type IntrinsicCall,
  parseIntrinsic,
  evaluateIntrinsic,
  isIntrinsicExpression,
  intrinsicFunctionNames,
} from './intrinsics'
export { type TemplateLocation, evaluatePayloadTemplate } from './payload-template'
export {
  applyInputPath,
  applyParameters,
  applyResultSelector,
  applyResultPath,
  applyOutputPath,
  readRequiredPath,
} from './io-processing'
export { evaluateChoiceRule, selectChoice, choiceOperatorNames } from './choice-rules'
export { type WildcardPattern, wildcardPattern } from './wildcard'
export { type JsonMeasure, MAX_JSON_DEPTH, measureJson, isTooDeep } from './json-size'
export { type Retrier, type Catcher, retryDefaults, findRetrier, retryDelayMs, findCatcher } from './retry-policy'
export { parseTimestamp, isTimestamp } from './timestamp'
