// `npm run invoke -- -f http --data '<event JSON>'`: runs a packaged handler locally with one event, prints what it
// returns and exits. `npx osls invoke local` cannot load the ESM bundle serverless-esbuild writes (it `require`s a
// .cjs that is not there), so this loads the zip `npm run package` wrote (.serverless/<function>.zip), as Lambda
// would. `--platform tencent-scf|aliyun-fc|huawei-functiongraph|ctyun-faas` runs that platform's zip instead
// (.package/<platform>/<platform>.zip from `npm run package:<platform>`). Settings come from the environment
// (CTYUN_*, CTFLOW_*), as on the platform. `--data-file FILE` reads the event from a file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { readZip } from '../functions/testing/read-zip'

/** Timeouts serverless.yml gives each function (seconds): the context's remaining time starts there. */
const LAMBDA_TIMEOUTS: Record<string, number> = { http: 29, scheduled: 900, worker: 900 }
const EVENT_PLATFORMS = ['ctyun-faas', 'aliyun-fc', 'tencent-scf', 'huawei-functiongraph']

const USAGE = `usage: npm run invoke -- -f http|scheduled|worker (--data '<event JSON>' | --data-file FILE) [--platform ${EVENT_PLATFORMS.join('|')}] [--dir DIR]`

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      function: { type: 'string', short: 'f' },
      data: { type: 'string', short: 'd' },
      'data-file': { type: 'string' },
      platform: { type: 'string', short: 'p' },
      /** Where the zips are, if not where the package commands write them. */
      dir: { type: 'string' },
    },
  })
  const name = values.function
  if (!name || !(name in LAMBDA_TIMEOUTS)) return fail(`-f must name a function (http, scheduled, worker). ${USAGE}`)
  const text = values['data-file'] ? readFileSync(values['data-file'], 'utf8') : (values.data ?? '{}')
  let event: unknown
  try {
    event = JSON.parse(text)
  } catch {
    return fail(`--data is not JSON. ${USAGE}`)
  }

  const dir = mkdtempSync(join(tmpdir(), 'ctflow-invoke-'))
  try {
    const handler = values.platform
      ? await loadEventPlatform(values.platform, name, dir, values.dir)
      : await loadLambda(name, dir, values.dir)
    const started = Date.now()
    const timeoutMs = LAMBDA_TIMEOUTS[name]! * 1000
    const context = {
      awsRequestId: `local-${started}`,
      functionName: `ctflow-local-${name}`,
      getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
      // What the other platforms' contexts carry instead (FC: function.timeout; SCF: time_limit_in_ms).
      function: { name: `ctflow-${name}`, timeout: LAMBDA_TIMEOUTS[name] },
      time_limit_in_ms: timeoutMs,
      getRemainingTimeInMilliSeconds: () => Math.max(0, timeoutMs - (Date.now() - started)),
    }
    const result = await handler(values.platform ? Buffer.from(JSON.stringify(event)) : event, context)
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    return 0
  } catch (error) {
    return fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>

async function loadLambda(name: string, dir: string, from = '.serverless'): Promise<Handler> {
  const files = unzip(join(from, `${name}.zip`), 'npm run package')
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  const module = (await import(pathToFileURL(join(dir, 'functions/aws-lambda.mjs')).href)) as Record<string, Handler>
  return module[name]!
}

async function loadEventPlatform(
  platform: string,
  name: string,
  dir: string,
  from = `.package/${platform}`,
): Promise<Handler> {
  if (!EVENT_PLATFORMS.includes(platform)) throw new Error(`--platform must be one of ${EVENT_PLATFORMS.join(', ')}`)
  const files = unzip(join(from, `${platform}.zip`), `npm run package:${platform}`)
  writeFileSync(join(dir, 'index.cjs'), files.get('index.js')!)
  return (createRequire(import.meta.url)(join(dir, 'index.cjs')) as Record<string, Handler>)[name]!
}

function unzip(path: string, command: string): Map<string, Buffer> {
  try {
    return readZip(readFileSync(path))
  } catch {
    throw new Error(`${path} is missing or unreadable: run \`${command}\` first.`)
  }
}

function fail(message: string): number {
  process.stderr.write(`invoke: ${message}\n`)
  return 1
}

// The handler's runtime keeps its store and sockets open for the next invocation (as in a warm container); a
// one-shot invoke ends here instead of waiting for them.
process.exit(await main())
