/**
 * The three handlers of an event-style platform (CTyun 函数计算, Alibaba FC 3.0, Tencent SCF, Huawei FunctionGraph)
 * over the runtime-agnostic core: `http` (the platform's HTTP event → the Hono app → its reply object), `scheduled`
 * (a timer whose message is the job `{"workflow", "input"}`) and `worker` (a timer tick that resumes due runs). Each
 * platform file says only how its events and context look.
 */
import type { Context as HonoContext } from 'hono'
import { loadFunctionsConfig } from '../lib/config'
import type { Budget, Engine, RunRecord } from '../lib/engine'
import type { Logging } from '../lib/log'
import { budgetFrom, DEFAULT_MARGIN_MS } from './budget'
import {
  type EventHttpRequest,
  type EventHttpResponse,
  parseEvent,
  toEventResponse,
  toRequest,
  UnrecognisedEventError,
} from './event-http'
import { errorFields, loggingFromEnv } from './function-logging'
import { openEngine } from './open-engine'
import { createFunctionsRuntime, type FunctionsRuntime } from './runtime'
import { type ScheduledResult, ScheduledEventError } from './scheduled'
import type { WorkerResult } from './worker'

/** One timer firing as a platform delivers it: its trigger's name, when, and the message configured on it. */
export interface TimerFiring {
  name?: string
  time?: string
  /** The trigger's user message (CTyun `data`, FC `payload`, SCF `Message`, FunctionGraph `user_event`). */
  message?: unknown
}

/** How one platform's events and invocation context look. */
export interface EventPlatform<C = unknown> {
  /** e.g. "Tencent SCF": error messages name it. */
  name: string
  /** What its HTTP event looks like, for the error when another event arrives. */
  httpShape: string
  readHttp(event: unknown): EventHttpRequest | undefined
  timerShape: string
  /** The field of the timer event that carries the trigger's message, for error messages. */
  messageField: string
  readTimer(event: unknown): TimerFiring | undefined
  /**
   * Milliseconds this invocation has left: the platform's remaining-time method where it passes one, otherwise its
   * documented timeout setting measured from `startedAt` (never a method the context does not have).
   */
  remainingMs(context: C | undefined, startedAt: number, env: Record<string, string | undefined>): number
  requestId?(context: C | undefined): string | undefined
}

export interface EventHandlers<C> {
  http(event: unknown, context?: C): Promise<EventHttpResponse>
  scheduled(event: unknown, context?: C): Promise<ScheduledResult>
  worker(event: unknown, context?: C): Promise<WorkerResult>
}

/**
 * A platform's three handlers as its entry file exports them: the runtime built from the environment at the first
 * invocation, every line one JSON object (lib/log) on stdout carrying the invocation's request id.
 * @example export const { http, scheduled, worker } = eventPlatformHandlers(tencentScf, process.env)
 */
export function eventPlatformHandlers<C>(
  platform: EventPlatform<C>,
  env: Record<string, string | undefined>,
  { write }: { write?: (line: string) => void } = {},
): EventHandlers<C> {
  const logging = loggingFromEnv(env, write ? { write } : {})
  return createEventHandlers(platform, () => buildEventRuntime(platform.name, env, logging), { env, logging })
}

/**
 * @example export const { http, scheduled, worker } = createEventHandlers(scf, () => buildEventRuntime(scf.name, process.env))
 */
export function createEventHandlers<C>(
  platform: EventPlatform<C>,
  build: () => Promise<FunctionsRuntime>,
  {
    env = {} as Record<string, string | undefined>,
    logging = loggingFromEnv(env),
  }: { env?: Record<string, string | undefined>; logging?: Pick<Logging, 'logger' | 'context'> } = {},
): EventHandlers<C> {
  const { logger, context: logContext } = logging
  let runtime: Promise<FunctionsRuntime> | undefined
  const getRuntime = () => {
    // A failed build is not kept: the next invocation tries again (e.g. once the database is back).
    // (A build may throw before it returns a promise: a missing CTFLOW_STORE.)
    runtime ??= Promise.resolve()
      .then(build)
      .catch((error: unknown) => {
        runtime = undefined
        // A bad setting or an unreachable store: one line saying which (errors from lib/ never carry a secret).
        logger.error('setup failed', errorFields(error))
        throw error
      })
    return runtime
  }
  // Every line an invocation writes, the engine's and the client's included, carries the platform's request id.
  const scoped =
    <R>(handler: (event: unknown, context?: C) => Promise<R>) =>
    (event: unknown, context?: C): Promise<R> => {
      const requestId = platform.requestId?.(context)
      return requestId
        ? logContext.run({ fields: { requestId } }, () => handler(event, context))
        : handler(event, context)
    }

  return {
    http: scoped(async (event, context) => {
      const startedAt = Date.now()
      // Read the event before anything is built or started: an unknown event starts nothing.
      const request = platform.readHttp(parseEvent(event))
      if (!request) throw new UnrecognisedEventError(platform.name, platform.httpShape, event)
      const { app } = await getRuntime()
      const remainingMs = () => platform.remainingMs(context, startedAt, env)
      return toEventResponse(await app.fetch(toRequest(request), { remainingMs } satisfies EventHttpEnv))
    }),

    scheduled: scoped(async (event, context) => {
      const startedAt = Date.now()
      const firing = platform.readTimer(parseEvent(event))
      if (!firing) throw new UnrecognisedEventError(platform.name, platform.timerShape, event)
      const job = readJob(platform, firing.message)
      const [{ engine }, { runScheduled }] = await Promise.all([getRuntime(), import('./scheduled')])
      const firingId = firing.name && firing.time ? `${firing.name}@${firing.time}` : platform.requestId?.(context)
      const result = await runScheduled(
        { engine },
        job,
        budgetFrom(platform.remainingMs(context, startedAt, env)),
        firingId ? { invocationId: firingId } : {},
      )
      logger.info(`ctflow scheduled (${platform.name})`, { ...result })
      return result
    }),

    worker: scoped(async (event, context) => {
      const startedAt = Date.now()
      if (!platform.readTimer(parseEvent(event)))
        throw new UnrecognisedEventError(platform.name, platform.timerShape, event)
      const [{ engine, deliverNotifications }, { runWorker }] = await Promise.all([getRuntime(), import('./worker')])
      const result = await runWorker(
        { engine, deliverNotifications },
        event,
        budgetFrom(platform.remainingMs(context, startedAt, env)),
      )
      logger.info(`ctflow worker (${platform.name})`, { ...result })
      return result
    }),
  }
}

/** How long an HTTP invocation advances a run it just created before replying 202 (as on Lambda). */
export const ADVANCE_ON_CREATE_MS = 2_000

/** What the event adapters pass the Hono app as its env: how long the invocation has left. */
export interface EventHttpEnv {
  remainingMs: () => number
}

/**
 * The runtime of an event platform, from its environment. These platforms keep no disk between instances (the code
 * directory is read-only, /tmp is per instance), so CTFLOW_STORE must name a shared store.
 */
export function buildEventRuntime(
  platform: string,
  env: Record<string, string | undefined>,
  logging?: Pick<Logging, 'hooks' | 'ctyunLog' | 'logger'>,
): Promise<FunctionsRuntime> {
  requireStoreSetting(platform, env)
  return createFunctionsRuntime(loadFunctionsConfig(env), {
    openEngine: (config) => openEngine(config, logging ? { logging } : {}),
    onRunCreated: advanceWithinInvocation,
    ...(logging ? { log: (line: string) => logging.logger.error(line) } : {}),
  })
}

/** No store setting on a platform without a shared disk: say which variable to set, before anything opens. */
export class StoreRequiredError extends Error {
  override name = 'StoreRequiredError'
}

export function requireStoreSetting(platform: string, env: Record<string, string | undefined>): void {
  if (env.CTFLOW_STORE?.trim()) return
  throw new StoreRequiredError(
    `${platform} keeps no disk between instances: set CTFLOW_STORE to postgres://user:password@host:5432/db (or "memory" for a single-instance trial).`,
  )
}

/** For the HTTP function: advance a new run briefly before the 202, within what the invocation has left. */
export async function advanceWithinInvocation(engine: Engine, run: RunRecord, c: HonoContext): Promise<void> {
  const remainingMs = (c.env as Partial<EventHttpEnv> | undefined)?.remainingMs?.() ?? ADVANCE_ON_CREATE_MS
  const budget: Budget = {
    deadline: Date.now() + Math.min(ADVANCE_ON_CREATE_MS, Math.max(0, remainingMs - DEFAULT_MARGIN_MS)),
  }
  await engine.advance(run.id, budget)
}

/**
 * The timeout a platform documents as a setting (not a method), measured from the start of this invocation:
 * the context's own field where it has one, else CTFLOW_FUNCTION_TIMEOUT (seconds, set to the function's timeout),
 * else the platform's documented default.
 */
export function remainingFromTimeout(
  timeoutMs: number | undefined,
  startedAt: number,
  env: Record<string, string | undefined>,
  defaultMs: number,
): number {
  const configured = Number(env.CTFLOW_FUNCTION_TIMEOUT)
  const total =
    timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0
      ? timeoutMs
      : Number.isFinite(configured) && configured > 0
        ? configured * 1000
        : defaultMs
  return Math.max(0, total - (Date.now() - startedAt))
}

/** The trigger's message is the job: JSON text (or an object) `{"workflow": "…", "input": {…}}`. */
function readJob<C>(platform: EventPlatform<C>, message: unknown): unknown {
  const field = `$.${platform.messageField}`
  if (typeof message === 'string') {
    try {
      return JSON.parse(message)
    } catch {
      throw new ScheduledEventError(
        `${platform.name}: the timer's ${platform.messageField} is not JSON; set the trigger's message to {"workflow": "…", "input": {…}}.`,
        field,
      )
    }
  }
  if (message === undefined || message === null)
    throw new ScheduledEventError(
      `${platform.name}: the timer has no ${platform.messageField}; set the trigger's message to {"workflow": "…", "input": {…}}.`,
      field,
    )
  return message
}
