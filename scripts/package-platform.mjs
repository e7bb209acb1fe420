// `npm run package:<platform>` (or `node scripts/package-platform.mjs <platform>|all`): writes a deployable artefact
// for one platform into .package/<platform>/. AWS Lambda stays on `npm run package` (osls + serverless.yml).
//   ctyun-faas, aliyun-fc, tencent-scf, huawei-functiongraph  → <platform>.zip: index.js (CommonJS bundle, handlers
//                                                               index.http / index.scheduled / index.worker) + manifest
//   cloudflare-workers → worker.js + chunks/ (ES modules) + wrangler.toml (nodejs_compat, Cron Triggers from schedules.json)
//   deno, bun          → ctflow.js + chunks/ (ES modules) + README.txt with the run command
// Nothing here deploys: each platform's own CLI does (README "Other runtimes").
import { builtinModules } from 'node:module'
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import yazl from 'yazl'

const root = fileURLToPath(new URL('..', import.meta.url))
const schedules = JSON.parse(readFileSync(join(root, 'functions/schedules.json'), 'utf8'))

/** The Workers' and Deno's 5-field crons, the same conversion functions/schedules.ts toUnixCron makes. */
function unixCron(expression) {
  const cron = /^cron\((.+)\)$/.exec(expression.trim())
  if (cron) {
    const [minute, hour, dom, month, dow] = cron[1].trim().split(/\s+/)
    return [minute, hour, dom === '?' ? '*' : dom, month, dow === '?' ? '*' : dow].join(' ')
  }
  const rate = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expression.trim())
  const n = Number(rate[1])
  if (rate[2] === 'minute') return n === 1 ? '* * * * *' : `*/${n} * * * *`
  if (rate[2] === 'hour') return n === 1 ? '0 * * * *' : `0 */${n} * * *`
  return n === 1 ? '0 0 * * *' : `0 0 */${n} * *`
}

const EVENT_PLATFORMS = {
  'ctyun-faas': { entry: 'functions/ctyun-faas.ts', manifest: ctyunManifest },
  'aliyun-fc': { entry: 'functions/aliyun-fc.ts', manifest: fcManifest },
  'tencent-scf': { entry: 'functions/tencent-scf.ts', manifest: scfManifest },
  'huawei-functiongraph': { entry: 'functions/huawei-functiongraph.ts', manifest: functionGraphManifest },
}
const PLATFORMS = [...Object.keys(EVENT_PLATFORMS), 'cloudflare-workers', 'deno', 'bun']

/**
 * Builds one platform's artefact into `out` (default .package/<platform>) and returns the files written.
 * @param {string} platform
 * @param {{ out?: string }} [options]
 */
export async function packagePlatform(platform, { out = join(root, '.package', platform) } = {}) {
  if (!PLATFORMS.includes(platform))
    throw new Error(`unknown platform "${platform}"; one of: ${PLATFORMS.join(', ')}, all`)
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  if (EVENT_PLATFORMS[platform]) return packageEventPlatform(platform, out)
  if (platform === 'cloudflare-workers') return packageWorkers(out)
  return packageServer(platform, out)
}

async function packageEventPlatform(platform, out) {
  const { entry, manifest } = EVENT_PLATFORMS[platform]
  const staging = join(out, 'staging')
  // CommonJS: every one of these Node runtimes loads `index.js` with `require`, whatever its ESM support.
  await build({
    entryPoints: { index: join(root, entry) },
    outdir: staging,
    bundle: true,
    minify: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    logLevel: 'warning',
  })
  const files = { 'index.js': readFileSync(join(staging, 'index.js')), ...manifest() }
  rmSync(staging, { recursive: true, force: true })
  const zipPath = join(out, `${platform}.zip`)
  await writeZip(zipPath, files)
  for (const [name, content] of Object.entries(files)) if (name !== 'index.js') writeFileSync(join(out, name), content)
  return [
    zipPath,
    ...Object.keys(files)
      .filter((name) => name !== 'index.js')
      .map((name) => join(out, name)),
  ]
}

async function packageWorkers(out) {
  const outfile = join(out, 'worker.js')
  const common = {
    entryPoints: { worker: join(root, 'functions/cloudflare-workers.ts') },
    outdir: out,
    // Lazy parts (pg, the CTyun client, the actions) stay in chunks loaded on first use, not at cold start.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    // pg-cloudflare's `workerd` build opens sockets through cloudflare:sockets.
    conditions: ['workerd', 'worker'],
    external: ['cloudflare:*'],
    plugins: [jsonAsParse],
    logLevel: 'warning',
  }
  // Bundled CommonJS (pg) calls require() for Node built-ins, and a Worker has no require: find which, and hand them
  // out from a small require that loads each on its first call (nodejs_compat's process.getBuiltinModule), so that
  // esbuild's require helper, which sits in a chunk the entry imports, loads no Node module at cold start.
  const probe = await build({ ...common, metafile: true, write: false })
  const required = new Set()
  for (const output of Object.values(probe.metafile.outputs))
    for (const imported of output.imports)
      if (imported.external && imported.kind === 'require-call') required.add(imported.path.replace(/^node:/, ''))
  const names = [...required].filter((name) => builtinModules.includes(name)).sort()
  const banner = [
    `const __ctflowBuiltins = new Set(${JSON.stringify(names)});`,
    "const require = (name) => { const bare = name.replace(/^node:/, ''); if (!__ctflowBuiltins.has(bare)) throw new Error('ctflow worker: cannot require ' + name); return process.getBuiltinModule('node:' + bare) };",
  ].join('\n')
  rmSync(join(out, 'chunks'), { recursive: true, force: true })
  await build(common)
  prependWhereRequired(out, banner)
  const chunks = existsSync(join(out, 'chunks')) ? readdirSync(join(out, 'chunks')).map((file) => `chunks/${file}`) : []
  const crons = [...new Set(Object.values(schedules).map((schedule) => unixCron(schedule.expression)))]
  writeFileSync(
    join(out, 'wrangler.toml'),
    `# Deploy: cd .package/cloudflare-workers && npx wrangler deploy  (secrets: npx wrangler secret put CTFLOW_STORE, …)
name = "ctflow"
main = "worker.js"
# worker.js imports its lazy chunks (chunks/*.js): upload them beside it.
find_additional_modules = true
rules = [{ type = "ESModule", globs = ["chunks/*.js"] }]
compatibility_date = "2026-11-01"
# The engine uses node:crypto and node:events; pg reaches PostgreSQL through cloudflare:sockets.
compatibility_flags = ["nodejs_compat"]
# worker.js is already bundled (scripts/package-platform.mjs).
no_bundle = true

[triggers]
# From functions/schedules.json (UTC): ${Object.keys(schedules).join(', ')}.
crons = ${JSON.stringify(crons)}

[vars]
# CTFLOW_STORE must be postgres://… (a Worker has no disk; "memory" only for a trial). Set secrets with
# \`wrangler secret put\`: CTYUN_AK, CTYUN_SK, CTFLOW_STORE, CTFLOW_WEBHOOK_SECRET, CTFLOW_API_TOKEN.
`,
  )
  return [outfile, ...chunks.map((chunk) => join(out, chunk)), join(out, 'wrangler.toml')]
}

async function packageServer(platform, out) {
  const outfile = join(out, 'ctflow.js')
  await build({
    entryPoints: { ctflow: join(root, `functions/${platform}.ts`) },
    outdir: out,
    // Lazy parts (pg, the CTyun client, the actions, the file store) stay in chunks loaded on first use.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    plugins: [jsonAsParse],
    logLevel: 'warning',
  })
  // Bundled CommonJS (pg) calls require() for Node built-ins; both runtimes provide node:module's createRequire. It is
  // made on the first call: esbuild's require helper sits in a chunk the entry imports, and loading node:module there
  // would cost every cold start.
  prependWhereRequired(
    out,
    "let __ctflowRequire; const require = (id) => (__ctflowRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);",
  )
  // `// @bun` first: Bun runs the files as they are (esbuild's output is plain JavaScript) instead of transpiling them.
  if (platform === 'bun') markForBun(out)
  const run =
    platform === 'deno'
      ? 'deno run --allow-net --allow-env --allow-read --allow-write --allow-sys --unstable-cron ctflow.js'
      : 'bun ctflow.js'
  writeFileSync(
    join(out, 'README.txt'),
    `ctflow for ${platform}: ${run}\nSettings from the environment: PORT (8080), HOST (0.0.0.0), CTYUN_AK/CTYUN_SK or CTYUN_ENDPOINT, CTFLOW_STORE, CTFLOW_WEBHOOK_SECRET, CTFLOW_API_TOKEN.\nFire one schedule now and exit: ${run} --trigger nightly-backup\n`,
  )
  const chunks = existsSync(join(out, 'chunks'))
    ? readdirSync(join(out, 'chunks')).map((file) => join(out, 'chunks', file))
    : []
  return [outfile, ...chunks, join(out, 'README.txt')]
}

/**
 * JSON imports (the shipped workflows, schedules.json) as `JSON.parse('…')` instead of object literals: a runtime
 * scans a string literal and parses JSON far faster than it compiles the same data as code (measured on Bun: 36 kB of
 * workflows cost ~2 ms at start as a literal, ~0.6 ms as JSON.parse).
 */
const jsonAsParse = {
  name: 'json-as-parse',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.json$/ }, (args) => {
      const text = JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8')))
      return { contents: `export default JSON.parse(${JSON.stringify(text)})`, loader: 'js' }
    })
  },
}

const HANDLERS = { http: 'index.http', scheduled: 'index.scheduled', worker: 'index.worker' }
const nightly = schedules['nightly-backup']
const job = JSON.stringify(nightly.input)

function ctyunManifest() {
  // CTyun 函数计算 is deployed from the console or its OpenAPI (no CLI of its own is documented): this manifest says
  // what to create. Runtime names as the console lists them; the HTTP function uses 处理 HTTP 请求.
  return {
    'ctyun-faas.json': json({
      runtime: 'Node.js 18',
      code: 'ctyun-faas.zip',
      functions: [
        {
          name: 'ctflow-http',
          handler: HANDLERS.http,
          handlerType: 'HTTP',
          timeoutSeconds: 30,
          triggers: [{ type: 'HTTP' }],
        },
        {
          name: 'ctflow-scheduled',
          handler: HANDLERS.scheduled,
          timeoutSeconds: 900,
          triggers: [{ type: 'TIMER', cron: unixCron(nightly.expression), message: job }],
        },
        {
          name: 'ctflow-worker',
          handler: HANDLERS.worker,
          timeoutSeconds: 900,
          triggers: [{ type: 'TIMER', cron: unixCron(schedules.worker.expression) }],
        },
      ],
      environment: [
        'CTYUN_AK',
        'CTYUN_SK',
        'CTFLOW_STORE',
        'CTFLOW_WEBHOOK_SECRET',
        'CTFLOW_API_TOKEN',
        'CTFLOW_FUNCTION_TIMEOUT',
      ],
    }),
  }
}

function fcManifest() {
  // Serverless Devs (`s deploy`) with the fc3 component.
  const fn = (name, handler, timeout, triggers) => `  ${name}:
    component: fc3
    props:
      region: \${env('ALIBABA_CLOUD_REGION', 'cn-hangzhou')}
      functionName: ${name}
      runtime: nodejs18
      code: ./aliyun-fc.zip
      handler: ${handler}
      timeout: ${timeout}
      memorySize: 512
      environmentVariables:
        CTYUN_AK: \${env('CTYUN_AK')}
        CTYUN_SK: \${env('CTYUN_SK')}
        CTFLOW_STORE: \${env('CTFLOW_STORE')}
        CTFLOW_WEBHOOK_SECRET: \${env('CTFLOW_WEBHOOK_SECRET')}
        CTFLOW_API_TOKEN: \${env('CTFLOW_API_TOKEN')}
      triggers:
${triggers}`
  return {
    's.yaml': `# Deploy: cd .package/aliyun-fc && s deploy   (Serverless Devs, fc3 component)
edition: 3.0.0
name: ctflow
resources:
${fn(
  'ctflow-http',
  HANDLERS.http,
  30,
  `        - triggerName: http
          triggerType: http
          triggerConfig:
            authType: anonymous
            methods: [GET, POST, PUT, DELETE]`,
)}
${fn(
  'ctflow-scheduled',
  HANDLERS.scheduled,
  900,
  `        - triggerName: nightly-backup
          triggerType: timer
          triggerConfig:
            cronExpression: 'CRON_TZ=UTC 0 ${unixCron(nightly.expression)}'
            enable: true
            payload: '${job}'`,
)}
${fn(
  'ctflow-worker',
  HANDLERS.worker,
  900,
  `        - triggerName: worker
          triggerType: timer
          triggerConfig:
            cronExpression: '@every 1m'
            enable: true`,
)}
`,
  }
}

function scfManifest() {
  // Tencent's Serverless Framework (`sls deploy`, scf component), one directory per function is its convention;
  // the three functions share the zip.
  const fn = (name, handler, timeout, events) => `${name}:
  component: scf
  name: ${name}
  inputs:
    name: ${name}
    src: ./
    handler: ${handler}
    runtime: Nodejs18.15
    region: \${env:TENCENTCLOUD_REGION}
    timeout: ${timeout}
    memorySize: 512
    environment:
      variables:
        CTYUN_AK: \${env:CTYUN_AK}
        CTYUN_SK: \${env:CTYUN_SK}
        CTFLOW_STORE: \${env:CTFLOW_STORE}
        CTFLOW_WEBHOOK_SECRET: \${env:CTFLOW_WEBHOOK_SECRET}
        CTFLOW_API_TOKEN: \${env:CTFLOW_API_TOKEN}
    events:
${events}`
  return {
    'serverless.yml': `# Deploy: cd .package/tencent-scf && unzip tencent-scf.zip -d src && sls deploy   (Serverless Framework, scf component)
app: ctflow
${fn(
  'ctflow-http',
  HANDLERS.http,
  30,
  `      - apigw:
          parameters:
            protocols: [https]
            endpoints:
              - path: /
                method: ANY
                function:
                  isIntegratedResponse: true`,
)}
${fn(
  'ctflow-scheduled',
  HANDLERS.scheduled,
  900,
  `      - timer:
          parameters:
            name: nightly-backup
            cronExpression: '0 ${unixCron(nightly.expression)} *'
            argument: '${job}'`,
)}
${fn(
  'ctflow-worker',
  HANDLERS.worker,
  900,
  `      - timer:
          parameters:
            name: worker
            cronExpression: '0 */1 * * * * *'`,
)}
`,
  }
}

function functionGraphManifest() {
  // KooCLI (`hcloud FunctionGraph CreateFunction --cli-jsonInput=…`) takes one function per call: one JSON each,
  // triggers created after with CreateFunctionTrigger (TIMER: Cron with the job as user_event; APIG for http).
  const fn = (name, handler, timeout) => ({
    func_name: name,
    package: 'default',
    runtime: 'Node.js18.15',
    handler,
    timeout,
    memory_size: 512,
    code_type: 'zip',
    code_filename: 'huawei-functiongraph.zip',
    user_data: JSON.stringify({ CTFLOW_STORE: 'postgres://…', CTYUN_AK: '…', CTYUN_SK: '…' }),
  })
  return {
    'functiongraph.json': json({
      functions: [
        fn('ctflow-http', HANDLERS.http, 30),
        fn('ctflow-scheduled', HANDLERS.scheduled, 900),
        fn('ctflow-worker', HANDLERS.worker, 900),
      ],
      triggers: [
        {
          function: 'ctflow-http',
          trigger_type_code: 'APIG',
          event_data: { match_mode: 'PREFIX', req_method: 'ANY', path: '/' },
        },
        {
          function: 'ctflow-scheduled',
          trigger_type_code: 'TIMER',
          event_data: {
            name: 'nightly-backup',
            schedule_type: 'Cron',
            schedule: `0 ${unixCron(nightly.expression)}`.replace(/ \*$/, ' ?'),
            user_event: job,
          },
        },
        {
          function: 'ctflow-worker',
          trigger_type_code: 'TIMER',
          event_data: { name: 'worker', schedule_type: 'Rate', schedule: '1m' },
        },
      ],
    }),
  }
}

/**
 * Prepends `banner` (a `require` for bundled CommonJS) only to the outputs whose code calls it: esbuild's `__require`
 * helper lives in one lazy chunk, so the entry does not load node:module (or, on Workers, every built-in pg uses)
 * at cold start.
 */
function prependWhereRequired(out, banner) {
  const chunks = existsSync(join(out, 'chunks'))
    ? readdirSync(join(out, 'chunks')).map((file) => join('chunks', file))
    : []
  for (const file of [...readdirSync(out).filter((name) => name.endsWith('.js')), ...chunks]) {
    const path = join(out, file)
    const code = readFileSync(path, 'utf8')
    if (code.includes('typeof require')) writeFileSync(path, `${banner}\n${code}`)
  }
}

/** Puts `// @bun` on the first line of every .js file (the entry and its chunks). */
function markForBun(out) {
  const chunks = existsSync(join(out, 'chunks'))
    ? readdirSync(join(out, 'chunks')).map((file) => join('chunks', file))
    : []
  for (const file of [...readdirSync(out).filter((name) => name.endsWith('.js')), ...chunks]) {
    const path = join(out, file)
    writeFileSync(path, `// @bun\n${readFileSync(path, 'utf8')}`)
  }
}

function json(value) {
  return `${JSON.stringify(value, null, 2)}\n`
}

function writeZip(path, files) {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile()
    // A fixed date keeps the zip identical for identical code.
    for (const [name, content] of Object.entries(files))
      zip.addBuffer(Buffer.from(content), name, { mtime: new Date('2026-01-01T00:00:00Z'), mode: 0o100644 })
    zip.end()
    mkdirSync(dirname(path), { recursive: true })
    zip.outputStream.pipe(createWriteStream(path)).on('close', resolve).on('error', reject)
  })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const wanted = process.argv[2]
  if (!wanted) {
    console.error(`usage: node scripts/package-platform.mjs <${PLATFORMS.join('|')}|all>`)
    process.exit(2)
  }
  try {
    for (const platform of wanted === 'all' ? PLATFORMS : [wanted]) {
      const written = await packagePlatform(platform)
      const chunks = written.filter((file) => file.includes('/chunks/')).length
      const main = written.filter((file) => !file.includes('/chunks/')).map((file) => file.slice(root.length))
      console.log(`${platform}: ${main.join(', ')}${chunks ? ` (+ ${chunks} lazy chunks)` : ''}`)
    }
  } catch (error) {
    console.error(`package: ${error.message}`)
    process.exit(1)
  }
}
