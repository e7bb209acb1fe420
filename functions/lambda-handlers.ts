import type { Context, ScheduledEvent } from 'aws-lambda'
import type { Context as HonoContext } from 'hono'
import { handle } from 'hono/aws-lambda'
import type { Engine, RunRecord } from '../lib/engine'
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
  { log = (line: string) => console.log(line) } = {},
) {
  let runtime: Promise<FunctionsRuntime> | undefined
  let httpHandler: ReturnType<typeof handle> | undefined
  const getRuntime = () => {
    runtime ??= build().catch((error: unknown) => {
      runtime = undefined
      throw error
    })
    return runtime
  }

  /** API Gateway (HTTP API, payload 2.0) → the Hono app. */
  const http: ReturnType<typeof handle> = async (event, context) => {
    assertLambdaInvocation('http', event, context)
    const { app } = await getRuntime()
    httpHandler ??= handle(app)
    return httpHandler(event, context)
  }

  /** EventBridge schedule → start the named workflow and advance it within this invocation. */
  async function scheduled(
    event: ScheduledEvent | Record<string, unknown>,
    context: Context,
  ): Promise<ScheduledResult> {
    assertLambdaInvocation('scheduled', event, context)
    // Each function loads only its own handler's code (a chunk of its own), not the other two's.
    const [{ engine }, { runScheduled }] = await Promise.all([getRuntime(), import('./scheduled')])
    const result = await runScheduled({ engine }, event, budgetFrom(context.getRemainingTimeInMillis()), {
      invocationId: context.awsRequestId,
    })
    log(JSON.stringify({ message: 'ctflow scheduled', ...result }))
    return result
  }

  /** EventBridge rate tick → resume due runs within this invocation. */
  async function worker(event: ScheduledEvent, context: Context): Promise<WorkerResult> {
    assertLambdaInvocation('worker', event, context)
    const [{ engine }, { runWorker }] = await Promise.all([getRuntime(), import('./worker')])
    const result = await runWorker({ engine }, event, budgetFrom(context.getRemainingTimeInMillis()))
    log(JSON.stringify({ message: 'ctflow worker', ...result }))
    return result
  }

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
