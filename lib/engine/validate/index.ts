/**
 * Validation of workflow definitions before anything runs.
 * @module
 */
export { validateWorkflow, type ValidateOptions } from './validate-workflow'
export { parseWorkflowJson, locateJsonError } from './parse-workflow-json'
export { type Problem, formatProblem } from './problem'
export { jsonPointer, childPointer } from './json-pointer'
