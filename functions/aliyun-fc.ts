/**
 * Alibaba Cloud Function Compute 3.0 entry points (built-in Node.js runtime): `http` behind an HTTP trigger,
 * `scheduled` and `worker` behind time triggers. The event arrives as a Buffer of JSON. Shapes from Alibaba's docs:
 * - HTTP trigger: help.aliyun.com/zh/functioncompute/fc-3-0/user-guide/http-trigger-invoking-function
 *   (`{version: "v1", rawPath, headers, queryParameters, body, isBase64Encoded, requestContext: {http: {method}}}`;
 *   the reply `{statusCode, headers, body, isBase64Encoded}`).
 * - Time trigger: help.aliyun.com/zh/fc/formats-of-event-for-different-triggers (`{triggerTime, triggerName, payload}`).
 * - Context: help.aliyun.com/zh/functioncompute/context (`function.timeout` in seconds; no remaining-time method).
 * Handlers: aliyun-fc.http, aliyun-fc.scheduled, aliyun-fc.worker.
 */
import { type EventHttpRequest, isRecord } from './event-http'
import { type EventPlatform, eventPlatformHandlers, remainingFromTimeout } from './event-handlers'

export interface FcContext {
  requestId?: string
  function?: { name?: string; timeout?: number }
}

/** Used only when the context has no function.timeout (it always should): the shortest budget is the safe one. */
const FC_FALLBACK_TIMEOUT_MS = 3_000

/** Reads the FC 3.0 HTTP trigger event (also the shape CTyun's HTTP function is ASSUMED to pass: ctyun-faas.ts). */
export function readFcHttp(event: unknown): EventHttpRequest | undefined {
  if (!isRecord(event) || typeof event.rawPath !== 'string' || !isRecord(event.requestContext)) return undefined
  const http = event.requestContext.http
  if (!isRecord(http) || typeof http.method !== 'string') return undefined
  return {
    method: http.method,
    path: event.rawPath,
    // Repeated names arrive joined with commas (documented); a value is passed on as the platform gives it.
    query: isRecord(event.queryParameters) ? (event.queryParameters as Record<string, string>) : undefined,
    headers: isRecord(event.headers) ? (event.headers as Record<string, string>) : {},
    body: typeof event.body === 'string' ? event.body : undefined,
    isBase64Encoded: event.isBase64Encoded === true,
  }
}

export const aliyunFc: EventPlatform<FcContext> = {
  name: 'Alibaba Cloud FC 3.0',
  httpShape: 'an HTTP trigger event {version, rawPath, headers, queryParameters, body, requestContext.http.method}',
  readHttp: readFcHttp,
  timerShape: 'a time trigger event {triggerTime, triggerName, payload}',
  messageField: 'payload',
  readTimer(event) {
    if (!isRecord(event) || typeof event.triggerTime !== 'string' || typeof event.triggerName !== 'string')
      return undefined
    return { name: event.triggerName, time: event.triggerTime, message: event.payload }
  },
  remainingMs(context, startedAt, env) {
    const timeout = context?.function?.timeout
    return remainingFromTimeout(
      typeof timeout === 'number' ? timeout * 1000 : undefined,
      startedAt,
      env,
      FC_FALLBACK_TIMEOUT_MS,
    )
  },
  requestId: (context) => context?.requestId,
}

export const { http, scheduled, worker } = eventPlatformHandlers(aliyunFc, process.env)
