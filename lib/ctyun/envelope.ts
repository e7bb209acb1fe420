/**
 * The CTyun reply envelope (shared/ctyun-api.md §2): `statusCode` 800 success / 900 failure, as a number or a string;
 * `errorCode` (`product.module.code`), `error` (UpperCamel twin), `message` (English), `description` (Chinese),
 * `returnObj`, sometimes `traceID`. Official clients treat any non-2xx as a transport error (SDK client.go send).
 */
import type { CtyunErrorContext } from './errors'
import { CtyunApiError, CtyunHttpError } from './errors'
import { DEFAULT_THROTTLE_CODES, isThrottled } from './retry'

export interface CtyunEnvelope {
  statusCode?: number | string
  errorCode?: string
  error?: string
  message?: string
  description?: string
  returnObj?: unknown
  traceID?: string
  [field: string]: unknown
}

/** A successful reply. `envelope` keeps top-level extras (legacy `/v4/eip/list` puts its totals there). */
export interface CtyunOk<T> {
  kind: 'ok'
  returnObj: T
  envelope: CtyunEnvelope
}

/**
 * "Order in progress" (`*.order.inProgress` + `returnObj.masterOrderID`): CTyun accepted the order and is still
 * provisioning it. Not a failure — poll the order (CLI client.go validateCTyunStatusCode; CLI cat cbr/evs examples).
 */
export interface CtyunOrderInProgress {
  kind: 'order-in-progress'
  masterOrderID: string
  masterOrderNO?: string
  regionID?: string
  errorCode: string
  envelope: CtyunEnvelope
}

export type CtyunReply<T> = CtyunOk<T> | CtyunOrderInProgress

export interface RawReply {
  status: number
  contentType?: string | null
  text: string
  retryAfterMs?: number
}

const EXCERPT_LENGTH = 200

/** First characters of a body with whitespace collapsed (HTML pages are mostly indentation). */
export function excerptOf(text: string, length = EXCERPT_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > length ? `${flat.slice(0, length)}…` : flat
}

/** `/\.order\.inprogress$/i` covers `ebs.order.inProgress`, `Backup.Order.InProgress`, `Openapi.Order.Inprogress`. */
export function isOrderInProgressCode(code: string | undefined): boolean {
  return !!code && /(^|\.)order\.inprogress$/i.test(code)
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The EBS create-image doc example nests the envelope: `{httpstatus:200, httpresult:{statusCode:800, returnObj}}`
 * (shared/ctyun-api.md §3.4, EBS 18938). Unwrap it so callers see one shape.
 */
function unwrapNested(json: Record<string, unknown>): Record<string, unknown> {
  if (json.statusCode === undefined && isObject(json.httpresult)) return json.httpresult
  return json
}

function statusCodeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && /^\s*\d+(\.0+)?\s*$/.test(value)) return Number(value)
  return undefined
}

function masterOrderOf(
  returnObj: unknown,
): { masterOrderID: string; masterOrderNO?: string; regionID?: string } | undefined {
  if (!isObject(returnObj)) return undefined
  const id = returnObj.masterOrderID ?? returnObj.masterOrderId
  if (typeof id === 'string' && id) {
    return {
      masterOrderID: id,
      masterOrderNO: typeof returnObj.masterOrderNO === 'string' ? returnObj.masterOrderNO : undefined,
      regionID: typeof returnObj.regionID === 'string' ? returnObj.regionID : undefined,
    }
  }
  // TF ebs_create_ebs_snap_api.go: the order id may come only in resources[].orderID.
  const resources = returnObj.resources
  if (Array.isArray(resources)) {
    const first = resources.find((r) => isObject(r) && typeof r.orderID === 'string' && r.orderID)
    if (first) return { masterOrderID: first.orderID as string, regionID: returnObj.regionID as string | undefined }
  }
  return undefined
}

/** `errorCode`, else `error`, else the status code itself (SDK response.go). */
function errorCodeOf(envelope: CtyunEnvelope, statusCode: unknown): string {
  for (const candidate of [envelope.errorCode, envelope.error]) {
    if (typeof candidate === 'string' && candidate && candidate.toUpperCase() !== 'SUCCESS') return candidate
  }
  return `statusCode.${String(statusCode ?? 'missing')}`
}

function detailOf(envelope: CtyunEnvelope): string {
  const parts = [envelope.description, envelope.message].filter(
    (part): part is string => typeof part === 'string' && part.length > 0 && !/^success$/i.test(part),
  )
  return [...new Set(parts)].join(', ')
}

/**
 * Turns a raw HTTP reply into a typed result, or throws `CtyunHttpError` / `CtyunApiError`, marked `throttled` when
 * the reply says so (`throttleCodes`: the codes that mean it, lib/ctyun/retry.ts).
 * @example parseReply({ status: 200, text: '{"statusCode":"800","returnObj":{"a":1}}' }) // { kind: 'ok', returnObj: { a: 1 }, … }
 */
export function parseReply<T = unknown>(
  reply: RawReply,
  context: CtyunErrorContext = {},
  { throttleCodes = DEFAULT_THROTTLE_CODES }: { throttleCodes?: readonly string[] } = {},
): CtyunReply<T> {
  const json = tryParseJson(reply.text)
  const isSuccessHttp = reply.status >= 200 && reply.status < 300

  if (!isSuccessHttp) {
    // Official clients discard non-2xx bodies; we keep the errorCode when the body is an envelope (auth, throttling).
    const envelope = isObject(json) ? unwrapNested(json) : undefined
    const errorCode =
      envelope && (typeof envelope.errorCode === 'string' || typeof envelope.error === 'string')
        ? errorCodeOf(envelope as CtyunEnvelope, envelope.statusCode)
        : undefined
    const reason = envelope ? detailOf(envelope as CtyunEnvelope) || undefined : undefined
    throw new CtyunHttpError(
      {
        status: reply.status,
        excerpt: excerptOf(reply.text),
        errorCode,
        reason,
        retryAfterMs: reply.retryAfterMs,
        throttled: isThrottled(
          { status: reply.status, errorCode, text: envelope ? reason : reply.text.slice(0, 2_000) },
          throttleCodes,
        ),
      },
      context,
    )
  }

  if (!isObject(json)) {
    const kind =
      json === undefined ? (/^\s*</.test(reply.text) ? 'an HTML/XML page' : 'not JSON') : 'JSON but not an object'
    throw new CtyunHttpError(
      {
        status: reply.status,
        excerpt: excerptOf(reply.text),
        reason: `reply is ${kind}: "${excerptOf(reply.text, 120)}"`,
      },
      context,
    )
  }

  const envelope = unwrapNested(json) as CtyunEnvelope
  const statusCode = statusCodeOf(envelope.statusCode)
  if (statusCode === undefined) {
    throw new CtyunHttpError(
      {
        status: reply.status,
        excerpt: excerptOf(reply.text),
        reason: `reply has no CTyun statusCode: "${excerptOf(reply.text, 120)}"`,
      },
      context,
    )
  }
  if (statusCode === 800) return { kind: 'ok', returnObj: envelope.returnObj as T, envelope }

  const errorCode = errorCodeOf(envelope, envelope.statusCode)
  const order = masterOrderOf(envelope.returnObj)
  if (order && (isOrderInProgressCode(envelope.errorCode) || isOrderInProgressCode(envelope.error))) {
    return { kind: 'order-in-progress', ...order, errorCode, envelope }
  }
  const detail = detailOf(envelope)
  throw new CtyunApiError(
    {
      errorCode,
      statusCode: envelope.statusCode as number | string,
      detail,
      traceID: envelope.traceID,
      throttled: isThrottled({ errorCode, text: detail }, throttleCodes),
    },
    context,
  )
}
