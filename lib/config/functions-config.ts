/**
 * Configuration of the deployed functions and `ctflow serve`, read from the environment once per process
 * (container). Every mistake is reported with the variable to fix; values are never echoed, since some are secrets.
 */

export type CtyunTarget =
  /** Neither CTYUN_AK nor CTYUN_SK nor CTYUN_ENDPOINT: start the simulator in-process (ARCHITECTURE.md, "Embedded default"). */
  | { kind: 'simulator' }
  | { kind: 'cloud'; accessKey: string; secretKey: string; endpoint?: string; region?: string }
  /** CTYUN_ENDPOINT with keys: e.g. a simulator started elsewhere (`ctflow sim`). */

export type StoreTarget = { kind: 'memory' } | { kind: 'file'; path: string } | { kind: 'postgres'; url: string }

export interface FunctionsConfig {
  ctyun: CtyunTarget
  store: StoreTarget
  /** `whsec_…` secrets from CTFLOW_WEBHOOK_SECRET (space or comma separated, newest first). */
  webhookSecrets: string[]
  apiToken?: string
  maxBodyBytes: number
}

export class FunctionsConfigError extends Error {
  override name = 'FunctionsConfigError'
}

export const DEFAULT_STORE_PATH = '.ctflow/'
const MIN_TOKEN_LENGTH = 16

/**
 * @example const config = loadFunctionsConfig(process.env)
 */
export function loadFunctionsConfig(env: Record<string, string | undefined>): FunctionsConfig {
  const apiToken = blankToUndefined(env.CTFLOW_API_TOKEN)
  if (apiToken !== undefined && apiToken.length < MIN_TOKEN_LENGTH) {
    throw new FunctionsConfigError(`CTFLOW_API_TOKEN is shorter than ${MIN_TOKEN_LENGTH} characters; use a random one, e.g. \`openssl rand -hex 24\`.`)
  }
  return {
    ctyun: readCtyun(env),
    store: readStore(blankToUndefined(env.CTFLOW_STORE) ?? DEFAULT_STORE_PATH),
    webhookSecrets: (env.CTFLOW_WEBHOOK_SECRET ?? '').split(/[\s,]+/).filter(Boolean),
    apiToken,
    maxBodyBytes: readPositiveInteger(env, 'CTFLOW_MAX_BODY_BYTES', 256 * 1024),
  }
}

function readCtyun(env: Record<string, string | undefined>): CtyunTarget {
  const accessKey = blankToUndefined(env.CTYUN_AK)
  const secretKey = blankToUndefined(env.CTYUN_SK)
  const endpoint = blankToUndefined(env.CTYUN_ENDPOINT)
  const region = blankToUndefined(env.CTYUN_REGION)
  if (!accessKey && !secretKey) {
    if (endpoint) throw new FunctionsConfigError('CTYUN_ENDPOINT is set but CTYUN_AK and CTYUN_SK are not. Set both keys, or unset CTYUN_ENDPOINT for the built-in simulator.')
    return { kind: 'simulator' }
  }
  if (!accessKey) throw new FunctionsConfigError('CTYUN_SK is set but CTYUN_AK is not. Set both for the real cloud, or neither for the simulator.')
  if (!secretKey) throw new FunctionsConfigError('CTYUN_AK is set but CTYUN_SK is not. Set both for the real cloud, or neither for the simulator.')
  if (endpoint && !/^https?:\/\/[^\s]+$/.test(endpoint)) throw new FunctionsConfigError('CTYUN_ENDPOINT must be an http(s) URL.')
  return { kind: 'cloud', accessKey, secretKey, ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) }
}

function readStore(value: string): StoreTarget {
  if (value === 'memory') return { kind: 'memory' }
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    // Only the scheme is named: a URL may carry a password.
    throw new FunctionsConfigError(`CTFLOW_STORE has an unsupported scheme "${value.split(':')[0]}"; use memory, a directory path, or postgres://….`)
  }
  return { kind: 'file', path: value }
}

function readPositiveInteger(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const text = blankToUndefined(env[name])
  if (text === undefined) return fallback
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new FunctionsConfigError(`${name} must be a positive whole number of bytes.`)
  return Number(text)
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}
