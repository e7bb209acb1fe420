// AWS Lambda entry points (serverless.yml: functions/aws-lambda.http | .scheduled | .worker). The engine, store and
// HTTP app are built once per container, on first use, from the environment. Every line is one JSON object (lib/log)
// carrying the invocation's awsRequestId.
import { loadFunctionsConfig } from '../lib/config'
import { loggingFromEnv } from './function-logging'
import { advanceBriefly, createLambdaHandlers } from './lambda-handlers'
import { openEngine } from './open-engine'
import { createFunctionsRuntime } from './runtime'

const logging = loggingFromEnv(process.env)

export const { http, scheduled, worker } = createLambdaHandlers(
  () =>
    createFunctionsRuntime(loadFunctionsConfig(process.env), {
      openEngine: (config) => openEngine(config, { logging }),
      onRunCreated: advanceBriefly,
      log: (line) => logging.logger.error(line),
    }),
  logging,
)
