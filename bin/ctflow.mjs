#!/usr/bin/env node
// Entry of `npx ctflow`: runs the bundle that `npm ci` (prepare) builds into dist/.
import { existsSync } from 'node:fs'

const bundle = new URL('../dist/cli.mjs', import.meta.url)
if (!existsSync(bundle)) {
  console.error('ctflow is not built yet: run `npm run build` (npm ci does it for you).')
  process.exit(2)
}
const { main } = await import(bundle.href)
process.exitCode = await main(process.argv.slice(2))
