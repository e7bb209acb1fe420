// What loads lazily stays lazy: the two real bundles — a Lambda function (esbuild as serverless.yml bundles it) and the
// CLI (as scripts/build.mjs bundles dist/) — are built with a metafile, and the code each start loads (the entry file
// and the chunks it imports statically) is checked against what must be left for later. A module index that
// re-exports a file loaded with import() elsewhere puts that file in a chunk the entry loads (esbuild places a file
// by what can reach it, used or not): this is the test that says so.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Metafile } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LAMBDA_BUNDLE_OPTIONS } from '../../bench/functions.bench'

const root = fileURLToPath(new URL('../..', import.meta.url))
let out: string
let lambda: Metafile
let cli: Metafile

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'ctflow-chunks-'))
  ;[lambda, cli] = await Promise.all([
    build({
      ...LAMBDA_BUNDLE_OPTIONS,
      absWorkingDir: root,
      entryPoints: ['functions/aws-lambda.ts'],
      outdir: join(out, 'lambda'),
      write: false,
      metafile: true,
    }).then((r) => r.metafile),
    // scripts/build.mjs's options.
    build({
      absWorkingDir: root,
      entryPoints: { cli: 'cli/main.ts' },
      outdir: join(out, 'cli'),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outExtension: { '.js': '.mjs' },
      write: false,
      metafile: true,
      logLevel: 'silent',
    }).then((r) => r.metafile),
  ])
}, 60_000)

afterAll(() => rmSync(out, { recursive: true, force: true }))

/** The source files and packages a start of `entry` loads: its output and the chunks it imports statically. */
function loadedAtStart(metafile: Metafile, entry: string): { files: string[]; packages: string[] } {
  const outputs = metafile.outputs
  const first = Object.keys(outputs).find((file) => outputs[file]!.entryPoint === entry)
  if (!first) throw new Error(`no output for ${entry}`)
  const seen = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const imported of outputs[file]!.imports) {
      if (imported.kind !== 'import-statement') continue
      if (imported.external) packages.add(imported.path)
      else visit(imported.path)
    }
  }
  visit(first)
  const files = [...seen].flatMap((file) => Object.keys(outputs[file]!.inputs))
  for (const file of files) if (file.startsWith('node_modules/')) packages.add(packageOf(file))
  return { files: files.filter((file) => !file.startsWith('node_modules/')).sort(), packages: [...packages].sort() }
}

function packageOf(path: string): string {
  const parts = path.replace(/^node_modules\//, '').split('/')
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!
}

const inBundle = (metafile: Metafile) =>
  new Set(Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs)))

describe('the Lambda function bundle', () => {
  // Each is loaded later, or never: the client and the actions on the first Task call, a store by CTFLOW_STORE, the
  // schema checker at the first start with input, the simulator never (`ctflow serve` only).
  const LATER = [
    /^lib\/ctyun\/(client|transport|caller|services\/)/,
    /^lib\/ctyun-actions\/(?!ctyun-action-names\.ts$)/,
    /^lib\/jobs\/(register-product-actions|product-actions|job-actions|prepare-backup|retention-plan|backup-report)\.ts$/,
    /^lib\/engine\/stores\/(memory|file|postgres)-store\.ts$/,
    /^lib\/engine\/input-schema\.ts$/,
    // The runner, the interpreter and the ASL language on the first advance (lib/engine/load-runner.ts).
    /^lib\/engine\/(runner|child-run-commands)\.ts$/,
    /^lib\/engine\/interpreter\/(?!child-runs\.ts$|machine\.ts$)/,
    /^lib\/engine\/language\/(?!states-error\.ts$|json-size\.ts$)/,
    /^lib\/engine\/validate\/(validate-workflow|index)\.ts$/,
    /^lib\/simulator\/(?!demo-credentials\.ts$)/,
    /^functions\/http\/console\//,
  ]

  it('loads none of what is loaded on demand at a cold start', () => {
    const { files, packages } = loadedAtStart(lambda, 'functions/aws-lambda.ts')
    expect(files.filter((file) => LATER.some((pattern) => pattern.test(file)))).toEqual([])
    expect(
      packages.filter((name) =>
        ['pg', '@cfworker/json-schema', '@hono/node-server', '@dagrejs/dagre', 'p-retry'].includes(name),
      ),
    ).toEqual([])
  })

  it('has those parts in its lazy chunks (so the check above looks at real files)', () => {
    const all = inBundle(lambda)
    for (const file of [
      'lib/ctyun/client.ts',
      'lib/ctyun-actions/ctyun-actions.ts',
      'lib/jobs/register-product-actions.ts',
      'lib/engine/stores/postgres-store.ts',
      'lib/engine/input-schema.ts',
      'lib/engine/runner.ts',
      'lib/engine/interpreter/interpreter.ts',
      'lib/engine/language/jsonpath.ts',
      'functions/http/console/console-app.ts',
      'functions/http/console/graph-layout.ts',
    ]) {
      expect(all.has(file), file).toBe(true)
    }
    expect(
      [...all].some((file) => file.startsWith('lib/simulator/') && file !== 'lib/simulator/demo-credentials.ts'),
    ).toBe(false)
  })
})

describe('the CLI bundle (dist/)', () => {
  const simulator = (file: string) => file.startsWith('lib/simulator/') && file !== 'lib/simulator/demo-credentials.ts'

  it('`ctflow --help` loads the command table alone', () => {
    expect(loadedAtStart(cli, 'cli/main.ts')).toEqual({ files: ['cli/command.ts', 'cli/main.ts'], packages: [] })
  })

  it('`ctflow run`, `runs`, `worker` and `validate` load neither the simulator nor Hono', () => {
    for (const command of ['run', 'runs', 'worker', 'validate']) {
      const { files, packages } = loadedAtStart(cli, `cli/commands/${command}.ts`)
      expect(files.filter(simulator), command).toEqual([])
      expect(
        files.filter((file) => file.startsWith('functions/')),
        command,
      ).toEqual([])
      expect(
        packages.filter((name) => name === 'hono' || name.startsWith('hono/') || name === '@hono/node-server'),
        command,
      ).toEqual([])
    }
  })

  it('`ctflow validate` loads the validator and the resource names, not the client, the actions or the runner', () => {
    const { files } = loadedAtStart(cli, 'cli/commands/validate.ts')
    expect(files).toEqual(
      expect.arrayContaining(['lib/engine/validate/validate-workflow.ts', 'lib/jobs/product-action-names.ts']),
    )
    const later = (file: string) =>
      file.startsWith('lib/ctyun/') ||
      (file.startsWith('lib/ctyun-actions/') && file !== 'lib/ctyun-actions/ctyun-action-names.ts') ||
      ['lib/engine/runner.ts', 'lib/jobs/product-actions.ts'].includes(file)
    expect(files.filter(later)).toEqual([])
  })

  it('`ctflow api` loads the client, not the engine or the simulator', () => {
    const { files } = loadedAtStart(cli, 'cli/commands/api.ts')
    expect(files).toContain('lib/ctyun/client.ts')
    expect(files.filter((file) => file.startsWith('lib/engine/') || simulator(file))).toEqual([])
  })
})
