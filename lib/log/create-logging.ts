/**
 * Everything a process needs to log as issue 14 asks, made once from the resolved log settings: the logger, the
 * scoped context (AsyncLocalStorage where there is one), the engine's hooks and the CTyun client's `log` option.
 */
import type { LogConfig } from '../config'
import type { CtyunLogger } from '../ctyun'
import type { EngineHooks } from '../engine'
import { createLogger, type Logger, type LogFields } from './create-logger'
import { createEngineLogHooks, ctyunClientLog } from './engine-log-hooks'
import { createLazyLogContext, type LogContext } from './log-context'

export interface Logging {
  logger: Logger
  context: LogContext
  /** For `createEngine`/`assembleEngine({ hooks })`. */
  hooks: EngineHooks
  /** For `createCtyunClient({ log })`. */
  ctyunLog: CtyunLogger
}

/**
 * @example
 * const logging = createLogging(loadLogConfig(process.env))
 * logging.context.run({ fields: { awsRequestId } }, () => handler(event))
 */
export function createLogging(
  config: LogConfig,
  { write, fields }: { write?: (line: string) => void; fields?: LogFields } = {},
): Logging {
  const context = createLazyLogContext()
  const logger = createLogger({
    level: config.level,
    secrets: config.secrets,
    context,
    ...(write ? { write } : {}),
    ...(fields ? { fields } : {}),
  })
  return { logger, context, hooks: createEngineLogHooks(logger, context), ctyunLog: ctyunClientLog(logger, context) }
}
