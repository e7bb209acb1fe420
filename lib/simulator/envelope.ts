/**
 * CTyun reply envelopes (shared/ctyun-api.md §2.1): statusCode 800 success / 900 failure, errorCode, error (UpperCamel
 * twin), message (English), description (Chinese), returnObj. Business errors travel as HTTP 200 + 900 (§2.2).
 */
import { upperCamelCode } from './error-codes'

export interface CtyunEnvelope {
  statusCode: 800 | 900
  errorCode: string
  error?: string
  message: string
  description: string
  returnObj?: unknown
}

/** A simulated reply: the envelope plus the HTTP status and headers it travels with. */
export interface SimReply {
  httpStatus: number
  body: CtyunEnvelope
  headers?: Record<string, string>
  /** Send as `{httpstatus, httpresult: envelope}` — the shape of the EBS create-image doc example (§3.4). */
  nestInHttpResult?: boolean
}

/** @example success({ regionList: [] }) */
export function success(returnObj?: unknown): SimReply {
  const body: CtyunEnvelope = { statusCode: 800, errorCode: '', message: 'SUCCESS', description: '成功' }
  if (returnObj !== undefined) body.returnObj = returnObj
  return { httpStatus: 200, body }
}

/** @example failure('Ecs.Instance.NotFound', 'instance i-1 not found') */
export function failure(
  errorCode: string,
  message: string,
  {
    httpStatus = 200,
    description = '请求失败',
    returnObj,
    headers,
  }: { httpStatus?: number; description?: string; returnObj?: unknown; headers?: Record<string, string> } = {},
): SimReply {
  const body: CtyunEnvelope = { statusCode: 900, errorCode, error: upperCamelCode(errorCode), message, description }
  if (returnObj !== undefined) body.returnObj = returnObj
  return { httpStatus, body, headers }
}

/** "Order in progress": a 900 that is not a failure; the caller polls the order (§2.2). */
export function orderInProgress(
  errorCode: string,
  returnObj: { masterOrderID: string; masterOrderNO: string; regionID: string },
): SimReply {
  return failure(errorCode, 'order in progress', {
    description: '订单处理中，可使用订单ID查询或使用原clientToken重试下单',
    returnObj,
  })
}

/** A business error raised deep inside an operation; turned into a `failure` reply at the edge. */
export class SimApiError extends Error {
  override name = 'SimApiError'
  constructor(
    readonly errorCode: string,
    message: string,
    readonly httpStatus = 200,
  ) {
    super(message)
  }

  toReply(): SimReply {
    return failure(this.errorCode, this.message, { httpStatus: this.httpStatus })
  }
}
