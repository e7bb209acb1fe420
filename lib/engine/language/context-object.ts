/**
 * The context object that `$$.…` paths read (AWS "Accessing execution data from the Context object").
 * Times are ISO 8601 strings, as Step Functions gives them.
 *
 * @example
 * const context = createContextObject({ executionId: 'run-1', input: {}, startTime: '2026-01-01T00:00:00.000Z',
 *   stateMachineName: 'nightly', stateName: 'Snapshot', enteredTime: '2026-01-01T00:00:00.000Z' })
 */
export interface ContextObject {
  Execution: { Id: string; Input: unknown; Name: string; StartTime: string; RoleArn?: string; RedriveCount?: number }
  State: { Name: string; EnteredTime: string; RetryCount: number }
  StateMachine: { Id: string; Name: string }
  Task?: { Token: string }
  Map?: { Item: { Index: number; Value: unknown } }
}

export interface ContextObjectFields {
  executionId: string
  executionName?: string
  input: unknown
  startTime: string
  stateMachineId?: string
  stateMachineName: string
  stateName: string
  enteredTime: string
  retryCount?: number
  mapItem?: { index: number; value: unknown }
  taskToken?: string
}

/** Builds a context object from plain fields (defaults: name = id, retry count 0). */
export function createContextObject(fields: ContextObjectFields): ContextObject {
  const context: ContextObject = {
    Execution: {
      Id: fields.executionId,
      Input: fields.input,
      Name: fields.executionName ?? fields.executionId,
      StartTime: fields.startTime,
    },
    State: { Name: fields.stateName, EnteredTime: fields.enteredTime, RetryCount: fields.retryCount ?? 0 },
    StateMachine: { Id: fields.stateMachineId ?? fields.stateMachineName, Name: fields.stateMachineName },
  }
  if (fields.taskToken !== undefined) context.Task = { Token: fields.taskToken }
  if (fields.mapItem) context.Map = { Item: { Index: fields.mapItem.index, Value: fields.mapItem.value } }
  return context
}

/** An empty context for pure evaluations (validation, tests) where no run exists. */
export const emptyContextObject: ContextObject = createContextObject({
  executionId: '',
  input: {},
  startTime: '1970-01-01T00:00:00.000Z',
  stateMachineName: '',
  stateName: '',
  enteredTime: '1970-01-01T00:00:00.000Z',
})
