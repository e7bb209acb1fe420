import type { Context, MiddlewareHandler } from 'hono'
// The smallest preset (PatternRouter): a handful of routes, and every KiB counts on a FaaS cold start.
import { Hono } from 'hono/tiny'
import type { Engine, RunRecord, RunStatus, RunSummary } from '../../lib/engine'
import type { SignInCodes } from './console/sign-in-codes'
import { constantTimeEqual, sha256Hex } from './constant-time'
import { HttpProblem, problemResponse } from './problem'
import { readBodyLimited } from './read-body'
import { toProblem } from './to-problem'
import { createWebhookVerifier, DEFAULT_TOLERANCE_SECONDS, type WebhookRejection } from './webhook-signature'

export interface HttpAppOptions {
  engine: Engine
  /** `whsec_…` secrets, newest first; with none, every webhook is refused (401). */
  webhookSecrets: readonly string[]
  /** The bearer token of the runs API; when unset the runs API refuses every request (401). */
  apiToken?: string
  /** Largest accepted request body; bigger ones get 413 before being parsed. */
  maxBodyBytes?: number
  toleranceSeconds?: number
  now?: () => number
  /**
   * Called after a request created a run (not on an idempotent replay), before the 202 is sent. The Node adapter
   * starts advancing in the background; the Lambda adapter advances within a short budget. Errors are logged only:
   * the run exists and the worker will pick it up.
   */
  onRunCreated?: (run: RunRecord, c: Context) => Promise<void> | void
  /** Where server-side errors go (name, message, requestId: never a secret, never sent to the caller). */
  log?: (line: string) => void
  /** One-time codes the console's sign-in link takes (`ctflow demo --console`); none: only the token signs in. */
  signInCodes?: SignInCodes
}

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024
const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']
const MAX_PAGE = 100
const DEFAULT_PAGE = 20
const MAX_HISTORY_PAGE = 1_000

/**
 * The HTTP face of ctflow, runtime-agnostic (Node, AWS Lambda): signed webhooks that start runs, the runs API behind
 * a bearer token, and health. Every error leaves through one `onError` as RFC 9457 problem details.
 * @example
 * const app = createHttpApp({ engine, webhookSecrets: ['whsec_…'], apiToken: 's3cret' })
 * const res = await app.request('/healthz')
 */
export function createHttpApp(options: HttpAppOptions): Hono {
  const {
    engine,
    webhookSecrets,
    apiToken,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
    now = () => Date.now(),
    onRunCreated,
    log = (line) => console.error(line),
    signInCodes,
  } = options
  // Built once (keys imported once); a malformed secret throws here, at start, naming the secret by position.
  const verify =
    webhookSecrets.length > 0 ? createWebhookVerifier(webhookSecrets, { toleranceSeconds, now }) : undefined
  const app = new Hono()

  app.onError((error, c) => {
    const problem = toProblem(error)
    const requestId = problem.status >= 500 ? crypto.randomUUID() : undefined
    if (requestId)
      log(`ctflow http ${c.req.method} ${c.req.path} → ${problem.status} [${requestId}]: ${describe(error)}`)
    return problemResponse(problem, requestId)
  })
  app.notFound((c) => problemResponse(new HttpProblem(404, 'no-route', `No route for ${c.req.method} ${c.req.path}.`)))

  app.get('/healthz', (c) => c.json({ ok: true }))

  // The run console (console/console-app.ts): loaded on the first console request, so neither its code nor the graph
  // layout library is part of a cold start that only answers webhooks or the runs API.
  let consoleApp: Promise<{ fetch(request: Request, env?: unknown): Response | Promise<Response> }> | undefined
  const serveConsole = async (c: Context) => {
    consoleApp ??= import('./console/console-app').then(({ createConsoleApp }) =>
      createConsoleApp({ engine, apiToken, signInCodes, onRunCreated, now, log }),
    )
    consoleApp.catch(() => {
      consoleApp = undefined
    })
    return (await consoleApp).fetch(c.req.raw, c.env)
  }
  app.all('/console', serveConsole)
  app.all('/console/*', serveConsole)

  app.post('/hooks/:workflow', async (c) => {
    const workflow = c.req.param('workflow')
    const headers = {
      id: c.req.header('webhook-id'),
      timestamp: c.req.header('webhook-timestamp'),
      signature: c.req.header('webhook-signature'),
    }
    if (!verify)
      throw new HttpProblem(401, 'webhooks-disabled', 'Webhooks are disabled: the server has no CTFLOW_WEBHOOK_SECRET.')
    if (!headers.id || !headers.timestamp || !headers.signature) throw webhookRejected('missing-headers')
    requireJson(c)
    const body = await readBodyLimited(c.req.raw, maxBodyBytes)
    const verdict = await verify(headers, body)
    if (!verdict.ok) throw webhookRejected(verdict.reason)

    const input = parseJson(body)
    requireWorkflow(engine, workflow)
    // De-duplicated on the signed webhook-id alone: an unsigned header (Idempotency-Key, …) can be changed by whoever
    // replays a captured delivery, so it must not make a replay look like a new request.
    return startRun(c, {
      workflow,
      input,
      idempotencyKey: `hook:${workflow}:${verdict.id}`,
      requestHash: await sha256Hex(body),
    })
  })

  // Everything below needs the bearer token.
  const requireToken: MiddlewareHandler = async (c, next) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1]
    if (!apiToken)
      throw new HttpProblem(401, 'api-disabled', 'The runs API is disabled: the server has no CTFLOW_API_TOKEN.', {
        headers: challenge,
      })
    if (!presented)
      throw new HttpProblem(401, 'missing-token', 'Send Authorization: Bearer <CTFLOW_API_TOKEN>.', {
        headers: challenge,
      })
    if (!(await constantTimeEqual(presented, apiToken)))
      throw new HttpProblem(401, 'bad-token', 'The bearer token is not valid.', { headers: challenge })
    await next()
  }
  for (const path of ['/workflows', '/runs', '/runs/*']) app.use(path, requireToken)

  app.get('/workflows', (c) => c.json({ workflows: engine.workflows() }))

  app.post('/runs', async (c) => {
    requireJson(c)
    const body = await readBodyLimited(c.req.raw, maxBodyBytes)
    const request = parseJson(body)
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      throw new HttpProblem(400, 'invalid-field', 'The body must be a JSON object {"workflow", "input"}.', {
        field: '$',
      })
    }
    const { workflow, input, plan } = request as { workflow?: unknown; input?: unknown; plan?: unknown }
    if (plan !== undefined && typeof plan !== 'boolean') {
      throw new HttpProblem(400, 'invalid-field', 'plan must be true (a dry run: no write is sent) or false.', {
        field: '$.plan',
      })
    }
    if (typeof workflow !== 'string' || workflow === '') {
      throw new HttpProblem(
        400,
        'invalid-field',
        'workflow must be a non-empty string naming a workflow (GET /workflows).',
        { field: '$.workflow' },
      )
    }
    requireWorkflow(engine, workflow)
    const key = idempotencyKey(c)
    return startRun(c, {
      workflow,
      input: input ?? {},
      ...(plan === true ? { plan: true } : {}),
      ...(key ? { idempotencyKey: `api:${key}`, requestHash: await sha256Hex(body) } : {}),
    })
  })

  app.get('/runs', async (c) => {
    const workflow = c.req.query('workflow') || undefined
    const status = c.req.query('status') || undefined
    if (status !== undefined && !RUN_STATUSES.includes(status as RunStatus)) {
      throw new HttpProblem(400, 'invalid-field', `status must be one of ${RUN_STATUSES.join(', ')}.`, {
        field: 'status',
      })
    }
    const limitText = c.req.query('limit')
    const limit = limitText === undefined ? DEFAULT_PAGE : Number(limitText)
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new HttpProblem(400, 'invalid-field', `limit must be an integer from 1 to ${MAX_PAGE}.`, { field: 'limit' })
    }
    const cursor = c.req.query('cursor') || undefined
    // ?parent=<run id>: the child runs of that run's distributed Maps (they are left out of the plain list).
    const parentId = c.req.query('parent') || undefined
    // A cursor the store cannot read is an InvalidCursorError: a 400 naming `cursor` (to-problem.ts).
    const page = await engine.list({
      workflow,
      status: status as RunStatus | undefined,
      limit,
      cursor,
      ...(parentId ? { parentId } : {}),
    })
    return c.json({ runs: page.runs.map(runView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) })
  })

  app.get('/runs/:id', async (c) => {
    const run = await requireRun(engine, c.req.param('id'))
    // The history a page at a time (?historyAfter=<seq>&historyLimit=<n>): a long one is never read or sent whole.
    const afterSeq = queryInteger(c, 'historyAfter', 0, Number.MAX_SAFE_INTEGER, 0)
    const limit = queryInteger(c, 'historyLimit', 1, MAX_HISTORY_PAGE, MAX_HISTORY_PAGE)
    const events = await engine.history(run.id, { afterSeq, limit: limit + 1 })
    const history = events.slice(0, limit)
    return c.json({
      ...runView(run),
      input: run.input,
      history,
      ...(events.length > limit ? { historyNext: history.at(-1)!.seq } : {}),
    })
  })

  app.post('/runs/:id/cancel', async (c) => {
    const run = await requireRun(engine, c.req.param('id'))
    if (run.status !== 'RUNNING') {
      throw new HttpProblem(
        409,
        'run-finished',
        `Run ${run.id} has already finished (${run.status}); there is nothing to cancel.`,
      )
    }
    const cancelled = await engine.cancel(run.id)
    if (!cancelled) throw new HttpProblem(404, 'unknown-run', `No run with id ${run.id}.`)
    return c.json(runView(cancelled), 202)
  })

  return app

  async function startRun(
    c: Context,
    request: { workflow: string; input: unknown; plan?: boolean; idempotencyKey?: string; requestHash?: string },
  ) {
    const { run, created } = await engine.start(request)
    if (!created && request.requestHash !== undefined && run.requestHash !== request.requestHash) {
      throw new HttpProblem(
        422,
        'idempotency-key-reused',
        'This idempotency key (webhook-id or Idempotency-Key) was already used with a different body; use a new key for a new request.',
      )
    }
    if (created && onRunCreated) {
      try {
        await onRunCreated(run, c)
      } catch (error) {
        log(
          `ctflow http: run ${run.id} was created but advancing it failed; the worker will resume it: ${describe(error)}`,
        )
      }
    }
    const location = `/runs/${encodeURIComponent(run.id)}`
    c.header('location', location)
    if (!created) c.header('idempotent-replayed', 'true')
    return c.json({ runId: run.id, status: run.status, created, location, ...(run.plan ? { plan: true } : {}) }, 202)
  }
}

const challenge = { 'www-authenticate': 'Bearer realm="ctflow"' }

function webhookRejected(reason: WebhookRejection): HttpProblem {
  // Say which check failed (useful to a sender fixing its clock or headers) but nothing about the expected signature.
  const details: Record<WebhookRejection, string> = {
    'missing-headers': 'The webhook-id, webhook-timestamp and webhook-signature headers are all required.',
    'bad-timestamp': 'webhook-timestamp must be Unix seconds.',
    'stale-timestamp': 'webhook-timestamp is more than 5 minutes away from the server clock.',
    'bad-signature': 'The webhook signature does not match.',
  }
  return new HttpProblem(401, `webhook-${reason}`, details[reason])
}

function requireJson(c: Context): void {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
    throw new HttpProblem(415, 'unsupported-media-type', 'Send the body as JSON with Content-Type: application/json.', {
      field: 'content-type',
    })
  }
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body))
  } catch {
    // Not echoing the parser's message: it quotes the body, which may carry something sensitive.
    throw new HttpProblem(400, 'malformed-json', 'The request body is not valid UTF-8 JSON.', { field: '$' })
  }
}

function queryInteger(c: Context, name: string, min: number, max: number, fallback: number): number {
  const text = c.req.query(name)
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new HttpProblem(
      400,
      'invalid-field',
      `${name} must be an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'the last seq' : max}.`,
      { field: name },
    )
  }
  return value
}

function idempotencyKey(c: Context): string | undefined {
  const key = c.req.header('idempotency-key')
  if (key === undefined) return undefined
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new HttpProblem(400, 'invalid-field', 'Idempotency-Key must be 1–255 visible ASCII characters.', {
      field: 'idempotency-key',
    })
  }
  return key
}

function requireWorkflow(engine: Engine, workflow: string): void {
  if (!engine.workflows().some((info) => info.name === workflow)) {
    throw new HttpProblem(404, 'unknown-workflow', `No workflow named "${workflow}" (GET /workflows lists them).`)
  }
}

async function requireRun(engine: Engine, id: string): Promise<RunRecord> {
  const run = await engine.get(id)
  if (!run) throw new HttpProblem(404, 'unknown-run', `No run with id ${id}.`)
  return run
}

function runView(run: RunSummary | RunRecord) {
  return {
    id: run.id,
    workflow: run.workflow,
    status: run.status,
    createdAt: run.createdAt.toISOString(),
    updatedAt: run.updatedAt.toISOString(),
    resumeAt: run.resumeAt ? run.resumeAt.toISOString() : null,
    cancelRequested: run.cancelRequested,
    ...(run.parentId !== undefined ? { parentId: run.parentId } : {}),
    ...(run.workflowVersion !== undefined ? { workflowVersion: run.workflowVersion } : {}),
    ...(run.plan ? { plan: true } : {}),
    ...(run.output !== undefined ? { output: run.output } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}
