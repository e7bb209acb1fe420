/**
 * `createCtyunClient(options)`: the signed CTyun OpenAPI client. One object per service plus `call()` for any raw
 * signed call (used by `ctflow api`). Settings come in resolved (lib/config/ctyun-config.ts); nothing here reads env.
 */
import type { CtyunCallOptions, CtyunCallResult, CtyunCaller } from './caller'
import type { CtyunEndpoints } from './endpoints'
import { CTYUN_SERVICES, DEFAULT_CTYUN_ENDPOINTS, isRealCtyunEndpoint } from './endpoints'
import { parseReply } from './envelope'
import type { EopCredentials, EopSignerOptions } from './eop-signer'
import { createEopSigner, randomUuid } from './eop-signer'
import { CtyunApiError, CtyunConfigError, CtyunHttpError } from './errors'
import type { MaxRps } from './max-rps'
import type { Pacer } from './pacer'
import { createPacer } from './pacer'
import type { CtyunRetryPolicy, RetryHooks } from './retry'
import {
  abortableSleep,
  backoffDelay,
  DEFAULT_THROTTLE_RETRIES,
  defaultRetryPolicy,
  isThrottledError,
  withRetry,
} from './retry'
import type { CtyunLogger } from './transport'
import { createTransport } from './transport'
import { checkCredentialShape } from './credential-shape'
import type { EopTimeZone } from './eop-date'
import { createCbrService } from './services/cbr'
import { createCdaService } from './services/cda'
import { createEbsService } from './services/ebs'
import { createEcsService } from './services/ecs'
import { createEipService } from './services/eip'
import { createImageService } from './services/image'
import { createJobsService } from './services/jobs'
import { createOrdersService } from './services/orders'
import { createRegionsService } from './services/regions'

/** The settings a client is built from, as lib/config resolves them from CTYUN_* (resolveCtyunConfig). */
export interface CtyunClientSettings {
  credentials?: EopCredentials
  endpoints: CtyunEndpoints
  timeoutMs: number
  retries: number
  retryBudgetMs: number
  timeZone: EopTimeZone
  /** errorCodes that mean "throttled" (CTYUN_THROTTLE_CODES; default DEFAULT_THROTTLE_CODES, an assumption). */
  throttleCodes: readonly string[]
  /** Fixed request-rate ceilings (CTYUN_MAX_RPS), all services or per service; none by default. */
  maxRps?: MaxRps
  /** Throttle answers one call may take before it fails (CTYUN_THROTTLE_RETRIES, default 20). */
  throttleRetries?: number
}

export interface CtyunClientOptions {
  /** Resolved settings (`resolveCtyunConfig()`); the fields below override it. */
  config?: Partial<CtyunClientSettings>
  credentials?: EopCredentials
  /** One base URL for every service (like CTYUN_ENDPOINT: the simulator, a proxy); `endpoints` wins per service. */
  endpoint?: string
  endpoints?: Partial<CtyunEndpoints>
  fetch?: typeof globalThis.fetch
  timeoutMs?: number
  retry?: Partial<CtyunRetryPolicy>
  /** Injected sleep/random/clock for tests; `onRetry` for logging. */
  retryHooks?: RetryHooks
  /** Signer options: clock, request id generator, eop-date time zone, signing-key cache. */
  signer?: EopSignerOptions
  userAgent?: string
  log?: CtyunLogger
  /** The clientToken generator (uuid v4). */
  clientToken?: () => string
  /**
   * The pacer every call waits on (pacer.ts): by default one of this client's own, adaptive, under `config.maxRps`
   * and timed by `retryHooks` (now, sleep). Pass one to share it between clients; `false` sends unpaced.
   */
  pacer?: Pacer | false
}

const encoder = new TextEncoder()

function buildCaller(options: CtyunClientOptions): CtyunCaller {
  const config = options.config ?? {}
  const everyService = options.endpoint
    ? Object.fromEntries(CTYUN_SERVICES.map((s) => [s, options.endpoint!.replace(/\/+$/, '')]))
    : {}
  const endpoints: CtyunEndpoints = {
    ...DEFAULT_CTYUN_ENDPOINTS,
    ...config.endpoints,
    ...everyService,
    ...options.endpoints,
  }
  const credentials = options.credentials ?? config.credentials
  if (!credentials) {
    throw new CtyunConfigError(
      'No CTyun credentials: set CTYUN_AK and CTYUN_SK (or pass `credentials`), or unset every CTYUN_* variable to use the local simulator.',
      'CTYUN_AK',
    )
  }
  const real = CTYUN_SERVICES.some((service) => isRealCtyunEndpoint(endpoints[service]))
  checkCredentialShape('CTYUN_AK', credentials.accessKey, { requireOfficialLength: real })
  checkCredentialShape('CTYUN_SK', credentials.secretKey, { requireOfficialLength: real })

  const policy: CtyunRetryPolicy = {
    ...defaultRetryPolicy,
    ...(config.retries !== undefined ? { retries: config.retries } : {}),
    ...(config.retryBudgetMs !== undefined ? { budgetMs: config.retryBudgetMs } : {}),
    // The throttle codes (CTYUN_THROTTLE_CODES): retried, and marked so the engine names them Ctyun.Throttled.
    ...(config.throttleCodes !== undefined ? { retryableErrorCodes: config.throttleCodes } : {}),
    ...options.retry,
  }
  const timeoutMs = options.timeoutMs ?? config.timeoutMs ?? 15_000
  const signer = createEopSigner(credentials, { timeZone: config.timeZone, ...options.signer })
  const transport = createTransport({
    signer,
    fetch: options.fetch,
    userAgent: options.userAgent,
    log: options.log,
    secrets: [credentials.secretKey, credentials.accessKey],
  })
  const newToken = options.clientToken ?? randomUuid
  const hooks = options.retryHooks ?? {}
  const clock = hooks.now ?? (() => performance.now())
  const sleep = hooks.sleep ?? abortableSleep
  // The pacer keeps the retry hooks' time only when they bring a whole clock (now and sleep together: a test's fake
  // clock, a bench's virtual one); a sleep alone (a test capturing retry delays) must not become the pacer's.
  const coherent = hooks.now !== undefined && hooks.sleep !== undefined
  const pacer =
    options.pacer === false
      ? undefined
      : (options.pacer ??
        createPacer({ maxRps: config.maxRps, ...(coherent ? { now: clock, sleep: (ms) => sleep(ms) } : {}) }))
  const throttleRetries = config.throttleRetries ?? DEFAULT_THROTTLE_RETRIES

  async function call<T>(call: CtyunCallOptions): Promise<CtyunCallResult<T>> {
    const baseUrl = call.baseUrl ?? (call.service ? endpoints[call.service] : undefined)
    if (!baseUrl)
      throw new CtyunConfigError(
        `No base URL for ${call.method} ${call.path}: give a service (${CTYUN_SERVICES.join(', ')}) or a URL.`,
      )

    // The operation's identity is fixed here, outside the retry loop: one clientToken, one body, whatever the attempt.
    let body = call.body
    let clientToken: string | undefined
    if (call.clientToken !== undefined && call.clientToken !== false) {
      clientToken = typeof call.clientToken === 'string' ? call.clientToken : newToken()
      body = { ...(body as Record<string, unknown> | undefined), clientToken }
    } else if (
      body &&
      typeof body === 'object' &&
      typeof (body as { clientToken?: unknown }).clientToken === 'string'
    ) {
      clientToken = (body as { clientToken: string }).clientToken
    }
    const bytes = body === undefined ? undefined : encoder.encode(JSON.stringify(body))
    const idempotent =
      call.idempotent ??
      (call.method === 'GET' ||
        call.method === 'HEAD' ||
        clientToken !== undefined ||
        call.lookBeforeRetry !== undefined)
    const retryPolicy = call.budgetMs !== undefined ? { ...policy, budgetMs: call.budgetMs } : policy
    const context = { service: call.service, method: call.method, path: call.path }

    let attempts = 0
    let throttleSpent: unknown
    // Time queued in the pacer is not part of the retry budget: the budget bounds retrying failures, and a call that
    // waits its turn behind a large job's others has not started yet (the caller's signal still bounds the whole).
    let pacedMs = 0
    const budgetClock = () => clock() - pacedMs
    return withRetry(
      async (_attemptNumber, remainingMs) => {
        const attemptStart = budgetClock()
        const lane = call.service ?? baseUrl
        // A throttle answer is a refusal (the cloud did nothing): sent again after its turn in the pacer, which has
        // slowed down meanwhile, without using up the retries for errors, up to throttleRetries within the budget.
        for (let throttles = 0; ; throttles++) {
          const queued = clock()
          const sentAt = pacer ? await pacer.acquire(lane, call.signal) : queued
          pacedMs += clock() - queued
          const left = remainingMs - (budgetClock() - attemptStart)
          attempts++
          try {
            const reply = await transport.send(
              { ...context, baseUrl, query: call.query, body: bytes },
              {
                timeoutMs: Math.max(1, Math.floor(Math.min(call.timeoutMs ?? timeoutMs, left))),
                signal: call.signal,
                attempt: attempts,
              },
            )
            const parsed = parseReply<T>(
              reply,
              { ...context, requestId: reply.requestId },
              { throttleCodes: policy.retryableErrorCodes },
            )
            pacer?.succeeded(lane)
            return { ...parsed, requestId: reply.requestId, attempts, ...(clientToken ? { clientToken } : {}) }
          } catch (error) {
            if (!pacer || !isThrottledError(error, policy.retryableErrorCodes)) throw error
            pacer.throttled(lane, sentAt)
            // Backoff as for any retry (a longer Retry-After wins), then the pacer's turn.
            const retryAfter = error instanceof CtyunHttpError ? (error.retryAfterMs ?? 0) : 0
            const wait = Math.max(backoffDelay(throttles + 1, retryPolicy, hooks.random), retryAfter)
            if (throttles >= throttleRetries || wait >= remainingMs - (budgetClock() - attemptStart) - 1) {
              throttleSpent = error
              throw error
            }
            options.log?.({
              type: 'retry',
              ...context,
              attempt: attempts + 1,
              delayMs: wait,
              errorName: (error as Error)?.name,
              errorCode: (error as { errorCode?: string })?.errorCode,
            })
            hooks.onRetry?.({ error, attempt: attempts + 1, delayMs: wait })
            await sleep(wait, call.signal)
          }
        }
      },
      {
        policy: retryPolicy,
        idempotent,
        lookBeforeRetry: call.lookBeforeRetry,
        signal: call.signal,
        stop: (error) => error === throttleSpent,
        hooks: {
          ...options.retryHooks,
          now: budgetClock,
          onRetry: (info) => {
            options.log?.({
              type: 'retry',
              ...context,
              attempt: info.attempt,
              delayMs: info.delayMs,
              errorName: (info.error as Error)?.name,
              errorCode: (info.error as { errorCode?: string })?.errorCode,
            })
            options.retryHooks?.onRetry?.(info)
          },
        },
      },
    )
  }

  async function request<T>(options: CtyunCallOptions): Promise<T> {
    const result = await call<T>(options)
    if (result.kind === 'ok') return result.returnObj
    throw new CtyunApiError(
      {
        errorCode: result.errorCode,
        statusCode: result.envelope.statusCode ?? 900,
        detail: `order ${result.masterOrderID} is still in progress`,
      },
      { service: options.service, method: options.method, path: options.path, requestId: result.requestId },
    )
  }

  return { call, request }
}

/** The client: raw `call`/`request` plus one object per service (names are stable: the engine and tests use them). */
export type CtyunClient = CtyunCaller & {
  ecs: ReturnType<typeof createEcsService>
  ebs: ReturnType<typeof createEbsService>
  image: ReturnType<typeof createImageService>
  eip: ReturnType<typeof createEipService>
  cbr: ReturnType<typeof createCbrService>
  cda: ReturnType<typeof createCdaService>
  regions: ReturnType<typeof createRegionsService>
  orders: ReturnType<typeof createOrdersService>
  jobs: ReturnType<typeof createJobsService>
}

/**
 * Creates the client. Throws CtyunConfigError (naming CTYUN_AK/CTYUN_SK) without credentials.
 * @example
 * const ctyun = createCtyunClient({ config: resolveCtyunConfig() })
 * for await (const disk of ctyun.ebs.listDisks({ regionID })) console.log(disk.diskID)
 */
export function createCtyunClient(options: CtyunClientOptions = {}): CtyunClient {
  const caller = buildCaller(options)
  const orders = createOrdersService(caller)
  const jobs = createJobsService(caller)
  return {
    ...caller,
    ecs: createEcsService(caller),
    ebs: createEbsService(caller, { orders, jobs }),
    image: createImageService(caller),
    eip: createEipService(caller, { orders }),
    cbr: createCbrService(caller),
    cda: createCdaService(caller),
    regions: createRegionsService(caller),
    orders,
    jobs,
  }
}
