/**
 * @module lib/log — structured logs: one JSON object per line (`level`, `time`, `msg`, and where known `runId`,
 * `workflow`, `state`, `attempt`, `ctyunRequestId`, `durationMs`, `errorCode`), secrets masked, scoped fields
 * (the Lambda request id) carried through async calls, and the engine's hooks and the CTyun client's events as lines.
 * Imports only types of ours (lib/config's level names, lib/engine's hooks, lib/ctyun's log events).
 *
 * @example
 * const context = createLogContext(findAsyncLocalStorage())
 * const log = createLogger({ level: loadLogConfig(process.env).level, context, secrets })
 * const engine = assembleEngine({ …, hooks: createEngineLogHooks(log, context) })
 */
export { createLogger, type Logger, type LoggerOptions, type LogFields } from './create-logger'
export {
  createLazyLogContext,
  createLogContext,
  findAsyncLocalStorage,
  type LogContext,
  type LogScope,
} from './log-context'
export { isLevelEnabled, LOG_LEVEL_RANK, type LineLevel } from './log-level'
export { isSecretField, redactText, redactValue } from './redact'
export { createEngineLogHooks, ctyunClientLog } from './engine-log-hooks'
export { createLogging, type Logging } from './create-logging'
