import { choiceOperatorNames } from '../language/choice-rules'
import { IntrinsicSyntaxError, parseIntrinsic } from '../language/intrinsics'
import { JsonPathError, isReferencePath, parseJsonPath } from '../language/jsonpath'
import { StatesErrorNames } from '../language/states-error'
import { parseTimestamp } from '../language/timestamp'
import { MAX_WAIT_SECONDS } from '../limits'
import { childPointer } from './json-pointer'
import { findDeepNesting, MAX_DEFINITION_DEPTH } from './nesting-depth'
import type { Problem } from './problem'

export type { Problem } from './problem'
export { parseWorkflowJson } from './parse-workflow-json'

export interface ValidateOptions {
  /** Whether a Task `Resource` names a registered action (e.g. `ctyun:ebs:createSnapshot.sync`). */
  isKnownResource(resource: string): boolean
  /** The time a Wait's `Timestamp` may be at most a year after (epoch ms; default now). */
  now?: number
}

/**
 * Checks an ASL definition (JSONPath query language) before anything runs and lists every problem, not just the
 * first: structure and fields of all eight state types (Parallel branches and Map processors recursively), every
 * `Next`/`Default`/Catch target names a state in its scope, no unreachable state, a terminal state in every scope,
 * valid paths and intrinsic calls, known Task resources, Retry/Catch fields, a distributed Map's ProcessorConfig.
 * JSONata, `Assign`, and the distributed-Map fields ctflow does not run (ItemReader, ItemBatcher, ResultWriter,
 * ToleratedFailure*, Label, EXPRESS child runs) are rejected with a message saying so.
 *
 * @example
 * validateWorkflow(JSON.parse(text), { isKnownResource: (name) => registry.has(name) })
 * // [{ pointer: '/States/Snapshot/Next', state: 'Snapshot', message: 'names no state: "Snapshoot"' }]
 */
export function validateWorkflow(definition: unknown, options: ValidateOptions): Problem[] {
  // First, without recursion: a definition nested deeper than any real workflow (Parallel in Parallel 3,000 times) is
  // one problem, rather than a stack overflow in the checks below, or later in the engine.
  const deep = findDeepNesting(definition, MAX_DEFINITION_DEPTH)
  if (deep) {
    return [
      {
        pointer: deep.pointer,
        message: `the workflow is nested ${deep.depth.toLocaleString('en-US')} levels deep (objects and arrays: Parallel branches, Map processors, Parameters, Choice rules); at most ${MAX_DEFINITION_DEPTH} are allowed — this is where it passes the limit`,
      },
    ]
  }
  const validator = new WorkflowValidator(options)
  validator.validateRoot(definition)
  return validator.problems
}

type Json = Record<string, unknown>

const stateTypes = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const
type StateType = (typeof stateTypes)[number]

const io = ['InputPath', 'OutputPath']
const transition = ['Next', 'End']
const errorHandling = ['Retry', 'Catch']
const allowedFields: Record<StateType, ReadonlySet<string>> = {
  Task: new Set([
    ...io,
    ...transition,
    ...errorHandling,
    'Resource',
    'Parameters',
    'ResultPath',
    'ResultSelector',
    'TimeoutSeconds',
    'TimeoutSecondsPath',
    'HeartbeatSeconds',
    'HeartbeatSecondsPath',
    'Credentials',
  ]),
  Pass: new Set([...io, ...transition, 'Parameters', 'ResultPath', 'Result']),
  Choice: new Set([...io, 'Choices', 'Default']),
  Wait: new Set([...io, ...transition, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']),
  Succeed: new Set(io),
  Fail: new Set(['Error', 'ErrorPath', 'Cause', 'CausePath']),
  Parallel: new Set([...io, ...transition, ...errorHandling, 'Branches', 'Parameters', 'ResultPath', 'ResultSelector']),
  Map: new Set([
    ...io,
    ...transition,
    ...errorHandling,
    'ItemProcessor',
    'Iterator',
    'ItemsPath',
    'ItemSelector',
    'Parameters',
    'MaxConcurrency',
    'MaxConcurrencyPath',
    'ResultPath',
    'ResultSelector',
  ]),
}
const alwaysAllowed = new Set(['Type', 'Comment', 'QueryLanguage'])

// Fields that exist in ASL but that ctflow does not run yet: say so instead of "unknown field".
const unsupportedFields: Record<string, string> = {
  Assign: 'workflow variables ("Assign") are not supported yet; pass data through the state input/output instead',
  Arguments: '"Arguments" belongs to the JSONata query language, which is not supported yet; use "Parameters"',
  Output:
    '"Output" belongs to the JSONata query language, which is not supported yet; use "OutputPath"/"ResultSelector"',
  Items: '"Items" belongs to the JSONata query language, which is not supported yet; use "ItemsPath"',
  // A distributed Map (ProcessorConfig.Mode "DISTRIBUTED") reads its items from ItemsPath and fails on the first
  // failed item, like an inline one; these distributed-Map extras are not there yet.
  ItemReader:
    'a Map reading its items from a file or bucket ("ItemReader") is not supported; pass them through "ItemsPath" (a "DISTRIBUTED" Map works with that)',
  ItemBatcher: '"ItemBatcher" is not supported; a "DISTRIBUTED" Map runs one child run per item',
  ResultWriter: '"ResultWriter" is not supported; a Map returns its results in its output',
  ToleratedFailurePercentage:
    '"ToleratedFailurePercentage" is not supported: a Map fails on its first failed item (catch errors inside the ItemProcessor to tolerate them)',
  ToleratedFailurePercentagePath:
    '"ToleratedFailurePercentagePath" is not supported: a Map fails on its first failed item (catch errors inside the ItemProcessor to tolerate them)',
  ToleratedFailureCount:
    '"ToleratedFailureCount" is not supported: a Map fails on its first failed item (catch errors inside the ItemProcessor to tolerate them)',
  ToleratedFailureCountPath:
    '"ToleratedFailureCountPath" is not supported: a Map fails on its first failed item (catch errors inside the ItemProcessor to tolerate them)',
  Label: '"Label" is not supported: child runs are named after the workflow and the Map state',
}

const retrierFields = new Set([
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
])
const catcherFields = new Set(['ErrorEquals', 'Next', 'ResultPath', 'Comment'])
const comparatorSet = new Set(choiceOperatorNames)
// AWS state-fail.html: ErrorPath/CausePath may be one of these intrinsics (those that return a string).
const stringIntrinsics = new Set([
  'States.Format',
  'States.JsonToString',
  'States.ArrayGetItem',
  'States.Base64Encode',
  'States.Base64Decode',
  'States.Hash',
  'States.UUID',
])
const maxStateNameLength = 80 // AWS quota: state names are at most 80 characters
// AWS state-task.html, state-wait.html, Retry: TimeoutSeconds, HeartbeatSeconds and IntervalSeconds are at most 99,999,999;
// MaxDelaySeconds at most 31,622,400 (366 days). A Wait may not reach past a year (MAX_WAIT_SECONDS): a run ends by then.
const maxTimeoutSeconds = 99_999_999
const maxRetryDelaySeconds = 31_622_400
// Typo suggestions compare a name with every name in its scope: only where that stays cheap.
const maxSuggestionCandidates = 1_000

interface Scope {
  names: ReadonlySet<string>
}

class WorkflowValidator {
  readonly problems: Problem[] = []
  private readonly seenNames = new Map<string, string>() // state name → pointer of its first definition

  constructor(private readonly options: ValidateOptions) {}

  private add(pointer: string, message: string, state?: string): void {
    this.problems.push(state === undefined ? { pointer, message } : { pointer, state, message })
  }

  validateRoot(definition: unknown): void {
    if (!isObject(definition)) {
      this.add('', `a workflow must be a JSON object with "StartAt" and "States", not ${kind(definition)}`)
      return
    }
    for (const key of Object.keys(definition)) {
      if (!['Comment', 'StartAt', 'States', 'Version', 'TimeoutSeconds', 'QueryLanguage'].includes(key)) {
        this.add(childPointer('', key), unsupported(key) ?? `unknown top-level field "${key}"`)
      }
    }
    this.checkQueryLanguage(definition, '')
    if (definition.Version !== undefined && typeof definition.Version !== 'string')
      this.add('/Version', 'must be a string such as "1.0"')
    if (definition.Comment !== undefined && typeof definition.Comment !== 'string')
      this.add('/Comment', 'must be a string')
    if (definition.TimeoutSeconds !== undefined)
      this.checkPositiveInteger(definition.TimeoutSeconds, '/TimeoutSeconds', undefined, maxTimeoutSeconds)
    this.validateMachine(definition, '')
  }

  private checkQueryLanguage(node: Json, pointer: string, state?: string): void {
    if (node.QueryLanguage === undefined || node.QueryLanguage === 'JSONPath') return
    const message =
      node.QueryLanguage === 'JSONata'
        ? 'the JSONata query language is not supported yet; remove "QueryLanguage" (JSONPath is the default)'
        : `"QueryLanguage" must be "JSONPath", not ${JSON.stringify(node.QueryLanguage)}`
    this.add(childPointer(pointer, 'QueryLanguage'), message, state)
  }

  /** A state machine, a Parallel branch or a Map processor: StartAt + States, with its own scope of names. */
  private validateMachine(machine: Json, pointer: string): void {
    const states = machine.States
    if (!isObject(states)) {
      this.add(
        childPointer(pointer, 'States'),
        states === undefined
          ? 'is required: an object of states by name'
          : `must be an object of states by name, not ${kind(states)}`,
      )
      if (typeof machine.StartAt !== 'string')
        this.add(childPointer(pointer, 'StartAt'), 'is required: the name of the first state')
      return
    }
    const names = new Set(Object.keys(states))
    if (names.size === 0) this.add(childPointer(pointer, 'States'), 'must contain at least one state')
    if (typeof machine.StartAt !== 'string') {
      this.add(
        childPointer(pointer, 'StartAt'),
        machine.StartAt === undefined ? 'is required: the name of the first state' : 'must be a string naming a state',
      )
    } else if (!names.has(machine.StartAt)) {
      this.add(
        childPointer(pointer, 'StartAt'),
        `names no state in ${pointer ? 'this scope' : 'States'}: "${machine.StartAt}"${suggest(machine.StartAt, names)}`,
      )
    }
    const scope: Scope = { names }
    for (const [name, state] of Object.entries(states)) {
      const statePointer = childPointer(pointer, 'States', name)
      this.checkStateName(name, statePointer)
      this.validateState(name, state, statePointer, scope)
    }
    if (names.size > 0)
      this.checkFlow(
        states,
        pointer,
        typeof machine.StartAt === 'string' && names.has(machine.StartAt) ? machine.StartAt : undefined,
      )
  }

  private checkStateName(name: string, pointer: string): void {
    if (name.length === 0) this.add(pointer, 'a state name cannot be empty')
    if (name.length > maxStateNameLength)
      this.add(pointer, `a state name is at most ${maxStateNameLength} characters (this one has ${name.length})`, name)
    const first = this.seenNames.get(name)
    if (first !== undefined)
      this.add(
        pointer,
        `duplicate state name (also defined at ${first}); names must be unique in the whole workflow`,
        name,
      )
    else this.seenNames.set(name, pointer)
  }

  /** Reachability from StartAt and the existence of a terminal state. */
  private checkFlow(states: Json, pointer: string, startAt: string | undefined): void {
    let hasTerminal = false
    for (const state of Object.values(states)) {
      if (isObject(state) && (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail'))
        hasTerminal = true
    }
    if (!hasTerminal)
      this.add(
        childPointer(pointer, 'States'),
        'no terminal state: at least one state needs "End": true or Type Succeed/Fail',
      )
    if (startAt === undefined) return
    const reached = new Set<string>([startAt])
    const queue = [startAt]
    while (queue.length > 0) {
      const state = states[queue.pop() as string]
      for (const target of transitionsOf(state)) {
        if (Object.hasOwn(states, target) && !reached.has(target)) {
          reached.add(target)
          queue.push(target)
        }
      }
    }
    for (const name of Object.keys(states)) {
      if (!reached.has(name))
        this.add(
          childPointer(pointer, 'States', name),
          `unreachable: no path leads here from StartAt "${startAt}"`,
          name,
        )
    }
  }

  private validateState(name: string, state: unknown, pointer: string, scope: Scope): void {
    if (!isObject(state)) {
      this.add(pointer, `a state must be an object with a "Type", not ${kind(state)}`, name)
      return
    }
    const type = state.Type
    if (typeof type !== 'string' || !(stateTypes as readonly string[]).includes(type)) {
      this.add(
        childPointer(pointer, 'Type'),
        type === undefined
          ? `is required: one of ${stateTypes.join(', ')}`
          : `must be one of ${stateTypes.join(', ')}, not ${JSON.stringify(type)}`,
        name,
      )
      return
    }
    const stateType = type as StateType
    const allowed = allowedFields[stateType]
    for (const key of Object.keys(state)) {
      if (alwaysAllowed.has(key) || allowed.has(key)) continue
      this.add(childPointer(pointer, key), unsupported(key) ?? `is not a field of a ${stateType} state`, name)
    }
    this.checkQueryLanguage(state, pointer, name)
    if (state.Comment !== undefined && typeof state.Comment !== 'string')
      this.add(childPointer(pointer, 'Comment'), 'must be a string', name)

    const context = { name, pointer, scope }
    if (allowed.has('Next')) this.checkTransition(state, context)
    for (const field of ['InputPath', 'OutputPath'] as const)
      if (allowed.has(field) && field in state)
        this.checkPath(state[field], childPointer(pointer, field), name, { nullable: true })
    if (allowed.has('ResultPath') && 'ResultPath' in state)
      this.checkResultPath(state.ResultPath, childPointer(pointer, 'ResultPath'), name)
    if (allowed.has('Parameters') && 'Parameters' in state)
      this.checkPayloadTemplate(state.Parameters, childPointer(pointer, 'Parameters'), name)
    if (allowed.has('ResultSelector') && 'ResultSelector' in state)
      this.checkPayloadTemplate(state.ResultSelector, childPointer(pointer, 'ResultSelector'), name)
    if (allowed.has('Retry') && 'Retry' in state) this.checkRetry(state.Retry, childPointer(pointer, 'Retry'), name)
    if (allowed.has('Catch') && 'Catch' in state) this.checkCatch(state.Catch, childPointer(pointer, 'Catch'), context)

    switch (stateType) {
      case 'Task':
        return this.validateTask(state, context)
      case 'Choice':
        return this.validateChoice(state, context)
      case 'Wait':
        return this.validateWait(state, context)
      case 'Fail':
        return this.validateFail(state, context)
      case 'Parallel':
        return this.validateParallel(state, context)
      case 'Map':
        return this.validateMap(state, context)
      case 'Pass':
      case 'Succeed':
        return
    }
  }

  private checkTransition(state: Json, { name, pointer, scope }: StateContext): void {
    const hasNext = state.Next !== undefined
    const hasEnd = state.End !== undefined
    if (hasNext && hasEnd) this.add(pointer, 'has both "Next" and "End"; use one', name)
    else if (!hasNext && !hasEnd) this.add(pointer, 'needs "Next" (the following state) or "End": true', name)
    if (hasEnd && state.End !== true)
      this.add(childPointer(pointer, 'End'), 'must be true (use "Next" to continue)', name)
    if (hasNext) this.checkTarget(state.Next, childPointer(pointer, 'Next'), name, scope)
  }

  private checkTarget(target: unknown, pointer: string, name: string, scope: Scope): void {
    if (typeof target !== 'string') this.add(pointer, 'must be a string naming a state', name)
    else if (!scope.names.has(target))
      this.add(pointer, `names no state in this scope: "${target}"${suggest(target, scope.names)}`, name)
  }

  private validateTask(state: Json, { name, pointer }: StateContext): void {
    const resource = state.Resource
    if (resource === undefined) this.add(pointer, 'needs "Resource", e.g. "ctyun:ebs:createSnapshot.sync"', name)
    else if (typeof resource !== 'string') this.add(childPointer(pointer, 'Resource'), 'must be a string', name)
    else if (!this.options.isKnownResource(resource))
      this.add(
        childPointer(pointer, 'Resource'),
        `unknown resource "${resource}": no action is registered under this name`,
        name,
      )
    for (const field of ['TimeoutSeconds', 'HeartbeatSeconds'] as const) {
      const pathField = `${field}Path`
      if (field in state && pathField in state)
        this.add(childPointer(pointer, pathField), `use either "${field}" or "${pathField}", not both`, name)
      if (field in state) this.checkPositiveInteger(state[field], childPointer(pointer, field), name, maxTimeoutSeconds)
      if (pathField in state)
        this.checkPath(state[pathField], childPointer(pointer, pathField), name, { reference: true })
    }
    if (
      isPositiveInteger(state.TimeoutSeconds) &&
      isPositiveInteger(state.HeartbeatSeconds) &&
      state.HeartbeatSeconds >= state.TimeoutSeconds
    ) {
      this.add(
        childPointer(pointer, 'HeartbeatSeconds'),
        `must be smaller than TimeoutSeconds (${state.TimeoutSeconds})`,
        name,
      )
    }
  }

  private validateChoice(state: Json, { name, pointer, scope }: StateContext): void {
    const choices = state.Choices
    if (!Array.isArray(choices) || choices.length === 0) {
      this.add(
        childPointer(pointer, 'Choices'),
        choices === undefined ? 'is required: a non-empty array of rules' : 'must be a non-empty array of rules',
        name,
      )
    } else {
      for (const [index, rule] of choices.entries())
        this.checkChoiceRule(rule, childPointer(pointer, 'Choices', index), name, scope, true)
    }
    if ('Default' in state) this.checkTarget(state.Default, childPointer(pointer, 'Default'), name, scope)
  }

  private checkChoiceRule(rule: unknown, pointer: string, name: string, scope: Scope, topLevel: boolean): void {
    if (!isObject(rule)) {
      this.add(pointer, `a Choice rule must be an object, not ${kind(rule)}`, name)
      return
    }
    if (topLevel) {
      if (rule.Next === undefined) this.add(pointer, 'a top-level Choice rule needs "Next"', name)
      else this.checkTarget(rule.Next, childPointer(pointer, 'Next'), name, scope)
    } else if (rule.Next !== undefined) {
      this.add(
        childPointer(pointer, 'Next'),
        'only top-level Choice rules have "Next"; nested rules inside And/Or/Not do not',
        name,
      )
    }
    if ('Condition' in rule)
      this.add(
        childPointer(pointer, 'Condition'),
        '"Condition" belongs to the JSONata query language, which is not supported yet; use "Variable" and a comparator',
        name,
      )
    if ('Assign' in rule) this.add(childPointer(pointer, 'Assign'), unsupportedFields.Assign, name)
    const combinators = ['And', 'Or', 'Not'].filter((key) => key in rule)
    const comparators = Object.keys(rule).filter((key) => comparatorSet.has(key))
    const unknown = Object.keys(rule).filter(
      (key) =>
        !comparatorSet.has(key) &&
        !['And', 'Or', 'Not', 'Variable', 'Next', 'Comment', 'Condition', 'Assign'].includes(key),
    )
    for (const key of unknown)
      this.add(
        childPointer(pointer, key),
        `is not a Choice rule field (comparators: ${choiceOperatorNames.join(', ')})`,
        name,
      )
    if (combinators.length > 0) {
      if (combinators.length > 1 || comparators.length > 0 || 'Variable' in rule) {
        this.add(
          pointer,
          `a rule uses exactly one of And, Or, Not, or "Variable" with one comparator (found ${[...combinators, ...comparators, ...('Variable' in rule ? ['Variable'] : [])].join(', ')})`,
          name,
        )
      }
      for (const key of ['And', 'Or'] as const) {
        if (!(key in rule)) continue
        const inner = rule[key]
        if (!Array.isArray(inner) || inner.length === 0)
          this.add(childPointer(pointer, key), 'must be a non-empty array of rules', name)
        else
          for (const [index, element] of inner.entries())
            this.checkChoiceRule(element, childPointer(pointer, key, index), name, scope, false)
      }
      if ('Not' in rule) this.checkChoiceRule(rule.Not, childPointer(pointer, 'Not'), name, scope, false)
      return
    }
    if (!('Variable' in rule)) {
      if (!('Condition' in rule)) this.add(pointer, 'needs "Variable" and a comparator (or And, Or, Not)', name)
      return
    }
    this.checkPath(rule.Variable, childPointer(pointer, 'Variable'), name, {})
    if (comparators.length !== 1) {
      this.add(
        pointer,
        comparators.length === 0
          ? 'needs a comparator such as StringEquals or NumericGreaterThan'
          : `has ${comparators.length} comparators (${comparators.join(', ')}); use And/Or to combine them`,
        name,
      )
      return
    }
    const comparator = comparators[0]
    const value = rule[comparator]
    const at = childPointer(pointer, comparator)
    if (comparator.endsWith('Path')) this.checkPath(value, at, name, {})
    else if (comparator.startsWith('Is')) {
      if (typeof value !== 'boolean') this.add(at, 'must be true or false', name)
    } else if (comparator.startsWith('String')) {
      if (typeof value !== 'string') this.add(at, 'must be a string', name)
    } else if (comparator.startsWith('Numeric')) {
      if (typeof value !== 'number') this.add(at, 'must be a number', name)
    } else if (comparator.startsWith('Boolean')) {
      if (typeof value !== 'boolean') this.add(at, 'must be true or false', name)
    } else if (comparator.startsWith('Timestamp')) {
      if (parseTimestamp(value) === undefined)
        this.add(at, `must be an RFC 3339 timestamp such as "2026-01-01T00:00:00Z", not ${JSON.stringify(value)}`, name)
    }
  }

  private validateWait(state: Json, { name, pointer }: StateContext): void {
    const given = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'].filter((key) => key in state)
    if (given.length !== 1) {
      this.add(
        pointer,
        given.length === 0
          ? 'needs one of Seconds, SecondsPath, Timestamp, TimestampPath'
          : `use exactly one of ${given.join(', ')}`,
        name,
      )
    }
    if (
      'Seconds' in state &&
      !(
        Number.isInteger(state.Seconds) &&
        (state.Seconds as number) >= 0 &&
        (state.Seconds as number) <= MAX_WAIT_SECONDS
      )
    ) {
      this.add(
        childPointer(pointer, 'Seconds'),
        `must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS.toLocaleString('en-US')} (a year, the longest a run lasts)`,
        name,
      )
    }
    if ('Timestamp' in state) {
      const at = parseTimestamp(state.Timestamp)
      if (at === undefined) {
        this.add(
          childPointer(pointer, 'Timestamp'),
          `must be an RFC 3339 timestamp such as "2026-01-01T00:00:00Z", not ${JSON.stringify(state.Timestamp)}`,
          name,
        )
      } else if (at > (this.options.now ?? Date.now()) + MAX_WAIT_SECONDS * 1000) {
        this.add(
          childPointer(pointer, 'Timestamp'),
          `${JSON.stringify(state.Timestamp)} is more than a year ahead: a wait may last at most a year (the longest a run lasts)`,
          name,
        )
      }
    }
    for (const field of ['SecondsPath', 'TimestampPath'])
      if (field in state) this.checkPath(state[field], childPointer(pointer, field), name, { reference: true })
  }

  private validateFail(state: Json, { name, pointer }: StateContext): void {
    for (const [field, pathField] of [
      ['Error', 'ErrorPath'],
      ['Cause', 'CausePath'],
    ] as const) {
      if (field in state && pathField in state)
        this.add(childPointer(pointer, pathField), `use either "${field}" or "${pathField}", not both`, name)
      if (field in state && typeof state[field] !== 'string')
        this.add(childPointer(pointer, field), 'must be a string', name)
      if (pathField in state) {
        const value = state[pathField]
        if (typeof value === 'string' && value.startsWith('States.')) {
          const at = childPointer(pointer, pathField)
          const called = /^States\.[A-Za-z0-9]+/.exec(value)?.[0] ?? ''
          if (!stringIntrinsics.has(called))
            this.add(
              at,
              `only intrinsics that return a string may be used here (${[...stringIntrinsics].join(', ')}), not ${called || value}`,
              name,
            )
          else this.checkIntrinsic(value, at, name)
        } else this.checkPath(value, childPointer(pointer, pathField), name, {})
      }
    }
  }

  private validateParallel(state: Json, { name, pointer }: StateContext): void {
    const branches = state.Branches
    if (!Array.isArray(branches) || branches.length === 0) {
      this.add(
        childPointer(pointer, 'Branches'),
        branches === undefined
          ? 'is required: a non-empty array of { StartAt, States }'
          : 'must be a non-empty array of { StartAt, States }',
        name,
      )
      return
    }
    for (const [index, branch] of branches.entries())
      this.validateSubMachine(branch, childPointer(pointer, 'Branches', index), name, 'a branch')
  }

  private validateMap(state: Json, { name, pointer }: StateContext): void {
    if ('ItemProcessor' in state && 'Iterator' in state)
      this.add(childPointer(pointer, 'Iterator'), 'use either "ItemProcessor" or the legacy "Iterator", not both', name)
    if ('ItemSelector' in state && 'Parameters' in state)
      this.add(
        childPointer(pointer, 'Parameters'),
        'use either "ItemSelector" or the legacy "Parameters", not both',
        name,
      )
    const processorField = 'ItemProcessor' in state ? 'ItemProcessor' : 'Iterator' in state ? 'Iterator' : undefined
    if (!processorField)
      this.add(pointer, 'needs "ItemProcessor" (or the legacy "Iterator"): { StartAt, States }', name)
    else
      this.validateSubMachine(
        state[processorField],
        childPointer(pointer, processorField),
        name,
        `the ${processorField}`,
      )
    if ('ItemsPath' in state)
      this.checkPath(state.ItemsPath, childPointer(pointer, 'ItemsPath'), name, { reference: true })
    if ('ItemSelector' in state)
      this.checkPayloadTemplate(state.ItemSelector, childPointer(pointer, 'ItemSelector'), name)
    if (
      'MaxConcurrency' in state &&
      !(Number.isInteger(state.MaxConcurrency) && (state.MaxConcurrency as number) >= 0)
    ) {
      this.add(childPointer(pointer, 'MaxConcurrency'), 'must be a non-negative integer (0 = no limit)', name)
    }
    if ('MaxConcurrency' in state && 'MaxConcurrencyPath' in state)
      this.add(
        childPointer(pointer, 'MaxConcurrencyPath'),
        'use either "MaxConcurrency" or "MaxConcurrencyPath", not both',
        name,
      )
    if ('MaxConcurrencyPath' in state)
      this.checkPath(state.MaxConcurrencyPath, childPointer(pointer, 'MaxConcurrencyPath'), name, { reference: true })
  }

  private validateSubMachine(machine: unknown, pointer: string, name: string, what: string): void {
    if (!isObject(machine)) {
      this.add(pointer, `${what} must be an object with "StartAt" and "States", not ${kind(machine)}`, name)
      return
    }
    for (const key of Object.keys(machine)) {
      if (['StartAt', 'States', 'Comment', 'QueryLanguage'].includes(key)) continue
      if (key === 'ProcessorConfig' && what !== 'a branch') continue
      this.add(childPointer(pointer, key), `is not a field of ${what}`, name)
    }
    this.checkQueryLanguage(machine, pointer, name)
    if ('ProcessorConfig' in machine && what !== 'a branch') {
      const config = machine.ProcessorConfig
      if (!isObject(config)) this.add(childPointer(pointer, 'ProcessorConfig'), 'must be an object', name)
      else {
        for (const key of Object.keys(config)) {
          if (key !== 'Mode' && key !== 'ExecutionType')
            this.add(
              childPointer(pointer, 'ProcessorConfig', key),
              'is not a field of ProcessorConfig (Mode, ExecutionType)',
              name,
            )
        }
        if (config.Mode !== undefined && config.Mode !== 'INLINE' && config.Mode !== 'DISTRIBUTED') {
          this.add(childPointer(pointer, 'ProcessorConfig', 'Mode'), 'must be "INLINE" or "DISTRIBUTED"', name)
        }
        // Step Functions requires ExecutionType with DISTRIBUTED (asl-validator too); ctflow's child runs are STANDARD.
        if (config.Mode === 'DISTRIBUTED' && config.ExecutionType === undefined) {
          this.add(
            childPointer(pointer, 'ProcessorConfig'),
            'a "DISTRIBUTED" Map needs "ExecutionType": "STANDARD"',
            name,
          )
        }
        if (config.ExecutionType !== undefined) {
          if (config.Mode !== 'DISTRIBUTED')
            this.add(
              childPointer(pointer, 'ProcessorConfig', 'ExecutionType'),
              'belongs to a "DISTRIBUTED" Map only',
              name,
            )
          else if (config.ExecutionType === 'EXPRESS')
            this.add(
              childPointer(pointer, 'ProcessorConfig', 'ExecutionType'),
              'EXPRESS child runs are not supported: ctflow\'s child runs are durable ("STANDARD")',
              name,
            )
          else if (config.ExecutionType !== 'STANDARD')
            this.add(childPointer(pointer, 'ProcessorConfig', 'ExecutionType'), 'must be "STANDARD"', name)
        }
      }
    }
    this.validateMachine(machine, pointer)
  }

  private checkRetry(retry: unknown, pointer: string, name: string): void {
    if (!Array.isArray(retry)) {
      this.add(pointer, 'must be an array of retriers', name)
      return
    }
    retry.forEach((retrier, index) => {
      const at = childPointer(pointer, index)
      if (!isObject(retrier)) {
        this.add(at, 'a retrier must be an object', name)
        return
      }
      for (const key of Object.keys(retrier))
        if (!retrierFields.has(key))
          this.add(childPointer(at, key), `is not a retrier field (allowed: ${[...retrierFields].join(', ')})`, name)
      this.checkErrorEquals(
        retrier.ErrorEquals,
        childPointer(at, 'ErrorEquals'),
        name,
        index === retry.length - 1,
        'retrier',
      )
      if ('IntervalSeconds' in retrier)
        this.checkPositiveInteger(retrier.IntervalSeconds, childPointer(at, 'IntervalSeconds'), name, maxTimeoutSeconds)
      if ('MaxDelaySeconds' in retrier)
        this.checkPositiveInteger(
          retrier.MaxDelaySeconds,
          childPointer(at, 'MaxDelaySeconds'),
          name,
          maxRetryDelaySeconds,
        )
      if (
        'MaxAttempts' in retrier &&
        !(Number.isInteger(retrier.MaxAttempts) && (retrier.MaxAttempts as number) >= 0)
      ) {
        this.add(childPointer(at, 'MaxAttempts'), 'must be a non-negative integer (0 = never retry)', name)
      }
      if ('BackoffRate' in retrier && !(typeof retrier.BackoffRate === 'number' && retrier.BackoffRate >= 1)) {
        this.add(childPointer(at, 'BackoffRate'), 'must be a number of at least 1.0', name)
      }
      if ('JitterStrategy' in retrier && retrier.JitterStrategy !== 'FULL' && retrier.JitterStrategy !== 'NONE') {
        this.add(childPointer(at, 'JitterStrategy'), 'must be "FULL" or "NONE"', name)
      }
    })
  }

  private checkCatch(catchers: unknown, pointer: string, { name, scope }: StateContext): void {
    if (!Array.isArray(catchers)) {
      this.add(pointer, 'must be an array of catchers', name)
      return
    }
    catchers.forEach((catcher, index) => {
      const at = childPointer(pointer, index)
      if (!isObject(catcher)) {
        this.add(at, 'a catcher must be an object', name)
        return
      }
      for (const key of Object.keys(catcher)) {
        if (!catcherFields.has(key))
          this.add(
            childPointer(at, key),
            unsupported(key) ?? `is not a catcher field (allowed: ${[...catcherFields].join(', ')})`,
            name,
          )
      }
      this.checkErrorEquals(
        catcher.ErrorEquals,
        childPointer(at, 'ErrorEquals'),
        name,
        index === catchers.length - 1,
        'catcher',
      )
      if (catcher.Next === undefined) this.add(at, 'a catcher needs "Next"', name)
      else this.checkTarget(catcher.Next, childPointer(at, 'Next'), name, scope)
      if ('ResultPath' in catcher) this.checkResultPath(catcher.ResultPath, childPointer(at, 'ResultPath'), name)
    })
  }

  private checkErrorEquals(errorEquals: unknown, pointer: string, name: string, isLast: boolean, what: string): void {
    if (!Array.isArray(errorEquals) || errorEquals.length === 0) {
      this.add(
        pointer,
        errorEquals === undefined
          ? 'is required: a non-empty array of error names'
          : 'must be a non-empty array of error names',
        name,
      )
      return
    }
    errorEquals.forEach((error, index) => {
      if (typeof error !== 'string' || error.length === 0)
        this.add(childPointer(pointer, index), 'must be a non-empty string', name)
      else if (error.startsWith('States.') && !(Object.values(StatesErrorNames) as string[]).includes(error)) {
        this.add(
          childPointer(pointer, index),
          `unknown predefined error "${error}" (States.* names are reserved: ${Object.values(StatesErrorNames).join(', ')})`,
          name,
        )
      }
    })
    // ASL spec: "States.ALL … MUST appear alone in its ErrorEquals array and MUST appear in the last retrier/catcher".
    if (errorEquals.includes(StatesErrorNames.ALL)) {
      if (errorEquals.length > 1) this.add(pointer, `"States.ALL" must appear alone in ErrorEquals`, name)
      if (!isLast) this.add(pointer, `"States.ALL" must be in the last ${what}`, name)
    }
  }

  private checkResultPath(value: unknown, pointer: string, name: string): void {
    if (value === null) return
    if (typeof value !== 'string') {
      this.add(pointer, 'must be a JSONPath such as "$.result", or null to discard the result', name)
      return
    }
    if (value.startsWith('$$')) {
      this.add(pointer, 'cannot write into the context object ($$); use a path starting with "$."', name)
      return
    }
    try {
      if (!isReferencePath(value))
        this.add(
          pointer,
          `"${value}" must be a reference path (names and indexes only, no wildcards, filters or slices)`,
          name,
        )
    } catch (error) {
      this.add(pointer, pathMessage(error), name)
    }
  }

  private checkPath(
    value: unknown,
    pointer: string,
    name: string,
    { nullable = false, reference = false }: { nullable?: boolean; reference?: boolean },
  ): void {
    if (value === null && nullable) return
    if (typeof value !== 'string') {
      this.add(
        pointer,
        nullable ? 'must be a JSONPath string or null' : 'must be a JSONPath string starting with "$"',
        name,
      )
      return
    }
    const path = value.startsWith('$$') ? value.slice(1) : value
    try {
      const compiled = parseJsonPath(path)
      if (reference && !compiled.definite)
        this.add(pointer, `"${value}" must select a single value (no wildcards, filters, slices or "..")`, name)
    } catch (error) {
      this.add(pointer, pathMessage(error), name)
    }
  }

  private checkIntrinsic(value: string, pointer: string, name: string): void {
    try {
      parseIntrinsic(value)
    } catch (error) {
      if (error instanceof IntrinsicSyntaxError || error instanceof JsonPathError)
        this.add(pointer, error.message, name)
      else throw error
    }
  }

  /** Parameters, ResultSelector, ItemSelector: a JSON object (ASL spec "A Payload Template MUST be a JSON object"). */
  private checkPayloadTemplate(template: unknown, pointer: string, name: string): void {
    if (!isObject(template))
      this.add(pointer, `must be a JSON object (a payload template), not ${kind(template)}`, name)
    else this.checkTemplate(template, pointer, name)
  }

  /** Every `.$` value in a template, however deeply nested, is a path or an intrinsic call. */
  private checkTemplate(template: unknown, pointer: string, name: string): void {
    if (Array.isArray(template)) {
      template.forEach((element, index) => {
        if (typeof element === 'object' && element !== null)
          this.checkTemplate(element, childPointer(pointer, index), name)
      })
      return
    }
    if (!isObject(template)) return
    const seen = new Set<string>()
    for (const [key, value] of Object.entries(template)) {
      const at = childPointer(pointer, key)
      // ASL spec: no duplicate field names once ".$" is stripped ({"id": 1, "id.$": "$.id"}).
      const outputKey = key.endsWith('.$') ? key.slice(0, -2) : key
      if (seen.has(outputKey))
        this.add(at, `gives a second field "${outputKey}" once ".$" is stripped; keep one of them`, name)
      seen.add(outputKey)
      if (!key.endsWith('.$')) {
        if (typeof value === 'object' && value !== null) this.checkTemplate(value, at, name)
        continue
      }
      if (typeof value !== 'string')
        this.add(at, 'a field ending in ".$" must hold a JSONPath ($…, $$…) or an intrinsic function (States.…)', name)
      else if (value.startsWith('$')) this.checkPath(value, at, name, {})
      else if (value.startsWith('States.')) this.checkIntrinsic(value, at, name)
      else
        this.add(
          at,
          `a field ending in ".$" must hold a JSONPath ($…, $$…) or an intrinsic function (States.…), not "${value}"; drop ".$" for a literal value`,
          name,
        )
    }
  }

  private checkPositiveInteger(value: unknown, pointer: string, name?: string, maximum?: number): void {
    if (!isPositiveInteger(value)) this.add(pointer, 'must be a positive integer', name)
    else if (maximum !== undefined && value > maximum)
      this.add(pointer, `must be at most ${maximum.toLocaleString('en-US')}`, name)
  }
}

interface StateContext {
  name: string
  pointer: string
  scope: Scope
}

/** Every state name a state can go to next (Next, Default, Choices[].Next, Catch[].Next). */
function transitionsOf(state: unknown): string[] {
  if (!isObject(state)) return []
  const targets: string[] = []
  if (typeof state.Next === 'string') targets.push(state.Next)
  if (typeof state.Default === 'string') targets.push(state.Default)
  for (const list of [state.Choices, state.Catch]) {
    if (!Array.isArray(list)) continue
    for (const entry of list) if (isObject(entry) && typeof entry.Next === 'string') targets.push(entry.Next)
  }
  return targets
}

/** The message for a field ctflow knows but does not run; undefined for any other key (own entries only: not "valueOf"). */
function unsupported(key: string): string | undefined {
  return Object.hasOwn(unsupportedFields, key) ? unsupportedFields[key] : undefined
}

function pathMessage(error: unknown): string {
  if (error instanceof JsonPathError) return error.message
  throw error
}

function suggest(name: string, names: ReadonlySet<string>): string {
  if (name.length > maxStateNameLength || names.size > maxSuggestionCandidates) return ''
  const lower = name.toLowerCase()
  let best: string | undefined
  // Close enough to be a typo: up to half the name's length for longer names, one edit for short ones.
  let bestDistance = (name.length >= 4 ? Math.floor(name.length / 2) : 1) + 1
  for (const candidate of names) {
    if (candidate.length > maxStateNameLength) continue
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase())
    if (distance < bestDistance && distance < name.length) {
      best = candidate
      bestDistance = distance
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length]
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0
}

function kind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}
