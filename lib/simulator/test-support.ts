/**
 * Raw signed requests for the simulator's own tests and bench: the EOP signer from lib/ctyun, no client. Lets a
 * test choose every byte (query form, header case, date, body) the way different official clients send them.
 */
import {
  canonicalQuery,
  formatEopDate,
  nodeEopCrypto,
  signEop,
  type EopCredentials,
  type QueryParams,
} from '../ctyun/signing'

export interface RawSignedRequest {
  method?: 'GET' | 'POST'
  path: string
  /** Params (sent as the canonical Go form) or an exact query string. */
  query?: QueryParams | string
  /** The query string to sign, when it differs from the one sent (Python-sample style). */
  signedQuery?: string
  body?: string
  credentials: EopCredentials
  date?: string
  requestId?: string
  /** Rename headers (e.g. to upper case) to show case does not matter. */
  headerCase?: (name: string) => string
  extraHeaders?: Record<string, string>
}

let counter = 0

/** Builds the URL path+query and headers of a signed request. */
export function signedRequestParts(request: RawSignedRequest): { url: string; init: RequestInit } {
  const crypto = nodeEopCrypto()!
  const query = typeof request.query === 'string' ? request.query : canonicalQuery(request.query)
  const date = request.date ?? formatEopDate(new Date(), 'beijing')
  const requestId = request.requestId ?? `test-${process.pid}-${++counter}`
  const signed = signEop(
    { query: request.signedQuery ?? query, body: request.body },
    request.credentials,
    { date, requestId },
    crypto,
  )
  const rename = request.headerCase ?? ((name: string) => name)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(signed)) headers[rename(name)] = value
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json'
    headers['content-length'] = String(Buffer.byteLength(request.body))
  }
  Object.assign(headers, request.extraHeaders)
  return {
    url: query ? `${request.path}?${query}` : request.path,
    init: { method: request.method ?? (request.body === undefined ? 'GET' : 'POST'), headers, body: request.body },
  }
}
