import { resolve } from 'node:path'
import { createCtyunClient } from '../../lib/ctyun/client'
import { CTYUN_SERVICES, type CtyunEndpoints } from '../../lib/ctyun/endpoints'
import { createEngine } from '../../lib/engine/create-engine'
import { createMemoryStore } from '../../lib/engine/stores/memory-store'
import type { RunRecord } from '../../lib/engine/run'
import { validateWorkflow } from '../../lib/engine/validate'
import { loadWorkflows } from '../../lib/engine/workflows'
import { createProductActions } from '../../lib/jobs/product-actions'
import { startSimulator, type StartSimulatorOptions } from '../../lib/simulator/server'

export const WORKFLOWS_DIR = resolve(import.meta.dirname, '../../workflows')
export { HD1, NM8, XN1 } from '../../lib/simulator/default-fixture-ids'

/**
 * The shipped workflows, run by the real engine with the product actions, over a real signed client talking HTTP to
 * an in-process simulator, in one virtual time. What the tests of each job share.
 */
export async function startJobHarness(
  simulatorOptions: StartSimulatorOptions = {},
  {
    fetch,
    wrapFetch,
  }: { fetch?: typeof globalThis.fetch; wrapFetch?: (fetch: typeof globalThis.fetch) => typeof globalThis.fetch } = {},
) {
  const sim = await startSimulator({ port: 0, ...simulatorOptions })
  const endpoints = Object.fromEntries(CTYUN_SERVICES.map((service) => [service, sim.url])) as CtyunEndpoints
  // Retries fast, so a test with faults spends its time on the workflow, not on backoff. `fetch` lets a test watch
  // the client's requests (e.g. how many are in flight); `wrapFetch` lets it act between the client and the simulator
  // (e.g. another caller that gets there first).
  const baseFetch = fetch ?? globalThis.fetch
  const client = createCtyunClient({
    credentials: sim.credentials,
    endpoints,
    retry: { minDelayMs: 5, maxDelayMs: 20 },
    // Unpaced: the engine's waits jump the clock, so calls come far faster in real time than a real job makes them,
    // and a real-time pacer would only stretch the tests (pacing is pinned in test/scale, on one virtual clock).
    pacer: false,
    ...(fetch || wrapFetch ? { fetch: wrapFetch ? wrapFetch(baseFetch) : baseFetch } : {}),
  })
  // One virtual time for the cloud and the engine: when the engine waits (a poll delay, a Retry interval), time
  // jumps and the simulator's lifecycles move on by as much, so a test takes milliseconds of waiting, not minutes.
  const clock = {
    now: () => sim.simulator.clock.now(),
    sleep: async (ms: number) => {
      sim.simulator.clock.advance(Math.max(0, ms))
      await new Promise((resolve) => setImmediate(resolve))
    },
  }
  const engine = createEngine({
    store: createMemoryStore(),
    clock,
    actions: createProductActions(client, { now: clock.now }),
    workflows: await loadWorkflows(WORKFLOWS_DIR),
    validate: validateWorkflow,
  })
  return {
    sim,
    engine,
    client,
    /** Runs a workflow to its end; `plan` runs it as a plan (a dry run: writes are planned, not sent). */
    async run(workflow: string, input: unknown, { plan = false }: { plan?: boolean } = {}): Promise<RunRecord> {
      const { run } = await engine.start({ workflow, input, ...(plan ? { plan } : {}) })
      return engine.runToEnd(run.id)
    },
    calls: (operation?: string) => sim.simulator.calls.count(operation),
    close: () => sim.close(),
  }
}

export type JobHarness = Awaited<ReturnType<typeof startJobHarness>>
