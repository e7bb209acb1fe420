// One cold run of ctflow in a fresh process (bundled by bench/engine.bench.ts, like dist/): load, validate, run the
// 1,000-state chain. Prints the milliseconds since the process started when the run is done.
import { readFileSync } from 'node:fs'

const path = process.argv[2]
const definition = JSON.parse(readFileSync(path!, 'utf8'))
{
  const { createEngine } = await import('../lib/engine/create-engine')
  const { createMemoryStore } = await import('../lib/engine/stores/memory-store')
  const engine = createEngine({ store: createMemoryStore(), workflows: { chain: definition } })
  const { run } = await engine.start({ workflow: 'chain', input: {} })
  const done = await engine.runToEnd(run.id)
  if (done.status !== 'SUCCEEDED') throw new Error(`run ${done.status}`)
}
process.stdout.write(`${performance.now()}\n`)
