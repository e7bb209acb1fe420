/**
 * Tencent SCF (云函数) entry points: `http` behind an API Gateway trigger, `scheduled` and `worker` behind Timer
 * triggers. Event shapes from Tencent's documentation:
 * - API Gateway trigger: cloud.tencent.com/document/product/583/12513 (`{requestContext, headers, body, path,
 *   httpMethod, queryString, queryStringParameters, …, isBase64Encoded}`; the reply `{statusCode, headers, body,
 *   isBase64Encoded}` with 集成响应 on).
 * - Timer trigger: cloud.tencent.com/document/product/583/9708 (`{Type: "Timer", TriggerName, Time, Message}`).
 * Handlers: tencent-scf.http, tencent-scf.scheduled, tencent-scf.worker.
 */
import { isRecord, readGatewayHttp } from './event-http'
import { type EventPlatform, eventPlatformHandlers, remainingFromTimeout } from './event-handlers'

/** The SCF Node.js context fields ctflow reads (cloud.tencent.com/document/product/583/11060). */
export interface ScfContext {
  getRemainingTimeInMillis?: () => number
  /** The function's timeout setting, in milliseconds. */
  time_limit_in_ms?: number
  request_id?: string
}

/** SCF's default function timeout (3 s), used only when the context carries neither the method nor the setting. */
const SCF_DEFAULT_TIMEOUT_MS = 3_000

export const tencentScf: EventPlatform<ScfContext> = {
  name: 'Tencent SCF',
  httpShape: 'an API Gateway trigger event {requestContext, httpMethod, path, headers, body}',
  // queryString keeps repeated names as arrays; queryStringParameters only the last value.
  readHttp: (event) =>
    readGatewayHttp(event, (gateway) =>
      isRecord(gateway.queryString) ? gateway.queryString : gateway.queryStringParameters,
    ),
  timerShape: 'a Timer trigger event {Type: "Timer", TriggerName, Time, Message}',
  messageField: 'Message',
  readTimer(event) {
    if (!isRecord(event) || event.Type !== 'Timer') return undefined
    return { name: str(event.TriggerName), time: str(event.Time), message: event.Message }
  },
  remainingMs(context, startedAt, env) {
    if (typeof context?.getRemainingTimeInMillis === 'function') return context.getRemainingTimeInMillis()
    return remainingFromTimeout(context?.time_limit_in_ms, startedAt, env, SCF_DEFAULT_TIMEOUT_MS)
  },
  requestId: (context) => context?.request_id,
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

export const { http, scheduled, worker } = eventPlatformHandlers(tencentScf, process.env)
