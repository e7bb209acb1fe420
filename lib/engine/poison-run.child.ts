/**
 * The worker process the poison-run test starts again and again: it resumes due runs in the file store at
 * POISON_STORE until none of POISON_RUNS (comma-separated ids) is RUNNING, then prints `done` and exits 0. The
 * `poison` workflow's Task kills this process (SIGKILL, as the kernel's out-of-memory killer would) every time.
 */
import { createActionRegistry } from './actions/registry'
import { createEngine } from './create-engine'
import type { WorkflowDefinition } from './interpreter/definition'
import { createFileStore } from './stores/file-store'

export const poisonWorkflows: Record<string, WorkflowDefinition> = {
  poison: { StartAt: 'Eat', States: { Eat: { Type: 'Task', Resource: 'test:die', End: true } } },
  good: { StartAt: 'Fine', States: { Fine: { Type: 'Pass', Result: 'fine', End: true } } },
}

export const POISON_LEASE_MS = 300
export const POISON_MAX_ATTEMPTS = 2

async function main(): Promise<void> {
  const { POISON_STORE, POISON_RUNS } = process.env
  if (!POISON_STORE || !POISON_RUNS) throw new Error('POISON_STORE and POISON_RUNS are required')
  const store = createFileStore(POISON_STORE)
  const actions = createActionRegistry().register('test:die', {
    call: () => {
      process.stdout.write('dying\n')
      process.kill(process.pid, 'SIGKILL')
      return new Promise(() => {})
    },
  })
  const engine = createEngine({
    store,
    actions,
    workflows: poisonWorkflows,
    leaseMs: POISON_LEASE_MS,
    limits: { maxWorkerAttempts: POISON_MAX_ATTEMPTS },
  })
  const ids = POISON_RUNS.split(',')
  for (;;) {
    await engine.resumeDue({ deadline: Date.now() + 5_000 })
    const runs = await Promise.all(ids.map((id) => store.get(id)))
    if (runs.every((run) => run && run.status !== 'RUNNING')) break
    await new Promise((resolve) => setTimeout(resolve, 50)) // a lease left by a dead worker expires meanwhile
  }
  process.stdout.write('done\n')
  await store.close()
}

if (process.env.POISON_STORE) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`)
    process.exit(3)
  })
}
