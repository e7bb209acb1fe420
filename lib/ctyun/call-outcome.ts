/**
 * What a failed call says about what happened on CTyun's side — the question a write must answer before it is sent
 * again, since the clientToken makes only orders idempotent (shared/ctyun-api.md §8.2).
 */
import { CtyunApiError, CtyunHttpError, CtyunNetworkError, CtyunTimeoutError } from './errors'

/**
 * Whether a failed attempt may have been carried out: no reply was read (dropped connection, timeout) or the server
 * failed (5xx, which a gateway also sends when the backend acted but its answer was lost). A 429, a throttle code or
 * any other business error is a refusal: nothing happened.
 * @example isOutcomeUnknown(new CtyunTimeoutError(15_000)) // true
 */
export function isOutcomeUnknown(error: unknown): boolean {
  if (error instanceof CtyunNetworkError || error instanceof CtyunTimeoutError) return true
  return error instanceof CtyunHttpError && error.status >= 500
}

/**
 * Whether CTyun refused the request for what may be the resource's state: a business error (statusCode 900), or a
 * 4xx other than 401/403/429 that carries an errorCode — whatever the code (no source names the "busy" codes, §8.3).
 * The resource's state, read next, decides what it meant.
 * @example mayBeStateRefusal(new CtyunApiError({ errorCode: 'Any.Code.AtAll', statusCode: 900, detail: '' })) // true
 */
export function mayBeStateRefusal(error: unknown): boolean {
  if (error instanceof CtyunApiError) return true
  return (
    error instanceof CtyunHttpError &&
    error.status >= 400 &&
    error.status < 500 &&
    ![401, 403, 429].includes(error.status) &&
    !!error.errorCode
  )
}
