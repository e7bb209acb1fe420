import { loadAwsLocalStepFunctions } from '../../lib/engine/testing/aws-local-stepfunctions'
import { allStates, expectsError, type ConformanceCase } from './conformance-case'
import type { Outcome } from './outcome'
import { createStubHost } from './stub-resources'

const { StateMachine } = await loadAwsLocalStepFunctions()

let executions = 0

/**
 * Runs a case through aws-local-stepfunctions. Its hooks are per state name, so every Task state gets a handler that
 * runs the stub its Resource names, every Wait waits 0 ms (unless the case expects an error) and every retrier 0 ms (durations are not what is compared).
 * The context object gets an execution Id and Name, which a real execution always has and the library cannot know.
 */
export async function runOnAwsLocal(c: ConformanceCase): Promise<Outcome> {
  const stubs = createStubHost()
  const taskResourceLocalHandlers: Record<string, (input: any) => Promise<any>> = {}
  const waitTimeOverrides: Record<string, number> = {}
  const retryIntervalOverrides: Record<string, number> = {}
  for (const [name, state] of allStates(c.definition)) {
    if (state.Type === 'Task')
      taskResourceLocalHandlers[name] = (input) => stubs.invoke(String(state.Resource), input, name) as Promise<any>
    // Cases that expect an error from a Wait's own fields must reach the library's evaluation of them, so no override there.
    if (state.Type === 'Wait' && !expectsError(c.expect)) waitTimeOverrides[name] = 0
    if (state.Retry) retryIntervalOverrides[name] = 0
  }
  const execution = `conformance-${++executions}`
  try {
    const machine = new StateMachine(c.definition as any, { validationOptions: { checkArn: false } })
    const run = machine.run(c.input as any, {
      overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
      context: {
        Execution: {
          Id: `arn:aws:states:us-east-1:123456789012:execution:conformance:${execution}`,
          Name: execution,
          Input: c.input as any,
          StartTime: new Date().toISOString(),
        },
      },
    })
    return { status: 'SUCCEEDED', output: await run.result }
  } catch (thrown) {
    return toOutcome(thrown)
  }
}

// ExecutionError wraps the ASL error as `cause`: its name is the error name, its message the cause.
function toOutcome(thrown: unknown): Outcome {
  const error = thrown as { name?: string; message?: string; cause?: { name?: string; message?: string } }
  if (error?.name === 'ExecutionError' && error.cause)
    return { status: 'FAILED', error: error.cause.name ?? 'Unknown', cause: error.cause.message }
  // The library's ExecutionTimeoutError is the machine's TimeoutSeconds running out (Step Functions: TIMED_OUT, States.Timeout).
  if (error?.name === 'ExecutionTimeoutError')
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: error.message }
  // Anything else (a validation error from the constructor, a timeout) is reported under its own class name.
  return { status: 'FAILED', error: `aws-local:${error?.name ?? 'thrown'}`, cause: error?.message ?? String(thrown) }
}
