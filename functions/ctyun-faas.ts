/**
 * CTyun 函数计算 (FaaS) entry points: `http` for an HTTP function (处理程序类型 "处理 HTTP 请求"), `scheduled` and
 * `worker` behind 定时触发器. From ctyun.cn/document/10006234/11043702 (触发器事件格式):
 * - Timer trigger: `{time, name, data}` — `data` is the trigger's 触发消息, here the job `{"workflow", "input"}`.
 * - An HTTP trigger in front of an *event* function passes only the body (a byte array): headers, method and path are
 *   dropped, so webhooks could not be verified. Deploy `http` as an HTTP function instead.
 * - ASSUMED (not documented there): the HTTP function's event has the Alibaba FC 3.0 HTTP trigger shape
 *   `{version, rawPath, headers, queryParameters, body, isBase64Encoded, requestContext: {http: {method}}}` and takes
 *   the reply `{statusCode, headers, body, isBase64Encoded}`; readFcHttp reads it. Change this file if CTyun documents
 *   another shape.
 * - ASSUMED: the context passes no remaining-time method; the budget is CTFLOW_FUNCTION_TIMEOUT (seconds, set it to
 *   the function's 超时时间), else 3 s. A `getRemainingTimeInMillis()` is used if the context has one.
 * Handlers: ctyun-faas.http, ctyun-faas.scheduled, ctyun-faas.worker.
 */
import { readFcHttp } from './aliyun-fc'
import { isRecord } from './event-http'
import { type EventPlatform, eventPlatformHandlers, remainingFromTimeout } from './event-handlers'

export interface CtyunFaasContext {
  getRemainingTimeInMillis?: () => number
  requestId?: string
}

const CTYUN_FALLBACK_TIMEOUT_MS = 3_000

export const ctyunFaas: EventPlatform<CtyunFaasContext> = {
  name: 'CTyun 函数计算',
  httpShape:
    'an HTTP function event {rawPath, headers, body, requestContext.http.method} (an event function behind an HTTP trigger receives only the body: deploy `http` with the handler type "处理 HTTP 请求")',
  readHttp: readFcHttp,
  timerShape: 'a timer trigger event {time, name, data}',
  messageField: 'data',
  readTimer(event) {
    if (!isRecord(event) || typeof event.time !== 'string' || typeof event.name !== 'string') return undefined
    return { name: event.name, time: event.time, message: event.data }
  },
  remainingMs(context, startedAt, env) {
    if (typeof context?.getRemainingTimeInMillis === 'function') return context.getRemainingTimeInMillis()
    return remainingFromTimeout(undefined, startedAt, env, CTYUN_FALLBACK_TIMEOUT_MS)
  },
  requestId: (context) => context?.requestId,
}

export const { http, scheduled, worker } = eventPlatformHandlers(ctyunFaas, process.env)
