import { createEngine } from '../../lib/engine/create-engine'
import { createMachine } from '../../lib/engine/interpreter/machine'
import { createPostgresStore } from '../../lib/engine/stores/postgres-store'
import { percentile } from '../../bench/measure'
import { PG_URL, withClient } from '../../lib/engine/testing/pg-schemas'
import { startWorkerProcesses } from './worker-processes'

export const PICKUP_WORKFLOW = { StartAt: 'Picked', States: { Picked: { Type: 'Pass', End: true } } }

export interface PickupOptions {
  cli: string
  /** A directory holding `pickup.json` (PICKUP_WORKFLOW), the workers' --workflows. */
  workflowsDir: string
  schema: string
  workers: number
  /** Extra `ctflow worker` arguments, e.g. ['--interval', '250']. */
  workerArgs?: string[]
  runs: number
  /** Runs become due at uniformly random instants over this many ms. */
  spreadMs: number
  /**
   * `new`: each run is created at its instant (due at once, like a webhook start); `suspended`: all are created up
   * front with resumeAt at their instants (like runs waking from a Wait or a poll delay).
   */
  mode?: 'new' | 'suspended'
}

export interface PickupResult {
  p50: number
  p99: number
  max: number
  runs: number
}

/**
 * Pick-up latency of real `ctflow worker` processes on PostgreSQL: runs become due at random instants while the
 * workers idle; the delay is from the run's due time (created with resumeAt = now) to the worker's first saved
 * transition (its `at`, stamped when the worker stepped the run right after claiming it). Same clock: one machine.
 */
export async function measurePickup(options: PickupOptions): Promise<PickupResult> {
  const store = await createPostgresStore({ connectionString: PG_URL, schema: options.schema, poolMax: 2 })
  const engine = createEngine({ store, workflows: { pickup: PICKUP_WORKFLOW as never } })
  const workers = startWorkerProcesses(options.workers, {
    cli: options.cli,
    cwd: options.workflowsDir,
    args: ['worker', '--workflows', options.workflowsDir, '--quiet', ...(options.workerArgs ?? [])],
    env: { PATH: process.env.PATH ?? '', CTFLOW_STORE: PG_URL, CTFLOW_STORE_SCHEMA: options.schema },
  })
  try {
    await waitUntilIdleWorkers(options.schema, workers.tails, options.workers)
    const instants = Array.from({ length: options.runs }, () => Math.random() * options.spreadMs).sort((a, b) => a - b)
    const ids: string[] = []
    const dueAt = new Map<string, number>()
    if (options.mode === 'suspended') {
      const begin = Date.now() + 1_000
      for (const [i, instant] of instants.entries()) {
        const at = new Date(begin + instant)
        const id = `suspended-${i}`
        await store.create({
          id,
          workflow: 'pickup',
          input: {},
          machine: createMachine('Picked', {}, Date.now()),
          resumeAt: at,
          now: new Date(),
          events: [],
        })
        ids.push(id)
        dueAt.set(id, at.getTime())
      }
    } else {
      const begin = Date.now()
      for (const instant of instants) {
        const wait = begin + instant - Date.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        const { run } = await engine.start({ workflow: 'pickup', input: {} })
        ids.push(run.id)
        dueAt.set(run.id, run.createdAt.getTime())
      }
    }
    const deadline = Date.now() + 30_000
    for (;;) {
      const rows = await withClient(
        async (client) =>
          (await client.query(`SELECT count(*) AS n FROM "${options.schema}".runs WHERE status = 'RUNNING'`)).rows,
      )
      if (Number(rows[0]!.n) === 0) break
      if (Date.now() > deadline) throw new Error('runs were not picked up within 30 s')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    // The first event the worker saved (seq 1 is ExecutionStarted for started runs; suspended ones were made bare).
    const delays = await withClient(async (client) => {
      const { rows } = await client.query<{ id: string; picked: string }>(
        `SELECT r.id, min(h.at) AS picked FROM "${options.schema}".runs r
         JOIN "${options.schema}".run_history h ON h.run_id = r.id AND h.type <> 'ExecutionStarted' GROUP BY r.id`,
      )
      return rows.map((row) => Date.parse(row.picked) - dueAt.get(row.id)!)
    })
    if (delays.length !== ids.length) throw new Error(`measured ${delays.length} of ${ids.length} runs`)
    return { p50: percentile(delays, 50), p99: percentile(delays, 99), max: Math.max(...delays), runs: delays.length }
  } finally {
    await workers.stopAll()
    await store.close()
  }
}

/** Waits until every worker printed its start line (store opened, first pass under way). */
async function waitUntilIdleWorkers(_schema: string, tails: string[][], count: number): Promise<void> {
  const deadline = Date.now() + 20_000
  while (tails.filter((lines) => lines.some((line) => line.startsWith('ctflow worker:'))).length < count) {
    if (Date.now() > deadline) throw new Error(`workers did not start: ${JSON.stringify(tails)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
