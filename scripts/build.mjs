// Bundles the CLI into dist/ so `npx ctflow` starts fast (no TypeScript loader at run time).
// Runs on `npm ci` (prepare), before `npm test` (pretest) and before `npm run bench`.
import { build } from 'esbuild'

await build({
  entryPoints: { cli: 'cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true, // each command is a lazy chunk: `ctflow run` does not load the simulator or Hono
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  logLevel: 'warning',
})
