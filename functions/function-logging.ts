/**
 * The deployed entries' logs (issue 14 point 7): every line one JSON object from lib/log, at CTFLOW_LOG_LEVEL, with
 * the secrets the environment holds masked. Built once per process (or isolate), before the settings are checked, so
 * that a setup error is itself a JSON line.
 */
import { loadLogConfig, type LogConfig } from '../lib/config'
import { createLogging, type LogFields, type Logging } from '../lib/log'

/**
 * @example const logging = loggingFromEnv(process.env) // then openEngine(config, { logging })
 */
export function loggingFromEnv(
  env: Record<string, string | undefined>,
  options: { write?: (line: string) => void } = {},
): Logging {
  return createLogging(logConfigOrDefault(env), options)
}

// A bad CTFLOW_LOG_LEVEL fails the setup, naming the variable (loadFunctionsConfig reads it again); until then lines
// are written at the default level, not lost.
function logConfigOrDefault(env: Record<string, string | undefined>): LogConfig {
  try {
    return loadLogConfig(env)
  } catch {
    return loadLogConfig({ ...env, CTFLOW_LOG_LEVEL: undefined })
  }
}

/**
 * An error as a line's fields: its name and message (lib/'s errors never carry a secret; the logger masks the rest).
 * @example logger.error('worker pass failed', errorFields(error)) // {"errorCode":"StoreError","cause":"…"}
 */
export function errorFields(error: unknown): LogFields {
  return error instanceof Error ? { errorCode: error.name, cause: error.message } : { cause: String(error) }
}
