import type { APIGatewayProxyEventV2, Context, ScheduledEvent } from 'aws-lambda'
import type { LambdaEvent } from 'hono/aws-lambda'

type APIGatewayProxyEventV2Fields = Omit<APIGatewayProxyEventV2, 'body' | 'requestContext'> & { body: string | null }

/**
 * Synthetic Lambda inputs for tests and the bench: an API Gateway HTTP API (payload 2.0) event, a Lambda context and
 * an EventBridge scheduled event, shaped like the AWS documentation's examples.
 */
export function apiGatewayV2Event({
  method = 'GET',
  path = '/healthz',
  query = '',
  headers = {},
  body,
}: {
  method?: string
  path?: string
  query?: string
  headers?: Record<string, string>
  body?: string
} = {}): LambdaEvent & APIGatewayProxyEventV2Fields {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: { host: 'abc123.execute-api.ap-southeast-1.amazonaws.com', 'user-agent': 'ctflow-test', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.ap-southeast-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'ctflow-test' },
      requestId: 'req-synthetic',
      authentication: null,
      authorizer: {} as never, // no authorizer on the route (hono/aws-lambda types it as always present)
      routeKey: '$default',
      stage: '$default',
      time: '23/Nov/2026:12:00:00 +0000',
      timeEpoch: 1795435200000,
    },
    // hono/aws-lambda types the body as string | null (API Gateway sends no body key for a GET).
    body: body ?? null,
    isBase64Encoded: false,
  }
}

export function lambdaContext({
  remainingMs = 30_000,
  requestId = 'aws-req-1',
  functionName = 'ctflow-dev-http',
} = {}): Context {
  const deadline = Date.now() + remainingMs
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-southeast-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/23/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  }
}

export function scheduledEvent<T>(
  detail: T,
  { id = 'evt-synthetic-1', time = '2026-11-23T18:00:00Z' } = {},
): ScheduledEvent<T> {
  return {
    version: '0',
    id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time,
    region: 'ap-southeast-1',
    resources: ['arn:aws:events:ap-southeast-1:123456789012:rule/ctflow-dev-nightly-backup'],
    detail,
  }
}
