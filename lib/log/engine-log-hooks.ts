/**
 * The engine's hooks (lib/engine engine-hooks.ts) as log lines: one per run start and end, per Task call and per
 * retry. A Task call runs inside a log scope (log-context.ts) holding its run, state and attempt, so the lines the
 * CTyun client writes meanwhile carry them, and the call's line gets the `ctyun-eop-request-id` its last request sent
 * (ctyunClientLog below fills it in).
 */
import type { CtyunLogEvent, CtyunLogger } from '../ctyun'
import type { EngineHooks, RunEndedInfo } from '../engine'
import type { Logger } from './create-logger'
import type { LogContext, LogScope } from './log-context'

/**
 * Polls that find a `.sync` operation still running are written at `debug` (an hour's wait polls hundreds of times);
 * every other call at `info`, or `warn` when it failed.
 * @example createEngine({ store, actions, workflows, hooks: createEngineLogHooks(log, context) })
 */
export function createEngineLogHooks(log: Logger, context?: LogContext): EngineHooks {
  return {
    runStarted: ({ runId, workflow, parentId }) => log.info('run started', { runId, workflow, parentId }),
    runEnded: (run) => log[endLevel(run)]('run ended', endFields(run)),
    retryScheduled: ({ runId, workflow, parentId, state, error, cause, attempt, delayMs }) =>
      log.warn('retry scheduled', { runId, workflow, parentId, state, attempt, errorCode: error, delayMs, cause }),
    async taskCall(call, proceed) {
      const fields = { runId: call.runId, workflow: call.workflow, state: call.state, attempt: call.retries }
      const scope: LogScope = { fields, call: {} }
      const result = context ? await context.run(scope, proceed) : await proceed()
      const level = result.outcome === 'failed' ? 'warn' : result.outcome === 'pending' ? 'debug' : 'info'
      log[level]('task call', {
        ...fields,
        operation: call.resource,
        kind: call.kind,
        outcome: result.outcome,
        durationMs: result.durationMs,
        retries: call.retries,
        ...(scope.call?.ctyunRequestId ? { ctyunRequestId: scope.call.ctyunRequestId } : {}),
        ...(result.error ? { errorCode: result.error, cause: result.cause } : {}),
      })
    },
  }
}

function endLevel(run: RunEndedInfo): 'info' | 'warn' | 'error' {
  if (run.status === 'SUCCEEDED') return 'info'
  return run.status === 'ABORTED' ? 'warn' : 'error'
}

function endFields(run: RunEndedInfo) {
  return {
    runId: run.runId,
    workflow: run.workflow,
    parentId: run.parentId,
    status: run.status,
    durationMs: run.durationMs,
    ...(run.error ? { errorCode: run.error.error, cause: run.error.cause } : {}),
  }
}

/**
 * The CTyun client's `log` option: records each request id in the enclosing Task call's scope (for its line), and
 * writes each request and reply at `debug`, a retry of the client's own (429, 5xx, network) at `warn`, each with
 * `ctyunRequestId`. The client's events hold no headers, query or body (lib/ctyun transport.ts).
 * @example createCtyunClient({ ...options, log: ctyunClientLog(log, context) })
 */
export function ctyunClientLog(log: Logger, context?: LogContext): CtyunLogger {
  return (event: CtyunLogEvent) => {
    const call = context?.current()?.call
    if (event.type === 'request' && call && event.requestId) call.ctyunRequestId = event.requestId
    const operation = `${event.method} ${event.path}`
    const fields = {
      ...(event.requestId ? { ctyunRequestId: event.requestId } : {}),
      ...(event.service ? { service: event.service } : {}),
      operation,
      // A retry event names the attempt about to be made (lib/ctyun retry.ts), the others the attempt they are.
      ...(event.attempt !== undefined
        ? { [event.type === 'retry' ? 'nextHttpAttempt' : 'httpAttempt']: event.attempt }
        : {}),
      ...(event.status !== undefined ? { status: event.status } : {}),
      ...(event.durationMs !== undefined ? { durationMs: event.durationMs } : {}),
      ...(event.errorCode || event.errorName ? { errorCode: event.errorCode ?? event.errorName } : {}),
      ...(event.delayMs !== undefined ? { delayMs: event.delayMs } : {}),
    }
    if (event.type === 'retry') log.warn('ctyun call retried', fields)
    else if (log.isEnabled('debug')) log.debug(`ctyun ${event.type}`, fields)
  }
}
