// The throttling defaults as plain constants: reading the settings (lib/config) needs them, not p-retry's retry loop.

/**
 * Error codes that mean "throttled, try again". ASSUMED: no CTyun source names a throttling code, an HTTP 429 or a
 * QPS limit (shared/ctyun-api.md §2.3, §7, §8.3); `Openapi.RequestLimitExceeded` is the project's own guess, which the
 * simulator sends. Replace the list with `CTYUN_THROTTLE_CODES` (lib/config/ctyun-config.ts) once the real code is known.
 */
export const DEFAULT_THROTTLE_CODES: readonly string[] = ['Openapi.RequestLimitExceeded']

/** Throttle answers one call may take before it fails with Ctyun.Throttled (each waits its turn in the pacer). */
export const DEFAULT_THROTTLE_RETRIES = 20
