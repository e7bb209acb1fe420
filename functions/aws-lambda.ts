// AWS Lambda entry points (serverless.yml: functions/aws-lambda.http | .scheduled | .worker). The engine, store and
// HTTP app are built once per container, on first use, from the environment.
import { loadFunctionsConfig } from '../lib/config'
import { advanceBriefly, createLambdaHandlers } from './lambda-handlers'
import { openEngine } from './open-engine'
import { createFunctionsRuntime } from './runtime'

export const { http, scheduled, worker } = createLambdaHandlers(() =>
  createFunctionsRuntime(loadFunctionsConfig(process.env), {
    openEngine: (config) => openEngine(config),
    onRunCreated: advanceBriefly,
  }),
)
