/**
 * A structured logger of our own, a few dozen lines: one JSON object per line with `level`, `time` (ISO 8601) and
 * `msg` first, then the context's fields, the logger's own and the line's. Written ourselves because the Lambda HTTP
 * entry must stay ≤ 150 kB and start fast on every runtime ctflow targets. Measured (esbuild, minified, node20 esm,
 * one JSON line written): pino 9.14 is 60 kB and needs Node's `require` (os, worker threads for transports); LogTape
 * 1.3 is 20.5 kB for a logger with a JSON-lines console sink, which writes through console.log (Lambda's text format
 * prefixes each line, so it would no longer be JSON) and masks nothing without a further package. All of lib/log —
 * this logger, masking, the scoped context, the engine's hooks — is 4.9 kB.
 */
import type { LogLevel } from '../config'
import type { LogContext } from './log-context'
import { isLevelEnabled, type LineLevel } from './log-level'
import { redactText, redactValue } from './redact'

/** The fields ctflow's lines carry where known (issue 14); any other JSON-able field may be added. */
export interface LogFields {
  runId?: string
  workflow?: string
  state?: string
  attempt?: number
  /** The `ctyun-eop-request-id` ctflow sent (CTyun support traces a call by it). */
  ctyunRequestId?: string
  durationMs?: number
  /** An error's name or code: an ASL error (`Ctyun.Throttled`), a CTyun errorCode, an exception's name. */
  errorCode?: string
  /** The Lambda invocation's request id. */
  awsRequestId?: string
  [field: string]: unknown
}

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** Whether a line at this level would be written (skip building costly fields). */
  isEnabled(level: LineLevel): boolean
  /** A logger that adds `fields` to every line (same level, output and context). */
  child(fields: LogFields): Logger
  readonly level: LogLevel
}

export interface LoggerOptions {
  /** Lines below it are dropped (default `info`; CTFLOW_LOG_LEVEL via lib/config loadLogConfig). */
  level?: LogLevel
  /** Where a line goes, without its newline (default: stdout where there is one, else console.log). */
  write?: (line: string) => void
  /** Scoped fields (log-context.ts): the Lambda request id, a Task call's run and state. */
  context?: LogContext
  /** Values to mask wherever they appear (the AK/SK, webhook secrets, the API token, robot URLs' tokens). */
  secrets?: readonly string[]
  /** Fields on every line. */
  fields?: LogFields
  now?: () => number
}

/**
 * @example
 * const log = createLogger({ level: loadLogConfig(process.env).level, secrets: [sk] })
 * log.info('run started', { runId, workflow })
 * // {"level":"info","time":"2026-12-05T05:20:00.000Z","msg":"run started","runId":"…","workflow":"…"}
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { level = 'info', write = defaultWrite(), context, secrets = [], now = Date.now } = options
  const bound = options.fields ?? {}

  function line(at: LineLevel, msg: string, fields: LogFields | undefined): void {
    if (!isLevelEnabled(at, level)) return
    const scoped = context?.current()?.fields
    const record = redactValue({ ...scoped, ...bound, ...fields }, secrets) as Record<string, unknown>
    let text: string
    try {
      text = JSON.stringify({
        level: at,
        time: new Date(now()).toISOString(),
        msg: redactText(msg, secrets),
        ...record,
      })
    } catch {
      text = JSON.stringify({ level: at, time: new Date(now()).toISOString(), msg: redactText(msg, secrets) })
    }
    try {
      write(text)
    } catch {
      // A log line must never fail what it reports on (a closed pipe, a full disk).
    }
  }

  return {
    level,
    debug: (msg, fields) => line('debug', msg, fields),
    info: (msg, fields) => line('info', msg, fields),
    warn: (msg, fields) => line('warn', msg, fields),
    error: (msg, fields) => line('error', msg, fields),
    isEnabled: (at) => isLevelEnabled(at, level),
    child: (fields) => createLogger({ ...options, fields: { ...bound, ...fields } }),
  }
}

// Lambda (and Node in general) collects stdout as is; console.log would prefix each line on Lambda's text format
// (time, request id, level), so the line would no longer be one JSON object. Runtimes without a process: console.
function defaultWrite(): (line: string) => void {
  const stdout = (globalThis as { process?: { stdout?: { write?: (text: string) => unknown } } }).process?.stdout
  if (stdout && typeof stdout.write === 'function') return (text) => void stdout.write!(`${text}\n`)
  return (text) => console.log(text)
}
