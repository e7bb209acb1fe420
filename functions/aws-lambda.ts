// AWS Lambda entry points (serverless.yml: functions/aws-lambda.http | .scheduled | .worker). The engine, store and
// HTTP app are built once per container, on first use, from the environment.
import type { Context, ScheduledEvent } from 'aws-lambda'
import type { Context as HonoContext } from 'hono'
import { handle } from 'hono/aws-lambda'
import { loadFunctionsConfig } from '../lib/config/functions-config'
import type { Engine } from '../lib/engine/engine'
import type { RunRecord } from '../lib/engine/run'
import { budgetFrom, DEFAULT_MARGIN_MS } from './budget'
import { openEngine } from './open-engine'
import { createFunctionsRuntime, type FunctionsRuntime } from './runtime'
import { runScheduled, type ScheduledResult } from './scheduled'
import { runWorker, type WorkerResult } from './worker'

/** How long an HTTP invocation advances a run it just created before replying 202; the worker does the rest. */
const ADVANCE_ON_CREATE_MS = 2_000

let runtime: Promise<FunctionsRuntime> | undefined
let httpHandler: ReturnType<typeof handle> | undefined

function getRuntime(): Promise<FunctionsRuntime> {
  runtime ??= createFunctionsRuntime(loadFunctionsConfig(process.env), { openEngine, onRunCreated: advanceBriefly }).catch((error: unknown) => {
    runtime = undefined // let the next invocation try again instead of caching the failure
    throw error
  })
  return runtime
}

async function advanceBriefly(engine: Engine, run: RunRecord, c: HonoContext): Promise<void> {
  const context = (c.env as { lambdaContext?: Context } | undefined)?.lambdaContext
  const remaining = context ? context.getRemainingTimeInMillis() : ADVANCE_ON_CREATE_MS
  await engine.advance(run.id, { deadline: Date.now() + Math.min(ADVANCE_ON_CREATE_MS, Math.max(0, remaining - DEFAULT_MARGIN_MS)) })
}

/** API Gateway (HTTP API, payload v2) → the Hono app. */
export const http: ReturnType<typeof handle> = async (event, context) => {
  const { app } = await getRuntime()
  httpHandler ??= handle(app)
  return httpHandler(event, context)
}

/** EventBridge schedule → start the named workflow and advance it within this invocation. */
export async function scheduled(event: ScheduledEvent | Record<string, unknown>, context: Context): Promise<ScheduledResult> {
  const { engine } = await getRuntime()
  const result = await runScheduled({ engine }, event, budgetFrom(context.getRemainingTimeInMillis()), { invocationId: context.awsRequestId })
  console.log(JSON.stringify({ message: 'ctflow scheduled', ...result }))
  return result
}

/** EventBridge rate tick → resume due runs within this invocation. */
export async function worker(event: ScheduledEvent, context: Context): Promise<WorkerResult> {
  const { engine } = await getRuntime()
  const result = await runWorker({ engine }, event, budgetFrom(context.getRemainingTimeInMillis()))
  console.log(JSON.stringify({ message: 'ctflow worker', ...result }))
  return result
}
