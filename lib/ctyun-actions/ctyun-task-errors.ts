import {
  CtyunApiError,
  CtyunConfigError,
  CtyunHttpError,
  CtyunInputError,
  CtyunNetworkError,
  CtyunResourceFailedError,
  CtyunTimeoutError,
  CtyunWaitTimeoutError,
} from '../../ctyun/errors'
import { isThrottledError } from '../../ctyun/retry'
import { StatesError } from '../language'

/**
 * The stable ASL error names a Task can fail with (what `Retry`/`Catch` `ErrorEquals` match). The table is in
 * lib/engine/ARCHITECTURE.md; a CTyun business error with no entry here surfaces as its own errorCode.
 */
export const TaskErrorNames = {
  Throttled: 'Ctyun.Throttled',
  NotFound: 'Ctyun.NotFound',
  OrderFailed: 'Ctyun.OrderFailed',
  ResourceFailed: 'Ctyun.ResourceFailed',
  Timeout: 'Ctyun.Timeout',
  Network: 'Ctyun.Network',
  ServerError: 'Ctyun.ServerError',
  HttpError: 'Ctyun.HttpError',
  InvalidInput: 'Ctyun.InvalidInput',
  Config: 'Ctyun.Config',
  UnknownResource: 'ctflow.UnknownResource',
} as const

// CTyun spells "not found" per service (ebs.ebsInfo.notExists, Image.NotFound, …): match the common spellings.
const NOT_FOUND = /(notexist|not_?found|nosuch|doesnotexist)/i

/**
 * Turns anything an action threw into the ASL `{ error, cause }` pair. Causes are the errors' messages, which lib/ctyun
 * builds without secrets (method, path, request id, CTyun's description).
 *
 * Throttling (`Ctyun.Throttled`) is what lib/ctyun says it is (retry.ts isThrottled): HTTP 429, a configured throttle
 * code (CTYUN_THROTTLE_CODES; the client marks its errors `throttled`), or a message that says so — never one spelling.
 *
 * @example toTaskError(new CtyunApiError({ errorCode: 'X.Y.Z', statusCode: 900, detail: '请求过于频繁' })).error // 'Ctyun.Throttled'
 */
export function toTaskError(thrown: unknown): { error: string; cause: string } {
  if (thrown instanceof StatesError) return { error: thrown.error, cause: thrown.cause }
  if (thrown instanceof CtyunApiError) {
    if (isThrottledError(thrown)) return { error: TaskErrorNames.Throttled, cause: thrown.message }
    if (NOT_FOUND.test(thrown.errorCode)) return { error: TaskErrorNames.NotFound, cause: thrown.message }
    return { error: thrown.errorCode, cause: thrown.message }
  }
  if (thrown instanceof CtyunHttpError) {
    if (isThrottledError(thrown)) return { error: TaskErrorNames.Throttled, cause: thrown.message }
    // A 5xx is transient whatever code its body carries: one name for Retry to match (the code stays in the cause).
    if (thrown.status >= 500) return { error: TaskErrorNames.ServerError, cause: thrown.message }
    if (thrown.errorCode) return { error: thrown.errorCode, cause: thrown.message }
    if (thrown.status === 404) return { error: TaskErrorNames.NotFound, cause: thrown.message }
    return { error: TaskErrorNames.HttpError, cause: thrown.message }
  }
  if (thrown instanceof CtyunNetworkError) return { error: TaskErrorNames.Network, cause: thrown.message }
  if (thrown instanceof CtyunTimeoutError || thrown instanceof CtyunWaitTimeoutError) return { error: TaskErrorNames.Timeout, cause: thrown.message }
  if (thrown instanceof CtyunResourceFailedError) {
    const isOrder = /^order\b/i.test(thrown.resource)
    return { error: isOrder ? TaskErrorNames.OrderFailed : TaskErrorNames.ResourceFailed, cause: thrown.message }
  }
  if (thrown instanceof CtyunInputError) return { error: TaskErrorNames.InvalidInput, cause: thrown.message }
  if (thrown instanceof CtyunConfigError) return { error: TaskErrorNames.Config, cause: thrown.message }
  // Like AWS Lambda: a thrown error's name is the ASL error (`class QuotaError extends Error` → "QuotaError").
  if (thrown instanceof Error) return { error: thrown.name || 'Error', cause: thrown.message }
  return { error: 'States.TaskFailed', cause: typeof thrown === 'string' ? thrown : safeJson(thrown) }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
