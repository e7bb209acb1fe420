/**
 * The client's error hierarchy. Every error carries where it happened (service, method, path, request id) and never a
 * secret: no AK/SK, no signature, no header. Messages read like
 * `CTyun ebs.snapshot.NotFound: POST /v4/ebs_snapshot/create-ebs-snap (request-id 1f0c…)`.
 * The `name`s are the contract with workflows (ASL `ErrorEquals`), so they never change.
 */

export interface CtyunErrorContext {
  service?: string
  method?: string
  /** The path only: never the query string (it can hold user data) and never the host's credentials. */
  path?: string
  requestId?: string
  cause?: unknown
}

function where(context: CtyunErrorContext): string {
  const call = context.method && context.path ? `${context.method} ${context.path}` : (context.path ?? '')
  const id = context.requestId ? ` (request-id ${context.requestId})` : ''
  return call || id ? `: ${call}${id}` : ''
}

/** Base class: `instanceof CtyunError` catches everything the client throws on purpose. */
export class CtyunError extends Error {
  override name = 'CtyunError'
  readonly service?: string
  readonly method?: string
  readonly path?: string
  readonly requestId?: string

  constructor(message: string, context: CtyunErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause })
    this.service = context.service
    this.method = context.method
    this.path = context.path
    this.requestId = context.requestId
  }

  /** A plain object that is safe to log or store in run history (no stack, no cause chain, no headers). */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message }
    for (const [key, value] of Object.entries(this)) {
      if (key === 'cause' || value === undefined || typeof value === 'function') continue
      json[key] = value
    }
    return json
  }
}

/** Bad or missing configuration (credentials, endpoints, timeouts), thrown before any request is sent. */
export class CtyunConfigError extends CtyunError {
  override name = 'CtyunConfigError'
  /** The setting to fix, e.g. `CTYUN_AK`. */
  readonly setting?: string
  constructor(message: string, setting?: string) {
    super(message)
    this.setting = setting
  }
}

/** A non-2xx reply, or a 2xx reply that is not a CTyun envelope (HTML from a proxy, plain text, broken JSON). */
export class CtyunHttpError extends CtyunError {
  override name = 'CtyunHttpError'
  readonly status: number
  /** The first characters of the body, whitespace collapsed, for diagnosis. */
  readonly excerpt: string
  /** Set when the non-2xx body still was an envelope (e.g. `Openapi.Auth.SignatureMismatch` with HTTP 401). */
  readonly errorCode?: string
  /** `Retry-After` in milliseconds, when the reply carried one. */
  readonly retryAfterMs?: number
  /** The reply said "slow down" (HTTP 429, a throttle code, or a throttling message: lib/ctyun/retry.ts isThrottled). */
  readonly throttled: boolean

  constructor(
    init: {
      status: number
      excerpt: string
      reason?: string
      errorCode?: string
      retryAfterMs?: number
      throttled?: boolean
    },
    context: CtyunErrorContext = {},
  ) {
    const code = init.errorCode ? ` ${init.errorCode}` : ''
    const reason = init.reason ?? (init.excerpt ? `"${init.excerpt}"` : 'empty body')
    super(`CTyun HTTP ${init.status}${code}${where(context)}: ${reason}`, context)
    this.status = init.status
    this.excerpt = init.excerpt
    this.errorCode = init.errorCode
    this.retryAfterMs = init.retryAfterMs
    this.throttled = init.throttled ?? init.status === 429
  }
}

/** A business failure: HTTP 2xx with `statusCode` 900 (or anything but 800). */
export class CtyunApiError extends CtyunError {
  override name = 'CtyunApiError'
  /** `errorCode` (e.g. `ebs.ebsInfo.notExists`), else `error`, else the statusCode as text. */
  readonly errorCode: string
  readonly statusCode: number | string
  readonly traceID?: string
  /** description + message as CTyun sent them (Chinese and English). */
  readonly detail: string
  /** The reply said "slow down" (a throttle code or a throttling message: lib/ctyun/retry.ts isThrottled). */
  readonly throttled: boolean

  constructor(
    init: { errorCode: string; statusCode: number | string; detail: string; traceID?: string; throttled?: boolean },
    context: CtyunErrorContext = {},
  ) {
    super(`CTyun ${init.errorCode}${where(context)}${init.detail ? ` — ${init.detail}` : ''}`, context)
    this.errorCode = init.errorCode
    this.statusCode = init.statusCode
    this.traceID = init.traceID
    this.detail = init.detail
    this.throttled = init.throttled ?? false
  }
}

/** The request never got a reply: DNS, refused or reset connection, TLS. */
export class CtyunNetworkError extends CtyunError {
  override name = 'CtyunNetworkError'
  constructor(reason: string, context: CtyunErrorContext = {}) {
    super(`CTyun network error${where(context)}: ${reason}`, context)
  }
}

/** The per-request timeout (or the remaining retry budget) ran out before the reply was read. */
export class CtyunTimeoutError extends CtyunError {
  override name = 'CtyunTimeoutError'
  readonly timeoutMs: number
  constructor(timeoutMs: number, context: CtyunErrorContext = {}) {
    super(`CTyun request timed out after ${timeoutMs} ms${where(context)}`, context)
    this.timeoutMs = timeoutMs
  }
}

/** A waiter's deadline passed while the resource was still pending. */
export class CtyunWaitTimeoutError extends CtyunError {
  override name = 'CtyunWaitTimeoutError'
  /** What was awaited, e.g. `snapshot snap-123 → available`. */
  readonly resource: string
  readonly lastStatus: string
  readonly waitedMs: number
  readonly polls: number
  constructor(init: { resource: string; lastStatus: string; waitedMs: number; polls: number }) {
    super(
      `Timed out after ${init.waitedMs} ms (${init.polls} polls) waiting for ${init.resource}; last status "${init.lastStatus}"`,
    )
    this.resource = init.resource
    this.lastStatus = init.lastStatus
    this.waitedMs = init.waitedMs
    this.polls = init.polls
  }
}

/** The awaited resource reached a terminal failure status (order 5 施工失败, job fail, snapshot error, …). */
export class CtyunResourceFailedError extends CtyunError {
  override name = 'CtyunResourceFailedError'
  readonly resource: string
  readonly status: string
  constructor(init: { resource: string; status: string; reason?: string }) {
    super(`${init.resource} failed with status "${init.status}"${init.reason ? `: ${init.reason}` : ''}`)
    this.resource = init.resource
    this.status = init.status
  }
}

/**
 * Bad input from the caller (a missing required parameter, a malformed `--body`). Outside the transport hierarchy
 * on purpose: nothing was sent, and nothing should retry it.
 */
export class CtyunInputError extends Error {
  override name = 'CtyunInputError'
  /** The parameter or JSON path at fault, e.g. `regionID` or `--body`. */
  readonly field: string
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`)
    this.field = field
  }
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, field: this.field }
  }
}

/**
 * Replaces every occurrence of the given secrets in a text (defence in depth for echoed bodies in excerpts).
 * @example redactSecrets('key=AK123', ['AK123']) // 'key=[redacted]'
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  // An echoed Eop-Authorization value (proxies and error pages sometimes reflect headers).
  let result = text.replace(/Signature=[A-Za-z0-9+/=]{16,}/g, 'Signature=[redacted]')
  for (const secret of secrets) if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]')
  return result
}

/** A paged list that would not end: it kept bringing new items past the hard page cap (lib/ctyun/paginate.ts). */
export class CtyunPagingError extends CtyunError {
  override name = 'CtyunPagingError'
  readonly pages: number
  constructor(init: { what: string; pages: number; seen: number; total?: number }) {
    const total = init.total === undefined ? 'no total reported' : `the reported total is ${init.total}`
    super(
      `CTyun ${init.what} did not end: ${init.pages} pages read, ${init.seen} distinct items, ${total}; stopped rather than read on`,
    )
    this.pages = init.pages
  }
}
