// Cold start and bundle size of the Lambda HTTP handler, beside a bare Hono hello-world bundled the same way, same run.
// Cold start = a new Node process importing the bundle and answering one API Gateway v2 event (GET /healthz), timed
// inside the child from before the import to the reply: what Lambda's init + first invoke pay beyond its own runtime.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Metafile } from 'esbuild'
import { median, percentile } from './measure'
import type { BenchReport } from './report'

const root = fileURLToPath(new URL('..', import.meta.url))
const ROUNDS = 15
// 150 KB read as 150,000 bytes (the stricter reading; functions/package.test.ts asserts the same).
const BUNDLE_TARGET_BYTES = 150_000
const COLD_TARGET_RATIO = 1.5

/** The same options serverless.yml gives serverless-esbuild (custom.esbuild). */
export const LAMBDA_BUNDLE_OPTIONS = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: 'node20',
  platform: 'node',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  banner: {
    js: "import { createRequire as __ctflowCreateRequire } from 'node:module'; const require = __ctflowCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
} as const

const BARE_HONO = `import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
const app = new Hono()
app.get('/healthz', (c) => c.json({ ok: true }))
export const http = handle(app)
`

// The child: import, answer one event, print the elapsed milliseconds and the status.
const DRIVER = `const started = performance.now()
const mod = await import(process.argv[2])
const event = JSON.parse(process.argv[3])
const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 30000, functionName: 'bench' }
const reply = await mod.http(event, context)
const elapsed = performance.now() - started
process.stdout.write(JSON.stringify({ elapsed, status: reply.statusCode }))
process.exit(0)
`

const EVENT = JSON.stringify({
  version: '2.0',
  routeKey: '$default',
  rawPath: '/healthz',
  rawQueryString: '',
  headers: { host: 'bench.execute-api.local' },
  requestContext: {
    http: { method: 'GET', path: '/healthz', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    requestId: 'r',
    routeKey: '$default',
    stage: '$default',
    domainName: 'bench.execute-api.local',
    apiId: 'bench',
    accountId: '1',
    time: '',
    timeEpoch: 0,
  },
  body: null,
  isBase64Encoded: false,
})

// Real-cloud mode pointed at a closed port: /healthz never calls CTyun, and the Lambda handler refuses the embedded simulator.
const CHILD_ENV = {
  PATH: process.env.PATH,
  CTFLOW_STORE: 'memory',
  CTYUN_AK: 'bench-access-key',
  CTYUN_SK: 'bench-secret-key',
  CTYUN_ENDPOINT: 'http://127.0.0.1:9',
  CTFLOW_API_TOKEN: 'bench-token-0123456789',
}

export async function run(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'ctflow-bench-functions-'))
  try {
    writeFileSync(join(dir, 'bare-hono.ts'), BARE_HONO)
    const bare = await build({
      ...LAMBDA_BUNDLE_OPTIONS,
      entryPoints: [join(dir, 'bare-hono.ts')],
      outdir: join(dir, 'bare'),
      nodePaths: [join(root, 'node_modules')],
      metafile: true,
    })
    const ctflow = await build({
      ...LAMBDA_BUNDLE_OPTIONS,
      entryPoints: [join(root, 'functions/aws-lambda.ts')],
      outdir: join(dir, 'ctflow'),
      metafile: true,
    })
    const barePath = join(dir, 'bare/bare-hono.mjs')
    const ctflowPath = join(dir, 'ctflow/aws-lambda.mjs')
    const totalBytes = Object.values(ctflow.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0)
    const startBytes = loadedAtStartBytes(ctflow.metafile, 'functions/aws-lambda.ts')
    const bareTotal = Object.values(bare.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0)
    const driver = join(dir, 'driver.mjs')
    writeFileSync(driver, DRIVER)

    const samples = { ctflow: [] as number[], bare: [] as number[] }
    const wall = { ctflow: [] as number[], bare: [] as number[] }
    for (let round = -1; round < ROUNDS; round++) {
      for (const [name, path] of [
        ['ctflow', ctflowPath],
        ['bare', barePath],
      ] as const) {
        const started = performance.now()
        const child = spawnSync(process.execPath, [driver, path, EVENT], { env: CHILD_ENV, encoding: 'utf8', cwd: dir })
        const wallMs = performance.now() - started
        if (child.status !== 0) throw new Error(`${name} cold start failed: ${child.stderr.slice(0, 500)}`)
        const { elapsed, status } = JSON.parse(child.stdout) as { elapsed: number; status: number }
        if (status !== 200) throw new Error(`${name} answered GET /healthz with ${status}`)
        if (round >= 0) {
          samples[name].push(elapsed)
          wall[name].push(wallMs)
        }
      }
    }

    const schemaCheck = await measureFirstSchemaCheck(dir)

    const size = statSync(ctflowPath).size
    const bareSize = statSync(barePath).size
    const cold = median(samples.ctflow)
    const bareCold = median(samples.bare)
    return {
      area: 'functions',
      rows: [
        {
          name: 'Lambda HTTP entry bundle (minified; what a cold start loads)',
          median: size / 1000,
          unit: 'kB',
          ratio: { against: `bare Hono (${(bareSize / 1000).toFixed(1)} kB)`, value: size / bareSize },
          target: '≤ 150 kB',
          pass: size <= BUNDLE_TARGET_BYTES,
          detail: { bytes: size, gzipBytes: gzipSync(readFileSync(ctflowPath)).length, bareBytes: bareSize, bareTotal },
        },
        {
          // The entry file alone moves when esbuild places a module shared with a lazy chunk beside it: this row does not.
          name: 'Lambda HTTP cold-start load: the entry and the chunks it imports statically',
          median: startBytes.bytes / 1000,
          unit: 'kB',
          detail: { bytes: startBytes.bytes, files: startBytes.files },
        },
        {
          name: 'Lambda HTTP bundle incl. lazy chunks (pg driver for postgres:// stores)',
          median: totalBytes / 1000,
          unit: 'kB',
          target: '≤ 150 kB (if the target counts every chunk)',
          pass: totalBytes <= BUNDLE_TARGET_BYTES,
        },
        {
          name: 'cold start: import + answer one API Gateway v2 event',
          median: cold,
          unit: 'ms',
          ratio: { against: `bare Hono (${bareCold.toFixed(1)} ms)`, value: cold / bareCold },
          target: `≤ ${COLD_TARGET_RATIO}× bare Hono`,
          pass: cold / bareCold <= COLD_TARGET_RATIO,
          detail: { rounds: ROUNDS, p90: percentile(samples.ctflow, 90), bareP90: percentile(samples.bare, 90) },
        },
        {
          name: 'cold start incl. node boot (process wall time)',
          median: median(wall.ctflow),
          unit: 'ms',
          ratio: {
            against: `bare Hono (${median(wall.bare).toFixed(1)} ms)`,
            value: median(wall.ctflow) / median(wall.bare),
          },
        },
        {
          name: 'first run start: load the lazy input-schema chunk (@cfworker/json-schema) + check one input',
          median: schemaCheck.median,
          unit: 'ms',
          detail: { chunkBytes: schemaCheck.bytes, rounds: ROUNDS, p90: schemaCheck.p90 },
        },
      ],
      notes: [
        `bundled with esbuild ${LAMBDA_BUNDLE_OPTIONS.format}/${LAMBDA_BUNDLE_OPTIONS.target}, minified, as serverless.yml does; ${ROUNDS} interleaved rounds`,
      ],
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The bytes a start of `entry` loads: its output file and every chunk it imports statically, transitively. */
function loadedAtStartBytes(metafile: Metafile, entry: string): { bytes: number; files: number } {
  const outputs = metafile.outputs
  const first = Object.keys(outputs).find((file) => outputs[file]!.entryPoint === entry)
  if (!first) throw new Error(`no output for ${entry}`)
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const imported of outputs[file]!.imports)
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path)
  }
  visit(first)
  return { bytes: [...seen].reduce((sum, file) => sum + outputs[file]!.bytes, 0), files: seen.size }
}

// What the first POST /runs or webhook pays beyond /healthz: importing the schema checker (a lazy chunk) and checking
// the nightly job's own example against its schema, in a new process, as a cold container would.
const SCHEMA_DRIVER = `const schema = JSON.parse(process.argv[3])
const started = performance.now()
const { checkInput } = await import(process.argv[2])
const problems = checkInput(schema, schema.examples[0])
process.stdout.write(JSON.stringify({ elapsed: performance.now() - started, problems: problems.length }))
`

async function measureFirstSchemaCheck(dir: string): Promise<{ median: number; p90: number; bytes: number }> {
  const out = join(dir, 'input-schema')
  await build({ ...LAMBDA_BUNDLE_OPTIONS, entryPoints: [join(root, 'lib/engine/input-schema.ts')], outdir: out })
  const driver = join(dir, 'schema-driver.mjs')
  writeFileSync(driver, SCHEMA_DRIVER)
  const schema = readFileSync(join(root, 'workflows/snapshot-then-backup.schema.json'), 'utf8')
  const samples: number[] = []
  for (let round = -1; round < ROUNDS; round++) {
    const child = spawnSync(process.execPath, [driver, join(out, 'input-schema.mjs'), schema], {
      env: CHILD_ENV,
      encoding: 'utf8',
      cwd: dir,
    })
    if (child.status !== 0) throw new Error(`schema check failed: ${child.stderr.slice(0, 500)}`)
    const { elapsed, problems } = JSON.parse(child.stdout) as { elapsed: number; problems: number }
    if (problems !== 0) throw new Error('the shipped example does not match its schema')
    if (round >= 0) samples.push(elapsed)
  }
  return { median: median(samples), p90: percentile(samples, 90), bytes: statSync(join(out, 'input-schema.mjs')).size }
}
