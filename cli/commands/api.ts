/**
 * `ctflow api METHOD SERVICE PATH [--query k=v]… [--body JSON]`: any signed CTyun OpenAPI call, printing the JSON reply.
 *   npx ctflow api GET ebs /v4/ebs/list-ebs --query regionID=… --query pageNo=1
 *   npx ctflow api POST ebs /v4/ebs_snapshot/create-ebs-snap --body '{"regionID":"…"}'
 * Exit codes: 0 success (an order in progress counts: it is an order to poll), 1 error reply or transport failure,
 * 2 usage error. With no CTYUN_* settings at all, the call goes to an in-process simulator (ARCHITECTURE.md).
 */
import type { Command } from '../command'
import { UsageError } from '../command'
import {
  createCtyunClient,
  CTYUN_SERVICES,
  CtyunApiError,
  CtyunError,
  CtyunHttpError,
  isCtyunService,
  type HttpMethod,
} from '../../lib/ctyun'
import { resolveCtyunTarget } from '../ctyun-target'

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']

const HELP = `Usage: ctflow api METHOD SERVICE PATH [options]

  METHOD    GET or POST (also PUT, DELETE, PATCH, HEAD)
  SERVICE   ${CTYUN_SERVICES.join(', ')}, or a full base URL (http[s]://host[:port][/prefix])
  PATH      the API path, e.g. /v4/ebs/list-ebs

Options:
  --query key=value      a query parameter; repeat for more (signed and sent in canonical order)
  --body JSON            the JSON request body (POST)
  --client-token TOKEN   add this clientToken to the body (the call becomes retryable)
  --timeout MS           per-request timeout in milliseconds
  -h, --help             this text

Credentials: CTYUN_AK / CTYUN_SK. Endpoints: CTYUN_ENDPOINT or CTYUN_ENDPOINT_<SERVICE>.
With none of them set, the call goes to an in-process simulator.
`

export interface ApiArguments {
  method: HttpMethod
  target: { service: (typeof CTYUN_SERVICES)[number] } | { baseUrl: string }
  path: string
  query: [string, string][]
  body?: unknown
  clientToken?: string
  timeoutMs?: number
}

/** Parses the command line; every problem is a UsageError that names the argument at fault. */
export function parseApiArguments(argv: string[]): ApiArguments {
  const positional: string[] = []
  const query: [string, string][] = []
  let bodyText: string | undefined
  let clientToken: string | undefined
  let timeoutMs: number | undefined

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined]
    const value = (): string => {
      if (inline !== undefined) return inline
      const next = argv[++i]
      if (next === undefined) throw new UsageError(`${flag} needs a value`)
      return next
    }
    switch (flag) {
      case '--query':
      case '-q': {
        const pair = value()
        const eq = pair.indexOf('=')
        if (eq <= 0) throw new UsageError(`--query "${pair}" is not key=value`)
        query.push([pair.slice(0, eq), pair.slice(eq + 1)])
        break
      }
      case '--body':
      case '-d':
        if (bodyText !== undefined) throw new UsageError('--body given twice')
        bodyText = value()
        break
      case '--client-token':
        clientToken = value()
        if (!clientToken) throw new UsageError('--client-token is empty')
        break
      case '--timeout': {
        const raw = value()
        timeoutMs = Number(raw)
        if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
          throw new UsageError(`--timeout "${raw}" is not a positive number of milliseconds`)
        break
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${flag}\n\n${HELP}`)
        positional.push(arg)
    }
  }

  if (positional.length !== 3)
    throw new UsageError(`expected METHOD SERVICE PATH, got ${positional.length} argument(s)\n\n${HELP}`)
  const [rawMethod, rawService, path] = positional as [string, string, string]
  const method = rawMethod.toUpperCase() as HttpMethod
  if (!METHODS.includes(method)) throw new UsageError(`METHOD "${rawMethod}" is not one of ${METHODS.join(', ')}`)

  let target: ApiArguments['target']
  if (isCtyunService(rawService.toLowerCase()))
    target = { service: rawService.toLowerCase() as (typeof CTYUN_SERVICES)[number] }
  else if (/^https?:\/\//i.test(rawService)) {
    try {
      new URL(rawService)
    } catch {
      throw new UsageError(`SERVICE "${rawService}" is not a valid URL`)
    }
    target = { baseUrl: rawService.replace(/\/+$/, '') }
  } else throw new UsageError(`SERVICE "${rawService}" is not one of ${CTYUN_SERVICES.join(', ')} or an http(s) URL`)

  if (!path.startsWith('/')) throw new UsageError(`PATH "${path}" must start with /`)
  if (path.includes('?')) throw new UsageError(`PATH "${path}" must not contain a query: use --query key=value`)

  let body: unknown
  if (bodyText !== undefined) {
    try {
      body = JSON.parse(bodyText)
    } catch (error) {
      throw new UsageError(`--body is not valid JSON (${(error as Error).message})`)
    }
    if (method === 'GET' || method === 'HEAD')
      throw new UsageError(`--body cannot be sent with ${method}; CTyun ${method} parameters go in --query`)
  }
  if (clientToken !== undefined) {
    if (body === undefined) body = {}
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new UsageError('--client-token needs --body to be a JSON object')
  }
  return { method, target, path, query, body, clientToken, timeoutMs }
}

const command: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(HELP)
    return 0
  }
  const args = parseApiArguments(argv)
  // A full URL stands for every service, so key-shape checks follow the URL actually called.
  const env = 'baseUrl' in args.target ? { ...io.env, CTYUN_ENDPOINT: args.target.baseUrl } : io.env
  // The embedded default (lib/config/ctyun-target.ts): no CTYUN_* at all → an in-process simulator.
  const target = await resolveCtyunTarget(env)
  if (target.kind !== 'cloud') io.stderr(`ctflow api: calling ${target.description}\n`)
  try {
    const client = createCtyunClient(target.clientOptions)
    const result = await client.call({
      ...args.target,
      method: args.method,
      path: args.path,
      query: args.query,
      body: args.body,
      clientToken: args.clientToken,
      timeoutMs: args.timeoutMs,
      signal: io.signal,
    })
    io.stdout(`${JSON.stringify(result.envelope, null, 2)}\n`)
    if (result.kind === 'order-in-progress') {
      io.stderr(
        `ctflow api: ${result.errorCode}: order ${result.masterOrderID} is in progress; poll it with GET ecs /v4/ecs/order/query-uuid --query masterOrderID=${result.masterOrderID}\n`,
      )
    }
    return 0
  } catch (error) {
    if (error instanceof CtyunApiError) {
      io.stderr(
        `ctflow api: ${error.errorCode}: ${error.detail || error.message} (request-id ${error.requestId ?? '-'})\n`,
      )
      return 1
    }
    if (error instanceof CtyunHttpError) {
      io.stderr(`ctflow api: ${error.message}\n`)
      return 1
    }
    if (error instanceof CtyunError) {
      io.stderr(`ctflow api: ${error.name}: ${error.message}\n`)
      return 1
    }
    throw error
  } finally {
    await target.close()
  }
}
export default command
