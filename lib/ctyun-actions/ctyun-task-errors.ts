import {
  CtyunApiError,
  CtyunConfigError,
  CtyunHttpError,
  CtyunInputError,
  CtyunNetworkError,
  CtyunResourceFailedError,
  CtyunTimeoutError,
  CtyunWaitTimeoutError,
  isThrottledError,
} from '../ctyun'
import type { TaskError } from '../engine'

/**
 * The stable ASL error names a CTyun Task can fail with (what `Retry`/`Catch` `ErrorEquals` match). The table is in
 * README.md; a CTyun business error with no entry here surfaces as its own errorCode.
 */
export const CtyunTaskErrorNames = {
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
} as const

// CTyun spells "not found" per service (ebs.ebsInfo.notExists, Image.NotFound, …): match the common spellings.
const NOT_FOUND = /(notexist|not_?found|nosuch|doesnotexist)/i

/**
 * Names a lib/ctyun error as the ASL `{ error, cause }` its Task fails with; undefined for any other error, which the
 * engine names (a StatesError its own name, an Error its `name`: lib/engine/actions/task-errors.ts).
 * `registerCtyunActions` installs it on its registry (`registry.mapErrors`), so it names what every action of that
 * registry throws, the job steps' client calls included. Causes are the errors' messages, which lib/ctyun builds
 * without secrets (method, path, request id, CTyun's description).
 *
 * Throttling (`Ctyun.Throttled`) is what lib/ctyun says it is (retry.ts isThrottled): HTTP 429, a configured throttle
 * code (CTYUN_THROTTLE_CODES; the client marks its errors `throttled`), or a message that says so — never one spelling.
 *
 * @example mapCtyunError(new CtyunApiError({ errorCode: 'X.Y.Z', statusCode: 900, detail: '请求过于频繁' }))?.error // 'Ctyun.Throttled'
 */
export function mapCtyunError(thrown: unknown): TaskError | undefined {
  if (thrown instanceof CtyunApiError) {
    if (isThrottledError(thrown)) return { error: CtyunTaskErrorNames.Throttled, cause: thrown.message }
    if (NOT_FOUND.test(thrown.errorCode)) return { error: CtyunTaskErrorNames.NotFound, cause: thrown.message }
    return { error: thrown.errorCode, cause: thrown.message }
  }
  if (thrown instanceof CtyunHttpError) {
    if (isThrottledError(thrown)) return { error: CtyunTaskErrorNames.Throttled, cause: thrown.message }
    // A 5xx is transient whatever code its body carries: one name for Retry to match (the code stays in the cause).
    if (thrown.status >= 500) return { error: CtyunTaskErrorNames.ServerError, cause: thrown.message }
    if (thrown.errorCode) return { error: thrown.errorCode, cause: thrown.message }
    if (thrown.status === 404) return { error: CtyunTaskErrorNames.NotFound, cause: thrown.message }
    return { error: CtyunTaskErrorNames.HttpError, cause: thrown.message }
  }
  if (thrown instanceof CtyunNetworkError) return { error: CtyunTaskErrorNames.Network, cause: thrown.message }
  if (thrown instanceof CtyunTimeoutError || thrown instanceof CtyunWaitTimeoutError)
    return { error: CtyunTaskErrorNames.Timeout, cause: thrown.message }
  if (thrown instanceof CtyunResourceFailedError) {
    const isOrder = /^order\b/i.test(thrown.resource)
    return {
      error: isOrder ? CtyunTaskErrorNames.OrderFailed : CtyunTaskErrorNames.ResourceFailed,
      cause: thrown.message,
    }
  }
  if (thrown instanceof CtyunInputError) return { error: CtyunTaskErrorNames.InvalidInput, cause: thrown.message }
  if (thrown instanceof CtyunConfigError) return { error: CtyunTaskErrorNames.Config, cause: thrown.message }
  return undefined
}
