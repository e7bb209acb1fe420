import type { Context, ScheduledEvent } from 'aws-lambda'
import type { Context as HonoContext } from 'hono'
import { handle } from 'hono/aws-lambda'
import type { Engine, RunRecord } from '../lib/engine'
import { createLogger, type Logger, type LogContext } from '../lib/log'
import { budgetFrom, DEFAULT_MARGIN_MS } from './budget'
import { assertLambdaInvocation } from './lambda-guard'
import type { FunctionsRuntime } from './runtime'
import type { ScheduledResult } from './scheduled'
import type { WorkerResult } from './worker'

/** How long an HTTP invocation advances a run it just created before replying 202; the worker does the rest. */
export const ADVANCE_ON_CREATE_MS = 2_000

/**
 * The three Lambda handlers over a runtime that is built once per container, on first use. A failed build is not
 * cached, so the next invocation tries again (e.g. after the database comes back).
 * @example export const { http, scheduled, worker } = createLambdaHandlers(() => createFunctionsRuntime(config, { openEngine }))
 */
export function createLambdaHandlers(
  build: () => Promise<FunctionsRuntime>,
  { logger = createLogger(), context: logContext }: { logger?: Logger; context?: LogContext } = {},
) {
  let runtime: Promise<FunctionsRuntime> | undefined
  let httpHandler: ReturnType<typeof handle> | undefined
  const getRuntime = () => {
    runtime ??= build().catch((error: unknown) => {
      runtime = undefined
      // A bad setting or an unreachable store: one line saying which (errors from lib/ never carry a secret).
      logger.error('setup failed', { errorCode: (error as Error)?.name, cause: (error as Error)?.message })
      throw error
    })
    return runtime
  }
  // Every line an invocation writes, the engine's and the client's included, carries its request id.
  const scoped =
    <E, R>(handler: (event: E, context: Context) => Promise<R>) =>
    (event: E, context: Context): Promise<R> =>
      logContext
        ? logContext.run({ fields: { awsRequestId: context.awsRequestId } }, () => handler(event, context))
        : handler(event, context)

  /** API Gateway (HTTP API, payload 2.0) → the Hono app. */
  const http = scoped(async (event: Parameters<ReturnType<typeof handle>>[0], context: Context) => {
    assertLambdaInvocation('http', event, context)
    const { app } = await getRuntime()
    httpHandler ??= handle(app)
    return httpHandler(event, context)
  }) as ReturnType<typeof handle>

  /** EventBridge schedule → start the named workflow and advance it within this invocation. */
  const scheduled = scoped(async function scheduled(
    event: ScheduledEvent | Record<string, unknown>,
    context: Context,
  ): Promise<ScheduledResult> {
    assertLambdaInvocation('scheduled', event, context)
    // Each function loads only its own handler's code (a chunk of its own), not the other two's.
    const [{ engine }, { runScheduled }] = await Promise.all([getRuntime(), import('./scheduled')])
    const result = await runScheduled({ engine }, event, budgetFrom(context.getRemainingTimeInMillis()), {
      invocationId: context.awsRequestId,
    })
    logger.info('ctflow scheduled', { ...result })
    return result
  })

  /** EventBridge rate tick → resume due runs within this invocation. */
  const worker = scoped(async function worker(event: ScheduledEvent, context: Context): Promise<WorkerResult> {
    assertLambdaInvocation('worker', event, context)
    const [{ engine, deliverNotifications }, { runWorker }] = await Promise.all([getRuntime(), import('./worker')])
    const result = await runWorker(
      { engine, deliverNotifications },
      event,
      budgetFrom(context.getRemainingTimeInMillis()),
    )
    logger.info('ctflow worker', { ...result })
    return result
  })

  return { http, scheduled, worker }
}

/** For the HTTP function: advance a new run briefly before the 202, within what the invocation has left. */
export async function advanceBriefly(engine: Engine, run: RunRecord, c: HonoContext): Promise<void> {
  const context = (c.env as { lambdaContext?: Context } | undefined)?.lambdaContext
  const remaining = context ? context.getRemainingTimeInMillis() : ADVANCE_ON_CREATE_MS
  await engine.advance(run.id, {
    deadline: Date.now() + Math.min(ADVANCE_ON_CREATE_MS, Math.max(0, remaining - DEFAULT_MARGIN_MS)),
  })
}
