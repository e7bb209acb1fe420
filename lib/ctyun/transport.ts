/**
 * One signed HTTP attempt: fresh `eop-date` and request id (from the signer), the exact body bytes that were signed,
 * a timeout through AbortSignal, and errors mapped to the client's hierarchy. No retries here (see retry.ts), no
 * envelope parsing (see envelope.ts). Never logs or returns a header.
 */
import type { Bytes } from './crypto'
import type { EopSigner } from './eop-signer'
import { CtyunError, CtyunNetworkError, CtyunTimeoutError, redactSecrets } from './errors'
import type { RawReply } from './envelope'
import type { QueryParams } from './query-string'
import { canonicalQuery } from './query-string'

/**
 * The User-Agent the official Go SDK and Terraform provider send; the SDK notes that requests without one get blocked
 * by risk control ("不添加请求头会出现被风控的现象", SDK client.go; shared/ctyun-api.md §1.2).
 */
export const OFFICIAL_SDK_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/83.0.4103.116 Safari/537.36'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD'

export interface PreparedRequest {
  service?: string
  baseUrl: string
  method: HttpMethod
  path: string
  query?: QueryParams
  /** The JSON bytes to send, serialised once per operation so every attempt signs and sends the same bytes. */
  body?: Bytes
}

export interface AttemptReply extends RawReply {
  requestId: string
}

/** What the transport reports; never headers, never the query (it can hold user data), never credentials. */
export interface CtyunLogEvent {
  type: 'request' | 'response' | 'retry' | 'error'
  service?: string
  method: string
  path: string
  requestId?: string
  attempt?: number
  status?: number
  errorName?: string
  errorCode?: string
  delayMs?: number
  durationMs?: number
}
export type CtyunLogger = (event: CtyunLogEvent) => void

export interface TransportOptions {
  signer: EopSigner
  fetch?: typeof globalThis.fetch
  userAgent?: string
  log?: CtyunLogger
  /** Strings to scrub from any excerpt or message (the credentials), defence in depth. */
  secrets?: readonly string[]
}

export interface Transport {
  send(
    request: PreparedRequest,
    options: { timeoutMs: number; signal?: AbortSignal; attempt?: number },
  ): Promise<AttemptReply>
}

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or invalid.
 * @example parseRetryAfter('2') // 2000
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** The base URL joined with a path, keeping any path prefix of the base (a proxy mounted under /ctyun). */
export function joinUrl(baseUrl: string, path: string, query: string): string {
  const base = baseUrl.replace(/\/+$/, '')
  const suffix = path.startsWith('/') ? path : `/${path}`
  return `${base}${suffix}${query ? `?${query}` : ''}`
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause
  if (cause?.code) return cause.code
  if (cause?.message) return cause.message
  return error instanceof Error ? error.message : String(error)
}

/**
 * Creates the transport.
 * @example const transport = createTransport({ signer: createEopSigner(credentials) })
 */
export function createTransport({
  signer,
  fetch = globalThis.fetch,
  userAgent = OFFICIAL_SDK_USER_AGENT,
  log,
  secrets = [],
}: TransportOptions): Transport {
  return {
    async send(request, { timeoutMs, signal, attempt }) {
      const query = canonicalQuery(request.query)
      // Signed fresh on every attempt: a new eop-date and ctyun-eop-request-id (each attempt is a request of its own).
      const signed = await signer.sign({ query, body: request.body })
      const requestId = signed['ctyun-eop-request-id']
      const context = { service: request.service, method: request.method, path: request.path, requestId }
      const headers: Record<string, string> = { ...signed, 'user-agent': userAgent, accept: 'application/json' }
      // Content-Type only with a JSON body, like the SDK's WriteJson (shared/ctyun-api.md §1.2).
      if (request.body !== undefined) headers['content-type'] = 'application/json'

      const timeout = AbortSignal.timeout(timeoutMs)
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout
      const started = Date.now()
      log?.({
        type: 'request',
        service: request.service,
        method: request.method,
        path: request.path,
        requestId,
        attempt,
      })
      try {
        const response = await fetch(joinUrl(request.baseUrl, request.path, query), {
          method: request.method,
          headers,
          body: request.body as BodyInit | undefined,
          signal: combined,
          redirect: 'manual',
        })
        const text = redactSecrets(await response.text(), secrets)
        const reply: AttemptReply = {
          status: response.status,
          contentType: response.headers.get('content-type'),
          text,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
          requestId,
        }
        log?.({
          type: 'response',
          service: request.service,
          method: request.method,
          path: request.path,
          requestId,
          attempt,
          status: response.status,
          durationMs: Date.now() - started,
        })
        return reply
      } catch (error) {
        let mapped: Error
        if (signal?.aborted) {
          mapped = new CtyunError(
            `CTyun request aborted: ${request.method} ${request.path} (request-id ${requestId})`,
            { ...context, cause: signal.reason },
          )
        } else if (timeout.aborted) {
          mapped = new CtyunTimeoutError(timeoutMs, context)
        } else {
          mapped = new CtyunNetworkError(redactSecrets(networkReason(error), secrets), context)
        }
        log?.({
          type: 'error',
          service: request.service,
          method: request.method,
          path: request.path,
          requestId,
          attempt,
          errorName: mapped.name,
          durationMs: Date.now() - started,
        })
        throw mapped
      }
    },
  }
}
