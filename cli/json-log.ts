import { loadLogConfig } from '../lib/config'
import { createLogging, type Logging } from '../lib/log'
import type { CliIO } from './command'

/**
 * `--json` mode's logging: one JSON object per line on stderr (stdout keeps a command's result), at CTFLOW_LOG_LEVEL,
 * with the secrets the environment holds masked. A bad CTFLOW_LOG_LEVEL throws LogConfigError naming it.
 * @example const logging = createCliLogging(io); logging.logger.info('worker started', { lanes: 2 })
 */
export function createCliLogging(io: CliIO): Logging {
  return createLogging(loadLogConfig(io.env), { write: (line) => io.stderr(`${line}\n`) })
}
