// `npm run bench`: runs every bench/<area>.bench.ts (or those named on the command line) and prints one table.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { BenchReport } from './report'

const dir = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
  .sort()

const reports: BenchReport[] = []
for (const file of files) {
  process.stderr.write(`bench: ${file} …\n`)
  const { run } = (await import(new URL(file, import.meta.url).href)) as { run: () => Promise<BenchReport> }
  const report = await run()
  reports.push(report)
  print(report)
}
mkdirSync(new URL('results/', import.meta.url), { recursive: true })
writeFileSync(
  new URL('results/latest.json', import.meta.url),
  JSON.stringify({ at: new Date().toISOString(), reports }, null, 2),
)

function print(report: BenchReport): void {
  console.log(`\n## ${report.area}`)
  for (const row of report.rows) {
    const ratio = row.ratio ? `  ${row.ratio.value.toFixed(2)}× ${row.ratio.against}` : ''
    const target = row.target ? `  target ${row.target}${row.pass === undefined ? '' : row.pass ? ' ✓' : ' ✗'}` : ''
    console.log(`- ${row.name}: ${format(row.median)} ${row.unit}${ratio}${target}`)
  }
  for (const note of report.notes ?? []) console.log(`  note: ${note}`)
}

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3)
}
