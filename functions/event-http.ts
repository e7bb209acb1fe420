/**
 * Event-style platforms (CTyun 函数计算, Alibaba FC, Tencent SCF, Huawei FunctionGraph) hand an HTTP request to the
 * function as a JSON event and take the reply as a JSON object. This file turns the shared parts of those shapes into
 * a standard Request and the Hono app's Response back into the reply object; each platform's file reads its own shape.
 * Hand-written rather than a library: hono/aws-lambda knows only AWS shapes, and a generic adapter would cost cold
 * start for four small mappings.
 */

/** What every platform's HTTP event says about the request, once read from its own shape. */
export interface EventHttpRequest {
  method: string
  /** The path as the client sent it (URL-encoded), without the query. */
  path: string
  /** The query string without `?`, or the query as name → value(s). */
  query?: string | Record<string, string | readonly string[] | undefined>
  headers: Record<string, string | readonly string[] | undefined>
  body?: string | null
  isBase64Encoded?: boolean
}

/** The reply object these platforms turn into an HTTP response (the same four fields on all four). */
export interface EventHttpResponse {
  statusCode: number
  headers: Record<string, string>
  body: string
  isBase64Encoded: boolean
}

/** The event is not one the adapter's platform sends: named so the caller sees which platform was expected. */
export class UnrecognisedEventError extends Error {
  override name = 'UnrecognisedEventError'
  constructor(
    readonly platform: string,
    readonly expected: string,
    event: unknown,
  ) {
    super(`${platform}: expected ${expected}, got ${describeShape(event)}; is this function wired to ${platform}?`)
  }
}

/**
 * Builds the standard Request the Hono app takes. The host comes from the Host header (the app only reads the
 * path); bodies are dropped for GET and HEAD, as fetch requires.
 * @example const request = toRequest({ method: 'GET', path: '/healthz', headers: {} })
 */
export function toRequest(event: EventHttpRequest): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) for (const item of value) headers.append(name, String(item))
    else headers.set(name, String(value))
  }
  const host = headers.get('host') ?? 'localhost'
  const url = new URL(`https://${host}`)
  url.pathname = event.path || '/'
  url.search = queryString(event.query)
  const method = event.method.toUpperCase()
  const hasBody = method !== 'GET' && method !== 'HEAD' && event.body !== undefined && event.body !== null
  return new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: event.isBase64Encoded ? decodeBase64(event.body!) : event.body! } : {}),
  })
}

/**
 * The platform reply for a Response: text kinds (JSON, problem+json, text/*) as text, anything else base64.
 * @example return toEventResponse(await app.fetch(toRequest(read(event))))
 */
export async function toEventResponse(response: Response): Promise<EventHttpResponse> {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  const type = response.headers.get('content-type') ?? ''
  const bytes = new Uint8Array(await response.arrayBuffer())
  const text = bytes.length === 0 || /^(text\/|application\/([\w.+-]*\+)?json|application\/xml)/i.test(type)
  return {
    statusCode: response.status,
    headers,
    body: text ? new TextDecoder().decode(bytes) : encodeBase64(bytes),
    isBase64Encoded: !text,
  }
}

/** A platform event may arrive as a JSON object, or (FC, CTyun event functions) as the JSON text in a Buffer. */
export function parseEvent(event: unknown): unknown {
  if (typeof event === 'string') return tryJson(event)
  if (event instanceof Uint8Array) return tryJson(new TextDecoder().decode(event))
  return event
}

/**
 * The API-Gateway-style HTTP event that Tencent SCF's API Gateway trigger and Huawei FunctionGraph's APIG trigger both
 * pass, `{requestContext, httpMethod, path, headers, body, isBase64Encoded}`; `queryOf` says where its query object is
 * (SCF keeps repeated names in `queryString`). Undefined for any other event.
 * @example readHttp: (event) => readGatewayHttp(event)
 */
export function readGatewayHttp(
  event: unknown,
  queryOf: (event: Record<string, unknown>) => unknown = (gateway) => gateway.queryStringParameters,
): EventHttpRequest | undefined {
  if (!isRecord(event) || !isRecord(event.requestContext) || typeof event.httpMethod !== 'string') return undefined
  if (typeof event.path !== 'string' || !isRecord(event.headers)) return undefined
  const query = queryOf(event)
  return {
    method: event.httpMethod,
    path: event.path,
    query: isRecord(query) ? (query as Record<string, string>) : undefined,
    headers: event.headers as Record<string, string>,
    body: typeof event.body === 'string' ? event.body : undefined,
    isBase64Encoded: event.isBase64Encoded === true,
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function queryString(query: EventHttpRequest['query']): string {
  if (query === undefined || query === null) return ''
  if (typeof query === 'string') return query.replace(/^\?/, '')
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) for (const item of value) params.append(name, String(item))
    else params.append(name, String(value))
  }
  return params.toString()
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** The event's top-level keys (never its values: a body or header may carry a secret). */
function describeShape(event: unknown): string {
  if (event === null || event === undefined) return String(event)
  if (Array.isArray(event)) return 'an array'
  if (typeof event !== 'object') return `a ${typeof event}`
  const keys = Object.keys(event).slice(0, 8)
  return keys.length ? `an object with keys ${keys.join(', ')}` : 'an empty object'
}
