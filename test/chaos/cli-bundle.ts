import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'

const ROOT = resolve(import.meta.dirname, '../..')

/**
 * Bundles the CLI (cli/main.ts, what bin/ctflow.mjs runs from dist/) into a private file for this test process, so
 * child processes start as fast as `npx ctflow` does without rewriting the shared dist/ that other tests may be
 * running. Placed under node_modules/.cache so the external packages (pg, hono, …) resolve from the repo.
 *
 * @example const cli = await bundleCli(); spawn(process.execPath, [cli, 'worker'])
 */
export async function bundleCli(): Promise<string> {
  const outdir = join(ROOT, 'node_modules', '.cache', 'ctflow-chaos', String(process.pid))
  mkdirSync(outdir, { recursive: true })
  const outfile = join(outdir, 'ctflow.mjs')
  await build({
    stdin: {
      contents: `import { main } from './cli/main.ts'\nprocess.exitCode = await main(process.argv.slice(2))\n`,
      resolveDir: ROOT,
      sourcefile: 'chaos-cli-entry.ts',
      loader: 'ts',
    },
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  })
  return outfile
}
