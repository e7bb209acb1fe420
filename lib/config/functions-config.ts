import { resolveCtyunConfig, type CtyunConfig } from './ctyun-config'
import { loadLogConfig, type LogConfig } from './log-config'
import { loadNotifySettings, type NotifySettings } from './notify-settings'
import { loadStoreConfig, type StoreConfig } from './store-config'

/**
 * Configuration of the deployed functions and `ctflow serve`, read from the environment once per process
 * (container). Every mistake is reported with the variable to fix; values are never echoed, since some are secrets.
 */

export interface FunctionsConfig {
  /** CTYUN_* as the client reads them (lib/config/ctyun-config.ts); `useEmbeddedSimulator` when none is set. */
  ctyun: CtyunConfig
  /** CTFLOW_STORE (+ pool size, schema) as lib/config/store-config.ts reads it. */
  store: StoreConfig
  /** `whsec_…` secrets from CTFLOW_WEBHOOK_SECRET (space or comma separated, newest first). */
  webhookSecrets: string[]
  apiToken?: string
  maxBodyBytes: number
  /** CTFLOW_LOG_LEVEL (lib/config/log-config.ts). */
  log: LogConfig
  /** CTFLOW_NOTIFY and CTFLOW_PUBLIC_URL (lib/config/notify-settings.ts). */
  notify: NotifySettings
}

export class FunctionsConfigError extends Error {
  override name = 'FunctionsConfigError'
}

const MIN_TOKEN_LENGTH = 16

/**
 * @example const config = loadFunctionsConfig(process.env)
 */
export function loadFunctionsConfig(env: Record<string, string | undefined>): FunctionsConfig {
  const apiToken = blankToUndefined(env.CTFLOW_API_TOKEN)
  if (apiToken !== undefined && apiToken.length < MIN_TOKEN_LENGTH) {
    throw new FunctionsConfigError(
      `CTFLOW_API_TOKEN is shorter than ${MIN_TOKEN_LENGTH} characters; use a random one, e.g. \`openssl rand -hex 24\`.`,
    )
  }
  return {
    ctyun: resolveCtyunConfig(env),
    store: loadStoreConfig(env),
    webhookSecrets: (env.CTFLOW_WEBHOOK_SECRET ?? '').split(/[\s,]+/).filter(Boolean),
    apiToken,
    maxBodyBytes: readPositiveInteger(env, 'CTFLOW_MAX_BODY_BYTES', 256 * 1024),
    log: loadLogConfig(env),
    notify: loadNotifySettings(env),
  }
}

function readPositiveInteger(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const text = blankToUndefined(env[name])
  if (text === undefined) return fallback
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new FunctionsConfigError(`${name} must be a positive whole number of bytes.`)
  return Number(text)
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}
