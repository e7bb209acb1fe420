/**
 * RFC 9457 problem details: the one error shape every ctflow HTTP reply uses
 * (`application/problem+json`, `{ type, title, status, detail, … }`). `type` stays `about:blank` (so `title` is the
 * HTTP phrase) and a stable `code` tells clients which problem it is without parsing prose.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export type ProblemStatus = 400 | 401 | 404 | 409 | 413 | 415 | 422 | 500 | 503

const TITLES: Record<ProblemStatus, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

export interface ProblemBody {
  type: 'about:blank'
  title: string
  status: ProblemStatus
  code: string
  detail: string
  /** The request field at fault (a JSON path such as `$.input.disks[0]`, a header or a query parameter). */
  field?: string
  requestId?: string
}

/**
 * Thrown anywhere inside the app; `app.onError` turns it into the reply. The message is sent to the caller, so it
 * must never contain a secret or a stack.
 * @example throw new HttpProblem(400, 'invalid-field', 'workflow must be a non-empty string', { field: '$.workflow' })
 */
export class HttpProblem extends Error {
  override name = 'HttpProblem'
  constructor(
    readonly status: ProblemStatus,
    readonly code: string,
    detail: string,
    readonly extra: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(detail)
  }

  body(requestId?: string): ProblemBody {
    const body: ProblemBody = {
      type: 'about:blank',
      title: TITLES[this.status],
      status: this.status,
      code: this.code,
      detail: this.message,
    }
    if (this.extra.field) body.field = this.extra.field
    if (requestId) body.requestId = requestId
    return body
  }
}

/** Builds the Response for a problem (used by onError and notFound). */
export function problemResponse(problem: HttpProblem, requestId?: string): Response {
  return new Response(JSON.stringify(problem.body(requestId)), {
    status: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...problem.extra.headers },
  })
}
