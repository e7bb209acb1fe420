// Cold start per runtime: process start → first answered request (GET /healthz, 200), median of 10, for ctflow's
// packaged entry beside a bare Hono hello on the same runtime, bundled the same way, interleaved in one run.
// - Node: the Lambda HTTP bundle answering one API Gateway v2 event in a new process (the process's wall time).
// - Bun, Deno, workerd: the packaged ctflow.js / worker.js (scripts/package-platform.mjs) serving HTTP, polled every
//   2 ms from the spawn until the first 200. ctflow runs on the memory store against a closed CTyun port (/healthz
//   never calls CTyun), so what is measured is the runtime, the bundle and the app's construction.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { BIN, DENO_PERMISSIONS, freePort, workerdArgs, writeWorkerdConfig } from '../functions/testing/runtimes'
import { packagePlatform } from '../scripts/package-platform.mjs'
import { LAMBDA_BUNDLE_OPTIONS } from './functions.bench'
import { median, percentile } from './measure'
import type { BenchReport, BenchRow } from './report'

const root = fileURLToPath(new URL('..', import.meta.url))
const ROUNDS = 10
const TARGET_RATIO = 1.5
const ENV = {
  CTFLOW_STORE: 'memory',
  CTYUN_AK: 'bench-access-key-0000000000000001',
  CTYUN_SK: 'bench-secret-key-0000000000000001',
  CTYUN_ENDPOINT: 'http://127.0.0.1:9',
  CTFLOW_API_TOKEN: 'bench-token-0123456789',
  HOST: '127.0.0.1',
}

const BARE = {
  bun: `import { Hono } from 'hono'
const app = new Hono()
app.get('/healthz', (c) => c.json({ ok: true }))
Bun.serve({ port: Number(process.env.PORT), hostname: '127.0.0.1', fetch: app.fetch })
`,
  deno: `import { Hono } from 'hono'
const app = new Hono()
app.get('/healthz', (c) => c.json({ ok: true }))
Deno.serve({ port: Number(Deno.env.get('PORT')), hostname: '127.0.0.1', onListen() {} }, app.fetch)
`,
  workerd: `import { Hono } from 'hono'
const app = new Hono()
app.get('/healthz', (c) => c.json({ ok: true }))
export default app
`,
  lambda: `import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
const app = new Hono()
app.get('/healthz', (c) => c.json({ ok: true }))
export const http = handle(app)
`,
}

const LAMBDA_DRIVER = `const mod = await import(process.argv[2])
const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 30000, functionName: 'bench' }
const reply = await mod.http({ version: '2.0', routeKey: '$default', rawPath: '/healthz', rawQueryString: '',
  headers: { host: 'bench' }, requestContext: { http: { method: 'GET', path: '/healthz' }, stage: '$default' },
  body: null, isBase64Encoded: false }, context)
process.stdout.write(String(reply.statusCode))
process.exit(0)
`

type Runtime = 'node (Lambda bundle)' | 'bun' | 'deno' | 'workerd'

export async function run(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'ctflow-bench-runtimes-'))
  try {
    const starts = await prepare(dir)
    const samples = new Map<string, number[]>()
    for (let round = -1; round < ROUNDS; round++) {
      for (const [key, start] of starts) {
        const ms = await start()
        if (round >= 0) samples.set(key, [...(samples.get(key) ?? []), ms])
      }
    }
    const rows: BenchRow[] = []
    for (const runtime of ['node (Lambda bundle)', 'bun', 'deno', 'workerd'] as Runtime[]) {
      const ctflow = samples.get(`${runtime}:ctflow`)!
      const bare = samples.get(`${runtime}:bare`)!
      const ratio = median(ctflow) / median(bare)
      rows.push({
        name: `cold start on ${runtime}: process start → first answered request`,
        median: median(ctflow),
        unit: 'ms',
        ratio: { against: `bare Hono (${median(bare).toFixed(1)} ms)`, value: ratio },
        target: `≤ ${TARGET_RATIO}× bare Hono`,
        pass: ratio <= TARGET_RATIO,
        detail: { rounds: ROUNDS, p90: percentile(ctflow, 90), bareP90: percentile(bare, 90) },
      })
    }
    return {
      area: 'runtimes',
      rows,
      notes: [
        `${ROUNDS} interleaved rounds after one warm-up; bun ${version('bun')}, deno ${version('deno')}, workerd ${version('workerd')}, node ${process.version}`,
      ],
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Builds both sides for every runtime; returns one cold-start measurement per (runtime, side). */
async function prepare(dir: string): Promise<Array<[string, () => Promise<number>]>> {
  const bundle = async (name: string, source: string, options: Record<string, unknown> = {}) => {
    const entry = join(dir, `${name}.ts`)
    writeFileSync(entry, source)
    const outfile = join(dir, `${name}.js`)
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      nodePaths: [join(root, 'node_modules')],
      logLevel: 'warning',
      ...options,
    })
    return outfile
  }
  for (const platform of ['bun', 'deno', 'cloudflare-workers'])
    await packagePlatform(platform, { out: join(dir, platform) })
  const bareBun = await bundle('bare-bun', BARE.bun)
  const bareDeno = await bundle('bare-deno', BARE.deno)
  mkdirSync(join(dir, 'bare-workerd'), { recursive: true })
  await bundle('bare-workerd/worker', BARE.workerd)
  await build({
    ...LAMBDA_BUNDLE_OPTIONS,
    entryPoints: [join(root, 'functions/aws-lambda.ts')],
    outdir: join(dir, 'lambda'),
  })
  writeFileSync(join(dir, 'bare-lambda.ts'), BARE.lambda)
  await build({
    ...LAMBDA_BUNDLE_OPTIONS,
    entryPoints: [join(dir, 'bare-lambda.ts')],
    outdir: join(dir, 'bare-lambda'),
    nodePaths: [join(root, 'node_modules')],
  })
  writeFileSync(join(dir, 'driver.mjs'), LAMBDA_DRIVER)

  const workerdConfig = async (workerDir: string, bindings: Record<string, string>) => {
    const port = await freePort()
    return { port, config: writeWorkerdConfig({ dir: workerDir, port, bindings }) }
  }
  const ctflowWorkerd = await workerdConfig(join(dir, 'cloudflare-workers'), ENV)
  const bareWorkerd = await workerdConfig(join(dir, 'bare-workerd'), {})

  const server = (command: string, args: string[], port?: number) => async () => {
    const chosen = port ?? (await freePort())
    return timeToFirstAnswer(command, args, chosen, { ...ENV, PORT: String(chosen) })
  }
  const lambdaStart = (path: string) => async () => {
    const started = performance.now()
    const child = spawnSync(process.execPath, [join(dir, 'driver.mjs'), path], {
      env: { PATH: process.env.PATH, ...ENV },
    })
    const ms = performance.now() - started
    if (child.status !== 0 || child.stdout.toString() !== '200')
      throw new Error(`Lambda cold start failed: ${child.stderr.toString().slice(0, 500)}`)
    return ms
  }
  return [
    ['node (Lambda bundle):ctflow', lambdaStart(join(dir, 'lambda/aws-lambda.mjs'))],
    ['node (Lambda bundle):bare', lambdaStart(join(dir, 'bare-lambda/bare-lambda.mjs'))],
    ['bun:ctflow', server(BIN.bun, [join(dir, 'bun/ctflow.js')])],
    ['bun:bare', server(BIN.bun, [bareBun])],
    ['deno:ctflow', server(BIN.deno, ['run', ...DENO_PERMISSIONS, join(dir, 'deno/ctflow.js')])],
    ['deno:bare', server(BIN.deno, ['run', ...DENO_PERMISSIONS, bareDeno])],
    ['workerd:ctflow', server(BIN.workerd, workerdArgs(ctflowWorkerd.config), ctflowWorkerd.port)],
    ['workerd:bare', server(BIN.workerd, workerdArgs(bareWorkerd.config), bareWorkerd.port)],
  ]
}

/**
 * Spawns the server, polls GET /healthz every 2 ms until a 200, returns the elapsed ms, and stops its whole process
 * group: deno's and workerd's npm bins are node wrappers whose real binary would otherwise keep serving, and a later
 * sample would measure that leftover server instead of a cold start.
 */
async function timeToFirstAnswer(
  command: string,
  args: string[],
  port: number,
  env: Record<string, string>,
): Promise<number> {
  const started = performance.now()
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: 'ignore',
    detached: true,
  })
  let exited = false
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  child.once('exit', () => (exited = true))
  try {
    for (;;) {
      if (exited) throw new Error(`${command} exited before answering`)
      if (performance.now() - started > 20_000) throw new Error(`${command} did not answer within 20 s`)
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`)
        if (response.status === 200) return performance.now() - started
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
  } finally {
    killGroup(child.pid!)
    await closed
    await untilPortFree(port)
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // The group is gone already.
  }
}

/** Waits until nothing answers on `port` (the group's last process has released it) so the next sample starts cold. */
async function untilPortFree(port: number): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(200) })
    } catch {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`port ${port} still answers after its process group was killed`)
}

function version(runtime: 'bun' | 'deno' | 'workerd'): string {
  return spawnSync(BIN[runtime], ['--version'], { encoding: 'utf8' }).stdout.trim().split('\n')[0] ?? '?'
}
