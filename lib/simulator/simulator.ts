/**
 * The local CTyun: a Hono app serving the operations of shared/ctyun-api.md on one port (the path decides the
 * service; a `<svc>-global…` Host header must agree), with EOP authentication, a stateful cloud seeded from a
 * fixture, clock-driven lifecycles, clientToken idempotency, fault injection and `/_sim/` admin endpoints.
 */
import type { Context } from 'hono'
import { Hono } from 'hono'
import { nodeEopCrypto, type EopCredentials } from '../ctyun/signing'
import { createSimAdmin } from './admin'
import type { CallLog } from './calls'
import { createCallLog } from './calls'
import type { SimClock } from './clock'
import { createSimClock } from './clock'
import { DEMO_CREDENTIALS } from './demo-credentials'
import type { SimDurations } from './durations'
import { resolveDurations } from './durations'
import type { SimReply } from './envelope'
import { failure, SimApiError } from './envelope'
import type { ErrorCodeSpellings } from './error-codes'
import { AUTH_ERROR, ERROR, respeller, upperCamelCode } from './error-codes'
import { createEopVerifier } from './eop-verifier'
import type { FaultConfig, FaultController } from './faults'
import { createFaultController } from './faults'
import type { SimFixture } from './fixture'
import { loadFixture, stateFromFixture } from './fixture'
import { createIdempotencyStore, fingerprintOf } from './idempotency'
import type { SimOperation } from './operation'
import { cbrOperations } from './operations/cbr'
import { cdaOperations } from './operations/cda'
import { ebsOperations } from './operations/ebs'
import { ecsOperations } from './operations/ecs'
import { eipOperations } from './operations/eip'
import { imageOperations } from './operations/image'
import { SimParams } from './params'
import { createPrng } from './prng'
import type { RateLimitConfig, RateLimiter } from './rate-limiter'
import { createRateLimiter } from './rate-limiter'
import { withScaleDisks } from './scale-fixture'
import type { SimRuntime } from './runtime'
import type { SimState } from './state'

export const SIM_OPERATIONS: readonly SimOperation[] = [
  ...ecsOperations,
  ...ebsOperations,
  ...imageOperations,
  ...cbrOperations,
  ...eipOperations,
  ...cdaOperations,
]

export interface SimulatorOptions {
  /** A fixture object or a JSON file path; the shipped default otherwise. */
  fixture?: SimFixture | string
  /** Accepted credentials; the demo credentials otherwise. */
  credentials?: EopCredentials | readonly EopCredentials[]
  /** `fast` (default), `realistic`, or per-lifecycle ms. */
  durations?: 'fast' | 'realistic' | Partial<SimDurations>
  /** Initial faults, keyed by operation name or `*` (change later through `faults.set` or PUT /_sim/faults). */
  faults?: FaultConfig
  /** Seed for fault decisions and generated IDs (default 1). */
  seed?: number
  /** Wall clock, epoch ms (eop-date checks and the base of the lifecycle clock). */
  now?: () => number
  /** eop-date window, both ways (default 15 min). */
  dateWindowMs?: number
  /** How eop-date may be read (default Beijing wall-clock and UTC). */
  dateTimeZones?: ReadonlyArray<'beijing' | 'utc'>
  /** Other spellings for the assumed error codes (error-codes.ts): proves a client does not depend on them. */
  errorCodes?: ErrorCodeSpellings
  /** Adds this many disks labelled backup=nightly to the fixture's first region (scale-fixture.ts). */
  disks?: number
  /** The cloud's request limit per access key per service (rate-limiter.ts); none by default. */
  rateLimit?: RateLimitConfig
}

export interface Simulator {
  app: Hono
  /** The live state (mutable; views are computed at read time). */
  readonly state: SimState
  clock: SimClock
  faults: FaultController
  calls: CallLog
  durations: SimDurations
  credentials: readonly EopCredentials[]
  operations: readonly SimOperation[]
  /** The request limit, when one is set. */
  rateLimiter?: RateLimiter
  /** Back to the fixture: state, IDs, the fault random sequence, calls and clientTokens (fault config and clock are kept). */
  reset(): void
}

const HOST_SERVICE = /^([a-z0-9]+)-global\./i

/**
 * @example
 * const sim = createSimulator({ seed: 7 })
 * const res = await sim.app.request('/_sim/state')
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const crypto = nodeEopCrypto()
  if (!crypto) throw new Error('the simulator needs node:crypto')
  const credentials =
    options.credentials === undefined
      ? [DEMO_CREDENTIALS]
      : Array.isArray(options.credentials)
        ? [...options.credentials]
        : [options.credentials as EopCredentials]
  for (const [i, c] of credentials.entries()) {
    if (!c?.accessKey || !c?.secretKey) throw new TypeError(`credentials[${i}] needs accessKey and secretKey`)
  }
  const secrets = new Map(credentials.map((c) => [c.accessKey, c.secretKey]))
  const baseFixture =
    typeof options.fixture === 'string' || options.fixture === undefined
      ? loadFixture(options.fixture)
      : options.fixture
  const fixture = options.disks ? withScaleDisks(baseFixture, options.disks) : baseFixture
  const rateLimiter = options.rateLimit ? createRateLimiter(options.rateLimit) : undefined
  const seed = options.seed ?? 1
  const clock = createSimClock(options.now)
  const durations = resolveDurations(options.durations)
  const faults = createFaultController(() => createPrng(seed ^ 0x5eed), options.faults ?? {})
  const calls = createCallLog()
  const idempotency = createIdempotencyStore()
  const respell = respeller(options.errorCodes)
  const runtime: SimRuntime = {
    state: stateFromFixture(fixture, clock.now()),
    clock,
    durations,
    ids: createPrng(seed),
    faults,
  }
  const verify = createEopVerifier({
    crypto,
    secretKeyOf: (ak) => secrets.get(ak),
    now: clock.wallNow,
    dateWindowMs: options.dateWindowMs,
    dateTimeZones: options.dateTimeZones,
  })

  const reset = () => {
    runtime.state = stateFromFixture(fixture, clock.now())
    runtime.ids = createPrng(seed)
    faults.rewind()
    calls.clear()
    idempotency.clear()
    rateLimiter?.clear()
  }

  const app = new Hono()
  app.route('/_sim', createSimAdmin({ runtime, calls, reset, operations: SIM_OPERATIONS }))

  const serve = async (operation: SimOperation, c: Context): Promise<Response> => {
    const reply = respelt(await handle(operation, c))
    const throttledCode = reply !== 'dropped' && reply.body.errorCode === respell(ERROR.throttled)
    calls.record({
      at: new Date(clock.now()).toISOString(),
      operation: operation.name,
      method: c.req.method,
      path: operation.path,
      httpStatus: reply === 'dropped' ? 0 : reply.httpStatus,
      outcome:
        reply === 'dropped'
          ? 'dropped'
          : reply.body.statusCode === 800
            ? 'ok'
            : reply.body.errorCode || `http ${reply.httpStatus}`,
      throttled: reply !== 'dropped' && (reply.httpStatus === 429 || throttledCode),
    })
    if (reply === 'dropped') return dropConnection(c)
    const body = reply.nestInHttpResult ? { httpstatus: reply.httpStatus, httpresult: reply.body } : reply.body
    return c.json(body, reply.httpStatus as 200, reply.headers)
  }

  const handle = async (operation: SimOperation, c: Context): Promise<SimReply | 'dropped'> => {
    const hostService = HOST_SERVICE.exec(c.req.header('host') ?? '')?.[1]?.toLowerCase()
    if (hostService && hostService !== operation.service) {
      return failure(ERROR.apiNotFound, `${c.req.method} ${operation.path} is not served by ${hostService}-global`, {
        httpStatus: 404,
      })
    }
    const body = await bodyOf(c)
    const rawUrl: string = (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url ?? c.req.url
    const at = rawUrl.indexOf('?')
    const rawQuery = at < 0 ? '' : rawUrl.slice(at + 1)
    const auth = verify({ rawQuery, header: (name) => c.req.header(name), body })
    if (!auth.ok) return failure(auth.errorCode, auth.message, { httpStatus: 401, description: '鉴权失败' })

    if (rateLimiter) {
      const key = `${auth.accessKey}\n${operation.service}`
      const now = clock.now()
      if (!rateLimiter.take(key, now)) {
        if (rateLimiter.config.answer === 'http429')
          return failure(ERROR.throttled, 'request limit exceeded, retry later', {
            httpStatus: 429,
            headers: { 'Retry-After': String(rateLimiter.retryAfterSeconds(key, now)) },
          })
        return failure(ERROR.throttled, 'request limit exceeded, retry later', { description: '请求过于频繁' })
      }
    }

    const fault = faults.decide(operation.name)
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
    if (fault.action === 'drop') return 'dropped'
    if (fault.action === 'serverError')
      return failure(ERROR.internal, 'simulated server error', { httpStatus: fault.status ?? 503 })
    if (fault.action === 'throttle429') {
      return failure(ERROR.throttled, 'request limit exceeded, retry later', {
        httpStatus: 429,
        headers: { 'Retry-After': String(fault.retryAfterSeconds ?? 1) },
      })
    }
    if (fault.action === 'throttleCode')
      return failure(ERROR.throttled, 'request limit exceeded, retry later', { description: '请求过于频繁' })

    const reply = act(operation, rawQuery, body, auth.accessKey)
    // The server acted; the reply is lost on the way back (the caller cannot tell whether anything happened).
    if (fault.action === 'lostReply') return 'dropped'
    const renamed = faults.businessErrorCode(operation.name)
    const isBusinessError =
      reply.httpStatus === 200 &&
      reply.body.statusCode !== 800 &&
      !(reply.body.returnObj as { masterOrderID?: string } | undefined)?.masterOrderID
    if (renamed && isBusinessError) reply.body = { ...reply.body, errorCode: renamed, error: upperCamelCode(renamed) }
    return reply
  }

  const act = (operation: SimOperation, rawQuery: string, body: Uint8Array, accessKey: string): SimReply => {
    try {
      const params = paramsOf(rawQuery, body)
      const clientToken = operation.idempotent ? params.optional('clientToken') : undefined
      const now = clock.now()
      if (clientToken) {
        const key = `${operation.name}\n${accessKey}\n${clientToken}`
        const fingerprint = fingerprintOf(params.values)
        const stored = idempotency.lookup(key, fingerprint, now)
        if (stored === 'conflict')
          throw new SimApiError(ERROR.clientTokenConflict, 'clientToken was already used with different parameters')
        if (stored) return stored
        const reply = operation.handle({ params, runtime, operation: operation.name, now })
        const isOrder = Boolean((reply.body.returnObj as { masterOrderID?: string } | undefined)?.masterOrderID)
        // §8.2: on `'orders'` operations only an order is replayed; a job-flow snapshot or a non-order write acts again.
        if (operation.idempotent === 'orders' ? isOrder : reply.body.statusCode === 800 || isOrder)
          idempotency.remember(key, fingerprint, reply, now)
        return reply
      }
      return operation.handle({ params, runtime, operation: operation.name, now })
    } catch (error) {
      if (error instanceof SimApiError) return error.toReply()
      // A bug in the simulator: a 500 envelope, never a stack to the caller.
      return failure(
        ERROR.internal,
        `simulator error in ${operation.name}: ${(error as Error)?.message ?? String(error)}`,
        { httpStatus: 500 },
      )
    }
  }

  const respelt = (reply: SimReply | 'dropped'): SimReply | 'dropped' => {
    if (reply === 'dropped' || !reply.body.errorCode) return reply
    const errorCode = respell(reply.body.errorCode)
    return errorCode === reply.body.errorCode
      ? reply
      : { ...reply, body: { ...reply.body, errorCode, error: upperCamelCode(errorCode) } }
  }

  for (const operation of SIM_OPERATIONS) {
    app.on([...operation.methods], operation.path, (c) => serve(operation, c))
  }
  app.notFound((c) => {
    const reply = failure(
      ERROR.apiNotFound,
      `${c.req.method} ${new URL(c.req.url).pathname} is not an operation of this simulator`,
      { httpStatus: 404 },
    )
    return c.json(reply.body, 404)
  })

  return {
    app,
    get state() {
      return runtime.state
    },
    clock,
    faults,
    calls,
    durations,
    credentials,
    operations: SIM_OPERATIONS,
    rateLimiter,
    reset,
  }
}

/** Query (decoded, `+` as space) merged with a JSON object body: official clients send GET params either way (§1.5). */
function paramsOf(rawQuery: string, body: Uint8Array): SimParams {
  const values: Record<string, unknown> = {}
  if (rawQuery) {
    for (const [key, value] of new URLSearchParams(rawQuery)) {
      const existing = values[key]
      values[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
    }
  }
  if (body.length > 0) {
    let parsed: unknown
    try {
      parsed = JSON.parse(new TextDecoder().decode(body))
    } catch {
      throw new SimApiError(ERROR.parameter, 'the request body is not valid JSON')
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new SimApiError(ERROR.parameter, 'the request body must be a JSON object')
    Object.assign(values, parsed)
  }
  return new SimParams(values)
}

/**
 * The exact body bytes. Fetch `Request`s cannot carry a GET body, but official clients send one (§1.5), so on Node
 * a GET body is read from the raw IncomingMessage.
 */
async function bodyOf(c: Context): Promise<Uint8Array> {
  const incoming = (c.env as { incoming?: NodeJS.ReadableStream & { readableEnded?: boolean } } | undefined)?.incoming
  if (incoming && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
    if (incoming.readableEnded) return new Uint8Array()
    const chunks: Buffer[] = []
    for await (const chunk of incoming) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
    return new Uint8Array(Buffer.concat(chunks))
  }
  return new Uint8Array(await c.req.arrayBuffer())
}

/** Closes the socket without a reply (a "dropped connection" fault). In-process (`app.request`) there is no socket: 502. */
function dropConnection(c: Context): Response {
  const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket
  if (socket) socket.destroy()
  return new Response('connection dropped (simulated)', { status: 502 })
}

export { AUTH_ERROR, ERROR }
