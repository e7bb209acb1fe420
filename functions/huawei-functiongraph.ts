/**
 * Huawei Cloud FunctionGraph entry points: `http` behind an APIG trigger, `scheduled` and `worker` behind TIMER
 * triggers. Event shapes from support.huaweicloud.com/devg-functiongraph/functiongraph_02_0102.html (示例事件):
 * - APIG: `{body, requestContext: {apiId, requestId, stage}, queryStringParameters, httpMethod, pathParameters,
 *   headers, path, isBase64Encoded}` (the documented example's body is base64); the reply `{statusCode, headers, body,
 *   isBase64Encoded}`.
 * - TIMER: `{version, time, trigger_type: "TIMER", trigger_name, user_event}`.
 * - Context (functiongraph_02_0410, SDK 接口): `getRemainingTimeInMilliSeconds()`, `getRequestID()`.
 * Handlers: huawei-functiongraph.http, huawei-functiongraph.scheduled, huawei-functiongraph.worker.
 */
import { isRecord, readGatewayHttp } from './event-http'
import { type EventPlatform, eventPlatformHandlers, remainingFromTimeout } from './event-handlers'

export interface FunctionGraphContext {
  getRemainingTimeInMilliSeconds?: () => number
  getRequestID?: () => string
}

/** FunctionGraph's default timeout (3 s), used only when the context has no remaining-time method. */
const FUNCTIONGRAPH_DEFAULT_TIMEOUT_MS = 3_000

export const huaweiFunctionGraph: EventPlatform<FunctionGraphContext> = {
  name: 'Huawei FunctionGraph',
  httpShape: 'an APIG trigger event {requestContext, httpMethod, path, headers, body, isBase64Encoded}',
  readHttp: (event) => readGatewayHttp(event),
  timerShape: 'a TIMER trigger event {version, time, trigger_type: "TIMER", trigger_name, user_event}',
  messageField: 'user_event',
  readTimer(event) {
    if (!isRecord(event) || event.trigger_type !== 'TIMER') return undefined
    return {
      name: typeof event.trigger_name === 'string' ? event.trigger_name : undefined,
      time: typeof event.time === 'string' ? event.time : undefined,
      message: event.user_event,
    }
  },
  remainingMs(context, startedAt, env) {
    if (typeof context?.getRemainingTimeInMilliSeconds === 'function') return context.getRemainingTimeInMilliSeconds()
    return remainingFromTimeout(undefined, startedAt, env, FUNCTIONGRAPH_DEFAULT_TIMEOUT_MS)
  },
  requestId: (context) => (typeof context?.getRequestID === 'function' ? context.getRequestID() : undefined),
}

export const { http, scheduled, worker } = eventPlatformHandlers(huaweiFunctionGraph, process.env)
