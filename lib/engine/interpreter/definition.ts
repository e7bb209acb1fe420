/**
 * The parts of an Amazon States Language document (JSONPath query language) the interpreter reads. Validation
 * (lib/engine/validate) has already checked the shape, so these types describe, they do not guard.
 */
export interface WorkflowDefinition {
  Comment?: string
  StartAt: string
  States: Record<string, StateDefinition>
  TimeoutSeconds?: number
  QueryLanguage?: string
}

export type StateType = 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map'

/** One state; every field is optional here because each type uses a different subset. */
export interface StateDefinition {
  Type: StateType
  Comment?: string
  Next?: string
  End?: boolean
  InputPath?: string | null
  OutputPath?: string | null
  Parameters?: unknown
  ResultSelector?: unknown
  ResultPath?: string | null
  Retry?: unknown[]
  Catch?: unknown[]
  QueryLanguage?: string
  // Pass
  Result?: unknown
  // Task
  Resource?: string
  TimeoutSeconds?: number
  TimeoutSecondsPath?: string
  HeartbeatSeconds?: number
  HeartbeatSecondsPath?: string
  // Choice
  Choices?: unknown[]
  Default?: string
  // Wait
  Seconds?: number
  SecondsPath?: string
  Timestamp?: string
  TimestampPath?: string
  // Fail
  Error?: string
  ErrorPath?: string
  Cause?: string
  CausePath?: string
  // Parallel
  Branches?: SubWorkflow[]
  // Map
  ItemsPath?: string
  ItemSelector?: unknown
  ItemProcessor?: SubWorkflow
  Iterator?: SubWorkflow
  MaxConcurrency?: number
  MaxConcurrencyPath?: string
}

export interface SubWorkflow {
  StartAt: string
  States: Record<string, StateDefinition>
  ProcessorConfig?: unknown
}
