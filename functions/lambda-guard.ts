import type { Context } from 'aws-lambda'
import { isRecord, UnrecognisedEventError } from './event-http'

const LAMBDA = 'AWS Lambda'

/**
 * Refuses, before anything starts, an invocation that is not Lambda's: another platform's event (an SCF timer, an FC
 * HTTP event) or a context without `getRemainingTimeInMillis`, which would otherwise fail after the run was created.
 * `kind` is which function: `http` takes API Gateway events; `scheduled`/`worker` any object (EventBridge or the
 * schedule's constant input).
 */
export function assertLambdaInvocation(kind: 'http' | 'scheduled' | 'worker', event: unknown, context: unknown): void {
  if (
    kind === 'http' &&
    !(isRecord(event) && isRecord(event.requestContext) && ('rawPath' in event || 'path' in event))
  )
    throw new UnrecognisedEventError(
      LAMBDA,
      'an API Gateway event {version, rawPath, requestContext, headers, body}',
      event,
    )
  if (kind !== 'http' && !isRecord(event))
    throw new UnrecognisedEventError(LAMBDA, 'an EventBridge scheduled event or the schedule input object', event)
  if (typeof (context as Partial<Context> | undefined)?.getRemainingTimeInMillis !== 'function')
    throw new UnrecognisedEventError(
      LAMBDA,
      'a Lambda context with getRemainingTimeInMillis() (another platform deploys its own adapter: README "Other runtimes")',
      context,
    )
}
