import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleCli } from './cli-bundle'
import { testSchemas } from '../../lib/engine/testing/pg-schemas'
import { measurePickup, PICKUP_WORKFLOW } from './pickup-latency'

// The pickup target: a run that becomes due is picked up by a `ctflow worker` (default settings) within 1 s at p99.
const schemas = testSchemas('pickup')
let cli: string
let dir: string
beforeAll(async () => {
  cli = await bundleCli()
  dir = await mkdtemp(join(tmpdir(), 'ctflow-pickup-'))
  await writeFile(join(dir, 'pickup.json'), JSON.stringify(PICKUP_WORKFLOW))
}, 60_000)
afterAll(async () => {
  await schemas.dropAll()
  await rm(dir, { recursive: true, force: true })
  if (cli) await rm(dirname(cli), { recursive: true, force: true })
})

describe('pick-up latency of ctflow worker processes on PostgreSQL', () => {
  it.each([
    [1, 'new'],
    [4, 'new'],
    [2, 'suspended'],
  ] as const)(
    '%i idle worker(s), default settings, %s runs: p99 under 1 s',
    async (workers, mode) => {
      const result = await measurePickup({
        cli,
        workflowsDir: dir,
        schema: schemas.fresh(),
        workers,
        runs: 100,
        spreadMs: 10_000,
        mode,
      })
      console.info(
        `pick-up, ${workers} worker(s), ${mode} runs: p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, max ${result.max.toFixed(0)} ms (${result.runs} runs over 10 s)`,
      )
      expect(result.runs).toBe(100)
      expect(result.p99).toBeLessThan(1_000)
    },
    60_000,
  )
})
