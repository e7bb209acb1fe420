/**
 * Events and invocation contexts shaped as each platform documents them (the page is named on each), for the
 * event-platform tests and `npm run invoke`. Only the fields a request needs vary; the rest is the documented example.
 */

export interface HttpCall {
  method?: string
  path?: string
  query?: Record<string, string>
  headers?: Record<string, string>
  body?: string
}

/** Tencent SCF API Gateway trigger, cloud.tencent.com/document/product/583/12513 (集成响应 on). */
export function scfApiGatewayEvent({ method = 'GET', path = '/', query = {}, headers = {}, body }: HttpCall = {}) {
  return {
    requestContext: {
      serviceId: 'service-f94sy04v',
      path: '/',
      httpMethod: method,
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      identity: {},
      sourceIp: '203.0.113.7',
      stage: 'release',
    },
    headers: { host: 'service-f94sy04v-1250000000.gz.apigw.tencentcs.com', 'user-agent': 'ctflow-test', ...headers },
    body: body ?? '',
    pathParameters: {},
    queryStringParameters: query,
    headerParameters: {},
    stageVariables: { stage: 'release' },
    path,
    queryString: query,
    httpMethod: method,
    isBase64Encoded: false,
  }
}

/** Tencent SCF Timer trigger, cloud.tencent.com/document/product/583/9708. */
export function scfTimerEvent(message: string, time = '2026-12-05T18:00:00Z') {
  return { Type: 'Timer', TriggerName: 'nightly-backup', Time: time, Message: message }
}

/** SCF Node.js context, cloud.tencent.com/document/product/583/11060. */
export function scfContext(remainingMs = 30_000) {
  const deadline = Date.now() + remainingMs
  return {
    request_id: 'scf-req-1',
    time_limit_in_ms: remainingMs,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  }
}

/**
 * Alibaba FC 3.0 HTTP trigger, help.aliyun.com/zh/functioncompute/fc-3-0/user-guide/http-trigger-invoking-function;
 * the built-in Node.js runtime passes it as a Buffer of JSON.
 */
export function fcHttpEvent({ method = 'GET', path = '/', query = {}, headers = {}, body }: HttpCall = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      version: 'v1',
      rawPath: path,
      // Text bodies as text; the platform base64-encodes binary ones only.
      body: body ?? '',
      isBase64Encoded: false,
      headers: { Host: 'ctflow-abc.cn-hangzhou.fcapp.run', 'User-Agent': 'ctflow-test', ...headers },
      queryParameters: query,
      requestContext: {
        accountId: '123456789',
        domainName: 'ctflow-abc.cn-hangzhou.fcapp.run',
        domainPrefix: 'ctflow-abc',
        http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'ctflow-test' },
        requestId: '1-64f6cd87-0123456789abcdef',
        time: '2026-12-05T06:41:11Z',
        timeEpoch: '1796452871895',
      },
    }),
  )
}

/** Alibaba FC time trigger, help.aliyun.com/zh/fc/formats-of-event-for-different-triggers (a Buffer of JSON). */
export function fcTimerEvent(payload: string, time = '2026-12-05T18:00:00Z'): Buffer {
  return Buffer.from(JSON.stringify({ triggerTime: time, triggerName: 'nightly-backup', payload }))
}

/** FC context, help.aliyun.com/zh/functioncompute/context: the timeout is a setting (seconds), not a method. */
export function fcContext(timeoutSeconds = 30) {
  return {
    requestId: 'fc-req-1',
    function: { name: 'ctflow-http', handler: 'index.http', memory: 512, timeout: timeoutSeconds },
  }
}

/** Huawei FunctionGraph APIG event, support.huaweicloud.com/devg-functiongraph/functiongraph_02_0102.html (示例事件). */
export function functionGraphApigEvent({ method = 'GET', path = '/', query = {}, headers = {}, body }: HttpCall = {}) {
  return {
    body: body === undefined ? '' : Buffer.from(body).toString('base64'),
    requestContext: {
      apiId: 'bc1dcffd-aa35-474d-897c-d53425a4c08e',
      requestId: '11cdcdcf33949dc6d722640a13091c77',
      stage: 'RELEASE',
    },
    queryStringParameters: query,
    httpMethod: method,
    pathParameters: {},
    headers: {
      host: '50eedf92-c9ad-4ac0-827e-d7c11415d4f1.apigw.cn-north-4.huaweicloud.com',
      'user-agent': 'ctflow-test',
      ...headers,
    },
    path,
    isBase64Encoded: true,
  }
}

/** Huawei FunctionGraph TIMER event, same page. */
export function functionGraphTimerEvent(userEvent: string, time = '2026-12-06T02:00:00+08:00') {
  return { version: 'v1.0', time, trigger_type: 'TIMER', trigger_name: 'nightly-backup', user_event: userEvent }
}

/** FunctionGraph context methods, functiongraph_02_0410 (SDK 接口). */
export function functionGraphContext(remainingMs = 30_000) {
  const deadline = Date.now() + remainingMs
  return { getRequestID: () => 'fg-req-1', getRemainingTimeInMilliSeconds: () => deadline - Date.now() }
}

/**
 * CTyun 函数计算 HTTP function event: ASSUMED to have the FC 3.0 shape (functions/ctyun-faas.ts says why), as a
 * Buffer of JSON.
 */
export const ctyunHttpEvent = fcHttpEvent

/** CTyun 函数计算 timer trigger, ctyun.cn/document/10006234/11043702 (触发器事件格式): {time, name, data}. */
export function ctyunTimerEvent(data: string, time = '2026-12-05T18:00:00Z') {
  return { time, name: 'nightly-backup', data }
}
