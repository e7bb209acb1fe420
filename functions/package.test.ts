// `npm run package` (osls package) works offline, and what it packages answers synthetic Lambda events.
// Runs the real packaging once (about 5 s) into a temp directory, then loads the bundle from the zip in a new process.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packagePlatform } from '../scripts/package-platform.mjs'
import { schedules } from './schedules'
import { apiGatewayV2Event, scheduledEvent } from './testing/lambda-events'
import { readZip } from './testing/read-zip'
import { startPathOf } from './testing/start-path'

const root = fileURLToPath(new URL('..', import.meta.url))
const FUNCTIONS = ['http', 'scheduled', 'worker'] as const
const BUNDLE = 'functions/aws-lambda.mjs'
let out: string

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'ctflow-package-'))
  // No AWS credentials, no network: osls must package from the local config alone.
  execFileSync(process.execPath, [join(root, 'node_modules/osls/bin/serverless.js'), 'package', '--package', out], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: out,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      SLS_TELEMETRY_DISABLED: '1',
    },
    stdio: 'pipe',
    timeout: 120_000,
  })
}, 150_000)

afterAll(() => rmSync(out, { recursive: true, force: true }))

type Resource = { Type: string; Properties: Record<string, unknown> }
function template(): Record<string, Resource> {
  return (
    JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as {
      Resources: Record<string, Resource>
    }
  ).Resources
}

describe('npm run package', () => {
  it('packages each function as a self-contained minified entry bundle within 150 kB, lazy chunks beside it', () => {
    for (const name of FUNCTIONS) {
      const files = readZip(readFileSync(join(out, `${name}.zip`)))
      expect([...files.keys()]).toContain(BUNDLE)
      // Only our bundle and its chunks: no node_modules install, nothing else from the repository.
      for (const file of files.keys()) expect(file).toMatch(/^functions\/(aws-lambda|chunks\/[\w-]+)\.mjs$/)
      // 150 kB read as decimal (150,000 bytes), the stricter of the two readings of the target (150 KiB = 153,600).
      // The CTyun client and the actions load lazily on the first Task (lib/jobs/lazy-product-actions.ts); keep it so.
      expect(files.get(BUNDLE)!.length).toBeLessThanOrEqual(150_000)
      // The simulator is for `ctflow serve`; deployed functions never carry it (open-engine.ts).
      for (const content of files.values()) expect(content.toString('utf8')).not.toContain('/_sim')
    }
  })

  it('deploys the schedules exactly as functions/schedules.json defines them (the ones `ctflow serve` runs)', () => {
    const resources = template()
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule')
    expect(rules).toHaveLength(schedules.length)
    for (const schedule of schedules) {
      const rule = rules.find((r) => String(r.Properties.Name).endsWith(`-${schedule.name}`))
      expect(rule, schedule.name).toBeDefined()
      expect(rule!.Properties.ScheduleExpression).toBe(schedule.expression)
      const [target] = rule!.Properties.Targets as { Input?: string; Arn: { 'Fn::GetAtt': string[] } }[]
      expect(target!.Arn['Fn::GetAtt'][0]).toBe(
        `${schedule.function[0]!.toUpperCase()}${schedule.function.slice(1)}LambdaFunction`,
      )
      expect(target!.Input === undefined ? undefined : JSON.parse(target!.Input)).toEqual(schedule.input)
    }
  })

  it('points the three functions at the adapter and the HTTP API at the http function', () => {
    const resources = template()
    for (const name of FUNCTIONS) {
      const fn = resources[`${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`]!
      expect(fn.Properties).toMatchObject({ Handler: `functions/aws-lambda.${name}`, Runtime: 'nodejs20.x' })
    }
    expect(Object.values(resources).some((r) => r.Type === 'AWS::ApiGatewayV2::Api')).toBe(true)
  })

  it('never installs Serverless Framework v4 (licensed, downloads a binary) through a peer dependency', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>
    }
    const serverless = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/serverless$/.test(path))
    expect(serverless.filter(([, pkg]) => pkg.version?.startsWith('4.'))).toEqual([])
  })
})

describe('npm run package:bun|deno|cloudflare-workers: what a cold start loads', () => {
  const ENTRIES = { bun: 'ctflow.js', deno: 'ctflow.js', 'cloudflare-workers': 'worker.js' } as const
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctflow-start-path-'))
    for (const platform of Object.keys(ENTRIES)) await packagePlatform(platform, { out: join(dir, platform) })
  }, 60_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  for (const [platform, entry] of Object.entries(ENTRIES)) {
    it(`${platform}: no node: module before the first request, and the runner and the ASL language load on first use`, () => {
      const start = startPathOf(join(dir, platform, entry))
      // A Node module costs its runtime's compatibility layer at start (node:async_hooks alone ~15 ms on Deno).
      expect(start.externals.filter((name) => name.startsWith('node:'))).toEqual([])
      // The runner is its own lazy chunk (lib/engine/load-runner.ts), and none of the interpreter's code is at start.
      const chunks = readdirSync(join(dir, platform, 'chunks'))
      expect(chunks.some((file) => /^runner-\w+\.js$/.test(file))).toBe(true)
      expect(start.files.filter((file) => /runner-/.test(file))).toEqual([])
      for (const [file, code] of start.code) {
        expect(code, file).not.toContain('more than a year ahead') // interpreter.ts's Wait check
        expect(code, file).not.toContain('is not valid base64') // the intrinsics' States.Base64Decode
      }
      if (platform === 'bun') for (const code of start.code.values()) expect(code.startsWith('// @bun\n')).toBe(true)
    })
  }
})

describe('packaged handlers', () => {
  let bundleDir: string
  beforeAll(() => {
    bundleDir = mkdtempSync(join(tmpdir(), 'ctflow-bundle-'))
    for (const [file, content] of readZip(readFileSync(join(out, 'http.zip')))) {
      mkdirSync(join(bundleDir, file, '..'), { recursive: true })
      writeFileSync(join(bundleDir, file), content)
    }
  })
  afterAll(() => rmSync(bundleDir, { recursive: true, force: true }))

  // A new process per call, like a Lambda container: import the bundle, answer one event, print the result.
  function invoke(handler: (typeof FUNCTIONS)[number], event: unknown): { result: unknown; stdout: string } {
    const driver = `const m = await import(${JSON.stringify(join(bundleDir, BUNDLE))});
const context = { awsRequestId: 'pkg-test-1', functionName: 'ctflow-${handler}', getRemainingTimeInMillis: () => 20000 };
const result = await m.${handler}(JSON.parse(process.argv[1]), context);
process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n');`
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', driver, JSON.stringify(event)], {
      cwd: bundleDir,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        PATH: process.env.PATH,
        CTFLOW_STORE: 'memory',
        CTYUN_ENDPOINT: 'http://127.0.0.1:9',
        CTFLOW_API_TOKEN: 'package-test-token-0123',
      },
    })
    expect(child.status, child.stderr).toBe(0)
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '))!
    return { result: JSON.parse(line.slice(7)), stdout: child.stdout }
  }

  it('answers a synthetic API Gateway v2 event', () => {
    const { result } = invoke('http', apiGatewayV2Event({ path: '/healthz' }))
    expect(result).toMatchObject({ statusCode: 200, body: '{"ok":true}' })
    const denied = invoke('http', apiGatewayV2Event({ path: '/runs' })).result as {
      statusCode: number
      headers: Record<string, string>
    }
    expect(denied.statusCode).toBe(401)
    expect(denied.headers['content-type']).toBe('application/problem+json')
  })

  it('answers a synthetic scheduled event by starting the named run', () => {
    const workflow = schedules.find((s) => s.function === 'scheduled')!.input!
    const { result } = invoke('scheduled', scheduledEvent(workflow))
    expect(result).toMatchObject({ workflow: workflow.workflow, created: true })
  })

  it('answers a synthetic worker tick', () => {
    expect(invoke('worker', scheduledEvent({})).result).toEqual({ advanced: 0 })
  })
})

describe('npm run invoke (the documented stand-in for `osls invoke local`, which cannot load the ESM bundle)', () => {
  it('runs the packaged http handler with one event, prints its reply and exits', () => {
    const child = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/tsx/dist/cli.mjs'),
        join(root, 'scripts/invoke.ts'),
        '-f',
        'http',
        '--dir',
        out,
        '--data',
        JSON.stringify(apiGatewayV2Event({ path: '/healthz' })),
      ],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: process.env.PATH, CTFLOW_STORE: 'memory', CTYUN_ENDPOINT: 'http://127.0.0.1:9' },
      },
    )
    expect(child.status, child.stderr).toBe(0)
    expect(JSON.parse(child.stdout)).toMatchObject({ statusCode: 200, body: '{"ok":true}' })
  })
})
