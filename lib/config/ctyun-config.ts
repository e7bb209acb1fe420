/**
 * CTyun client settings, resolved once from the environment. The only place in lib/ that reads process.env for the
 * client; everything else receives a `CtyunConfig`.
 *
 *   CTYUN_AK / CTYUN_SK            credentials (both or neither)
 *   CTYUN_ENDPOINT                 base URL for every service (the simulator, a proxy)
 *   CTYUN_ENDPOINT_<SERVICE>       one service at a time: ECS, EBS, IMAGE, VPC, CBR, CDA
 *   CTYUN_TIMEOUT_MS               per-request timeout (default 15000)
 *   CTYUN_RETRIES                  retries after the first attempt (default 3)
 *   CTYUN_RETRY_BUDGET_MS          total time for one operation incl. retries (default 60000)
 *   CTYUN_EOP_TIMEZONE             beijing (default) | utc | local — see lib/ctyun/eop-date.ts
 *   CTYUN_THROTTLE_CODES           errorCodes that mean "throttled, retry" (comma or space separated); replaces the
 *                                  default `Openapi.RequestLimitExceeded`, which is ASSUMED: no source names CTyun's
 *                                  throttling code (shared/ctyun-api.md §8.3). HTTP 429 and a throttling message
 *                                  (lib/ctyun/retry.ts THROTTLE_MESSAGE) count whatever this says.
 *   CTYUN_THROTTLE_RETRIES         throttle answers one call may take before it fails (default 20); each waits its
 *                                  turn in the client's adaptive pacer (lib/ctyun/pacer.ts), within the retry budget
 *   CTYUN_MAX_RPS                  fixed request-rate ceiling: `20` (every service), `ebs=10,cbr=5`, or `20,ebs=10`;
 *                                  per process — workers sharing an access key each take a share of the cloud's limit
 */
import {
  checkCredentialShape,
  CTYUN_SERVICES,
  CtyunConfigError,
  DEFAULT_CTYUN_ENDPOINTS,
  DEFAULT_THROTTLE_CODES,
  DEFAULT_THROTTLE_RETRIES,
  isRealCtyunEndpoint,
  parseMaxRps,
  type CtyunClientSettings,
  type CtyunEndpoints,
  type CtyunService,
  type EopCredentials,
  type EopTimeZone,
} from '../ctyun/settings'

/** The client's settings (lib/ctyun CtyunClientSettings) as read from CTYUN_*, and what they say about the target. */
export interface CtyunConfig extends CtyunClientSettings {
  /** Undefined when neither CTYUN_AK nor CTYUN_SK is set. */
  credentials?: EopCredentials
  /** True when CTYUN_ENDPOINT or any CTYUN_ENDPOINT_<SERVICE> was set. */
  endpointsOverridden: boolean
  /** Neither credentials nor an endpoint: callers start the simulator in-process (ARCHITECTURE.md "Embedded default"). */
  useEmbeddedSimulator: boolean
}

type Env = Readonly<Record<string, string | undefined>>

function positiveInteger(env: Env, name: string, fallback: number, { allowZero = false } = {}): number {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new CtyunConfigError(
      `${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${raw.slice(0, 20)}".`,
      name,
    )
  }
  return value
}

/** A list of errorCodes (`product.module.code`, or `CTIAM_0005`-like), comma or space separated; unset or empty: the default. */
function errorCodeList(env: Env, name: string, fallback: readonly string[]): readonly string[] {
  const codes = (env[name] ?? '').split(/[\s,]+/).filter(Boolean)
  if (codes.length === 0) return fallback
  const bad = codes.find((code) => !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(code))
  if (bad !== undefined) {
    throw new CtyunConfigError(
      `${name} must list errorCodes such as Openapi.RequestLimitExceeded, comma or space separated; "${bad.slice(0, 40)}" is not one.`,
      name,
    )
  }
  return codes
}

function endpointUrl(name: string, raw: string): string {
  const trimmed = raw.trim().replace(/\/+$/, '')
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    throw new CtyunConfigError(`${name} must be an absolute http(s) URL, got "${raw.slice(0, 80)}".`, name)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CtyunConfigError(`${name} must be an http(s) URL, got protocol "${url.protocol}".`, name)
  }
  if (url.username || url.password) throw new CtyunConfigError(`${name} must not carry a user or password.`, name)
  return trimmed
}

/**
 * Reads the CTyun settings from an environment (default: process.env).
 * @example const config = resolveCtyunConfig({ CTYUN_ENDPOINT: 'http://127.0.0.1:4010', CTYUN_AK: ak, CTYUN_SK: sk })
 */
export function resolveCtyunConfig(env: Env = process.env): CtyunConfig {
  const accessKey = env.CTYUN_AK?.trim() || undefined
  const secretKey = env.CTYUN_SK?.trim() || undefined
  if (!!accessKey !== !!secretKey) {
    const [set, unset] = accessKey ? ['CTYUN_AK', 'CTYUN_SK'] : ['CTYUN_SK', 'CTYUN_AK']
    throw new CtyunConfigError(
      `${set} is set but ${unset} is not. Set both CTYUN_AK and CTYUN_SK for the real cloud, or neither for the simulator.`,
      unset,
    )
  }

  const endpoints: CtyunEndpoints = { ...DEFAULT_CTYUN_ENDPOINTS }
  let endpointsOverridden = false
  if (env.CTYUN_ENDPOINT?.trim()) {
    const all = endpointUrl('CTYUN_ENDPOINT', env.CTYUN_ENDPOINT)
    for (const service of CTYUN_SERVICES) endpoints[service] = all
    endpointsOverridden = true
  }
  for (const service of CTYUN_SERVICES) {
    const name = `CTYUN_ENDPOINT_${service.toUpperCase()}`
    const raw = env[name]
    if (raw?.trim()) {
      endpoints[service as CtyunService] = endpointUrl(name, raw)
      endpointsOverridden = true
    }
  }

  const anyRealEndpoint = CTYUN_SERVICES.some((service) => isRealCtyunEndpoint(endpoints[service]))
  let credentials: EopCredentials | undefined
  if (accessKey && secretKey) {
    checkCredentialShape('CTYUN_AK', accessKey, { requireOfficialLength: anyRealEndpoint })
    checkCredentialShape('CTYUN_SK', secretKey, { requireOfficialLength: anyRealEndpoint })
    credentials = { accessKey, secretKey }
  } else if (endpointsOverridden && anyRealEndpoint) {
    throw new CtyunConfigError(
      'A CTyun endpoint is configured but CTYUN_AK and CTYUN_SK are not set. Set both to call the real cloud.',
      'CTYUN_AK',
    )
  }

  const timeZone = (env.CTYUN_EOP_TIMEZONE?.trim().toLowerCase() || 'beijing') as EopTimeZone
  if (!['beijing', 'utc', 'local'].includes(timeZone)) {
    throw new CtyunConfigError(
      `CTYUN_EOP_TIMEZONE must be one of beijing, utc, local; got "${String(env.CTYUN_EOP_TIMEZONE).slice(0, 20)}".`,
      'CTYUN_EOP_TIMEZONE',
    )
  }

  return {
    credentials,
    endpoints,
    endpointsOverridden,
    useEmbeddedSimulator: !credentials && !endpointsOverridden,
    timeoutMs: positiveInteger(env, 'CTYUN_TIMEOUT_MS', 15_000),
    retries: positiveInteger(env, 'CTYUN_RETRIES', 3, { allowZero: true }),
    retryBudgetMs: positiveInteger(env, 'CTYUN_RETRY_BUDGET_MS', 60_000),
    timeZone,
    throttleCodes: errorCodeList(env, 'CTYUN_THROTTLE_CODES', DEFAULT_THROTTLE_CODES),
    throttleRetries: positiveInteger(env, 'CTYUN_THROTTLE_RETRIES', DEFAULT_THROTTLE_RETRIES, { allowZero: true }),
    maxRps: parseMaxRps(env.CTYUN_MAX_RPS),
  }
}
