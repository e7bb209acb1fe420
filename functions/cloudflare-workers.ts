/**
 * Cloudflare Workers entry (module syntax): `fetch` serves the HTTP app, `scheduled` runs the Cron Triggers that
 * wrangler.toml lists (the same schedules.json, as 5-field crons). Settings are the Worker's vars and secrets.
 * Needs the `nodejs_compat` compatibility flag: the engine uses `node:crypto` and `node:events`, pg `node:net`/`tls`
 * (through `cloudflare:sockets`).
 * - Stores: PostgreSQL (`CTFLOW_STORE=postgres://…`, or a Hyperdrive connection string) opened for each request and
 *   closed when its work is done: a Worker may not reuse a socket across requests. `memory` lives as long as the
 *   isolate (a trial). The file store is refused at start: a Worker has no disk.
 * - The module exports only the default handler object: workerd refuses any other value export from the entry.
 * - New runs advance after the 202 in `ctx.waitUntil` (which Workers honour for up to 30 s after the response); the
 *   worker Cron Trigger resumes what is left.
 */
import type { ExecutionContext, Context as HonoContext } from 'hono'
import { loadFunctionsConfig, type FunctionsConfig } from '../lib/config'
import type { Engine, RunRecord } from '../lib/engine'
import type { Logging } from '../lib/log'
import { DEFAULT_MARGIN_MS } from './budget'
import { errorFields, loggingFromEnv } from './function-logging'
import { openEngine } from './open-engine'
import { HttpProblem, problemResponse } from './http/problem'
import { createFunctionsRuntime, type FunctionsRuntime } from './runtime'
import { type ScheduleDefinition, schedules, toUnixCron } from './schedules'

/** The Workers execution context (the parts used here). */
export interface WorkersExecutionContext {
  waitUntil(promise: Promise<unknown>): void
  passThroughOnException?(): void
}

/** The ScheduledController a Cron Trigger passes. */
export interface WorkersScheduledController {
  cron: string
  scheduledTime: number
}

export type WorkersEnv = Record<string, unknown>

/** How long ctx.waitUntil keeps a Worker running after its response (Cloudflare's documented limit). */
const WAIT_UNTIL_MS = 30_000
/** The wall-clock limit of a Cron Trigger invocation (Cloudflare's documented limit, 15 minutes). */
const CRON_WALL_MS = 15 * 60_000

/** A setting that cannot work on Workers: one line, naming what to use instead. */
class WorkersSetupError extends Error {
  override name = 'WorkersSetupError'
}

/** The Worker's vars: its bindings that are strings. */
function varsOf(env: WorkersEnv): Record<string, string | undefined> {
  const vars: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') vars[name] = value
  return vars
}

/** Reads the Worker's vars and refuses a store that cannot work without a disk. */
function workersConfig(env: WorkersEnv): FunctionsConfig {
  const vars = varsOf(env)
  if (!vars.CTFLOW_STORE?.trim())
    throw new WorkersSetupError(
      'Cloudflare Workers has no disk: set CTFLOW_STORE to postgres://user:password@host:5432/db (or "memory" for a trial).',
    )
  const config = loadFunctionsConfig(vars)
  if (config.store.target.kind === 'file')
    throw new WorkersSetupError(
      'CTFLOW_STORE names a directory, but a Worker has no disk: use the PostgreSQL store (CTFLOW_STORE=postgres://…).',
    )
  return config
}

/**
 * The Worker: one runtime per isolate for `memory`, a fresh one per request (closed after its waitUntil work) for
 * PostgreSQL. Every line is one JSON object (lib/log) through console.log, which Workers Logs reads as JSON.
 * @example export default createWorkersEntry()
 */
function createWorkersEntry({ write = (line: string) => console.log(line) } = {}) {
  let isolateRuntime: Promise<FunctionsRuntime> | undefined
  // Built from the vars an event brings (the secrets to mask among them), once per env object: an isolate's.
  const loggings = new WeakMap<WorkersEnv, Logging>()
  const loggingFor = (env: WorkersEnv): Logging => {
    let logging = loggings.get(env)
    if (!logging) loggings.set(env, (logging = loggingFromEnv(varsOf(env), { write })))
    return logging
  }

  const build = (config: FunctionsConfig, logging: Logging) =>
    createFunctionsRuntime(
      // One connection is all a request needs; a pool would outlive it.
      { ...config, store: { ...config.store, poolMax: 1 } },
      {
        openEngine: (resolved) => openEngine(resolved, { logging }),
        onRunCreated: advanceInWaitUntil,
        log: (line) => logging.logger.error(line),
      },
    )

  /** Runs `work` on a runtime: the isolate's (memory) or one opened for it and closed after `ctx`'s pending work. */
  async function withRuntime<T>(
    env: WorkersEnv,
    ctx: WorkersExecutionContext,
    work: (runtime: FunctionsRuntime, ctx: WorkersExecutionContext) => Promise<T>,
  ): Promise<T> {
    const config = workersConfig(env)
    const logging = loggingFor(env)
    if (config.store.target.kind === 'memory') {
      isolateRuntime ??= build(config, logging).catch((error: unknown) => {
        isolateRuntime = undefined
        throw error
      })
      return work(await isolateRuntime, ctx)
    }
    const runtime = await build(config, logging)
    const pending: Promise<unknown>[] = []
    const scoped: WorkersExecutionContext = { waitUntil: (promise) => void pending.push(promise) }
    try {
      return await work(runtime, scoped)
    } finally {
      // Close only once the background work (the run's first advance) is done with the connection.
      ctx.waitUntil(
        (async () => {
          while (pending.length) await Promise.allSettled(pending.splice(0))
          await runtime.close()
        })(),
      )
    }
  }

  return {
    async fetch(request: Request, env: WorkersEnv, ctx: WorkersExecutionContext): Promise<Response> {
      try {
        return await withRuntime(env, ctx, (runtime, scoped) =>
          Promise.resolve(runtime.app.fetch(request, env, scoped as ExecutionContext)),
        )
      } catch (error) {
        // Setup errors reach no Hono onError. A setting to fix is said in one line (it names the variable, never a
        // value); anything else (a database down) goes to the log only, under a request id the caller gets.
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
        const requestId = crypto.randomUUID()
        loggingFor(env).logger.error('ctflow (workers): setup failed', { requestId, ...errorFields(error) })
        const setting =
          error instanceof Error &&
          ['WorkersSetupError', 'FunctionsConfigError', 'StoreConfigError', 'CtyunConfigError'].includes(error.name)
        return problemResponse(
          new HttpProblem(500, 'setup', setting ? message : 'ctflow could not start on this Worker; see its logs.'),
          requestId,
        )
      }
    },

    async scheduled(controller: WorkersScheduledController, env: WorkersEnv, ctx: WorkersExecutionContext) {
      const due = schedulesFor(controller.cron)
      if (due.length === 0) {
        throw new WorkersSetupError(
          `Cron Trigger "${controller.cron}" matches no schedule in schedules.json (expected one of: ${schedules.map((s) => toUnixCron(s.expression)).join(', ')}).`,
        )
      }
      await withRuntime(env, ctx, async ({ engine, deliverNotifications }) => {
        const budget = { deadline: Date.now() + CRON_WALL_MS - DEFAULT_MARGIN_MS }
        for (const schedule of due) {
          if (schedule.function === 'scheduled') {
            const { runScheduled } = await import('./scheduled')
            const result = await runScheduled({ engine }, schedule.input, budget, {
              invocationId: `${schedule.name}@${new Date(controller.scheduledTime).toISOString()}`,
            })
            loggingFor(env).logger.info('ctflow scheduled (workers)', { ...result })
          } else {
            const { runWorker } = await import('./worker')
            const result = await runWorker({ engine, deliverNotifications }, controller, budget)
            loggingFor(env).logger.info('ctflow worker (workers)', { ...result })
          }
        }
      })
    },
  }
}

function schedulesFor(cron: string): ScheduleDefinition[] {
  return schedules.filter((schedule) => toUnixCron(schedule.expression) === cron.trim())
}

/** After the 202: advance the new run in ctx.waitUntil, within what Workers allow after the response. */
function advanceInWaitUntil(engine: Engine, run: RunRecord, c: HonoContext): void {
  const budget = { deadline: Date.now() + WAIT_UNTIL_MS - DEFAULT_MARGIN_MS }
  c.executionCtx.waitUntil(engine.advance(run.id, budget))
}

export default createWorkersEntry()
