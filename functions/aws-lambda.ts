// AWS Lambda entry points (serverless.yml: functions/aws-lambda.http | .scheduled | .worker). The engine, store and
// HTTP app are built once per container, on first use, from the environment. Every line is one JSON object (lib/log)
// carrying the invocation's awsRequestId.
import { loadFunctionsConfig, loadLogConfig, type LogConfig } from '../lib/config'
import { createLogging } from '../lib/log'
import { advanceBriefly, createLambdaHandlers } from './lambda-handlers'
import { openEngine } from './open-engine'
import { createFunctionsRuntime } from './runtime'

const logging = createLogging(logConfigOrDefault())

export const { http, scheduled, worker } = createLambdaHandlers(
  () =>
    createFunctionsRuntime(loadFunctionsConfig(process.env), {
      openEngine: (config) => openEngine(config, { logging }),
      onRunCreated: advanceBriefly,
      log: (line) => logging.logger.error(line),
    }),
  logging,
)

// A bad CTFLOW_LOG_LEVEL fails the first invocation's setup, naming the variable (loadFunctionsConfig reads it
// again); until then lines are written at the default level, not lost.
function logConfigOrDefault(): LogConfig {
  try {
    return loadLogConfig(process.env)
  } catch {
    return { ...loadLogConfig({ ...process.env, CTFLOW_LOG_LEVEL: undefined }) }
  }
}
