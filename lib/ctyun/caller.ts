/**
 * The one capability service files need: a signed call. Services never build headers or URLs themselves: the
 * transport signs and sends, so a service file says what to call and nothing about how.
 */
import type { CtyunReply } from './envelope'
import type { CtyunService } from './endpoints'
import type { QueryParams } from './query-string'
import type { HttpMethod } from './transport'

export interface CtyunCallOptions {
  /** Which service's base URL to use… */
  service?: CtyunService
  /** …or a full base URL (e.g. `ctflow api POST https://proxy/… /v4/…`). */
  baseUrl?: string
  method: HttpMethod
  path: string
  query?: QueryParams
  /** A JSON value, serialised once; every attempt signs and sends the same bytes. */
  body?: unknown
  /**
   * Writes: a clientToken makes the call idempotent, so it may retry. `true` makes one (uuid v4) for this operation;
   * a string is used as given (e.g. the engine's per-step token, stable across process restarts).
   */
  clientToken?: string | boolean
  /** Force retry eligibility (e.g. list operations served over POST). Default: GET/HEAD, a clientToken, or `lookBeforeRetry`. */
  idempotent?: boolean
  /**
   * For a write CTyun does not make idempotent (§8.2: a snapshot on the job flow, EIP associate/disassociate): before
   * each retry that follows an attempt whose outcome is unknown (timeout, dropped connection, 5xx), read what that
   * attempt may have done. `true` sends again; `false` stops, and the call rejects with that attempt's error (the
   * caller keeps what it found). Makes the call retryable.
   */
  lookBeforeRetry?: (error: unknown) => Promise<boolean>
  signal?: AbortSignal
  /** Override the retry budget for this call (e.g. the FaaS invocation's remaining time minus a margin). */
  budgetMs?: number
  timeoutMs?: number
}

export type CtyunCallResult<T> = CtyunReply<T> & {
  /** The request id of the attempt that produced this reply. */
  requestId: string
  attempts: number
  /** The clientToken sent, when there was one. */
  clientToken?: string
}

export interface CtyunCaller {
  /** Raw signed call: `ok` or `order-in-progress`, or a thrown CtyunError. */
  call<T = unknown>(options: CtyunCallOptions): Promise<CtyunCallResult<T>>
  /** A call whose reply must be `ok`: resolves to `returnObj`. An unexpected order-in-progress throws CtyunApiError. */
  request<T = unknown>(options: CtyunCallOptions): Promise<T>
}
