import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCtyunClient } from '../../ctyun/client'
import { startSimulator, type RunningSimulator } from '../../simulator/server'
import { createEngine } from '../create-engine'
import type { WorkflowDefinition } from '../interpreter/definition'
import { createMemoryStore } from '../stores/memory-store'
import { createFakeClock } from '../testing/fake-clock'
import { registerCtyunActions } from './ctyun-actions'
import { createActionRegistry, type ProbeOutcome } from './registry'

const REGION = 'bb9fdb42056f11eda1610242ac110002'
const POLICY = '7f3a9b2c4d5e6f708192a3b4c5d6e701'
const DISK = '5d0c1e2f-0001-4c7a-8e4b-a1b2c3d4e501'

const oneTask = (resource: string, parameters: object) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, Parameters: parameters, End: true } } })

describe('engine: a probe may say when to poll next (pollAfterMs)', () => {
  it('polls at the hinted times, and falls back to the schedule on a hint it cannot use', async () => {
    const hints = [7_000, Number.NaN, -1, 12_000]
    const probedAt: number[] = []
    const clock = createFakeClock(0)
    const actions = createActionRegistry().register('test:wait', {
      start: () => ({}),
      probe: (): ProbeOutcome => {
        probedAt.push(clock.now())
        const hint = hints.shift()
        return probedAt.length > 4 ? { state: 'done', status: 'ok', value: 1 } : { state: 'pending', status: `p${probedAt.length}`, pollAfterMs: hint }
      },
      pollDelayMs: () => 1_000,
    })
    const engine = createEngine({ store: createMemoryStore(), actions, workflows: { wf: oneTask('test:wait.sync', {}) as WorkflowDefinition }, clock })
    const { run } = await engine.start({ workflow: 'wf', input: {} })
    expect((await engine.runToEnd(run.id)).status).toBe('SUCCEEDED')
    expect(probedAt).toEqual([0, 7_000, 8_000, 9_000, 21_000])
  })
})

// Realistic durations in virtual time: the engine's clock also moves the simulator's lifecycle clock.
describe('ctyun .sync waits with realistic durations (virtual time)', () => {
  let sim: RunningSimulator
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, durations: 'realistic' })
  })
  afterAll(() => sim.close())

  async function runOne(definition: object) {
    sim.simulator.reset()
    const clock = { now: () => sim.simulator.clock.now(), sleep: async (ms: number) => sim.simulator.clock.advance(ms) }
    const client = createCtyunClient({ endpoint: sim.url, credentials: sim.credentials })
    const engine = createEngine({ store: createMemoryStore(), actions: registerCtyunActions(createActionRegistry(), client), workflows: { wf: definition as WorkflowDefinition }, clock })
    const startedAt = clock.now()
    const { run } = await engine.start({ workflow: 'wf', input: {} })
    const done = await engine.runToEnd(run.id)
    return { done, ms: clock.now() - startedAt }
  }

  it('a CBR task is followed by its percent: seen within 1.1× its duration, in far fewer polls than every few seconds', async () => {
    const { done, ms } = await runOne(oneTask('ctyun:cbr:executePolicy.sync', { regionID: REGION, backupPolicyID: POLICY }))
    expect(done.status).toBe('SUCCEEDED')
    const { backupPreparingMs, backupExecutingMs } = sim.simulator.durations
    expect(ms).toBeGreaterThanOrEqual(backupPreparingMs + backupExecutingMs)
    expect(ms).toBeLessThanOrEqual(1.1 * (backupPreparingMs + backupExecutingMs))
    // 1 look for a running task before executing + the polls (the fixed 1 s → ×1.5 → 30 s schedule made 16).
    expect(sim.simulator.calls.count('cbr.listTasks')).toBeLessThanOrEqual(12)
  })

  it('a snapshot is timed from its create: no call right after it, the id and `available` seen within 1.5× the lifecycle', async () => {
    const { done, ms } = await runOne(oneTask('ctyun:ebs:createSnapshot.sync', { regionID: REGION, diskID: DISK, snapshotName: 'nightly-1', retentionPolicy: 'forever' }))
    expect(done.status).toBe('SUCCEEDED')
    const { orderMs, jobMs, snapshotMs } = sim.simulator.durations
    const lifecycle = Math.max(orderMs, jobMs) + snapshotMs
    expect(ms).toBeLessThanOrEqual(1.5 * lifecycle)
    const creationPolls = sim.simulator.calls.count('ecs.orderQueryUuid') + sim.simulator.calls.count('ecs.jobInfo')
    expect(creationPolls).toBeGreaterThanOrEqual(1)
    expect(creationPolls).toBeLessThanOrEqual(5)
    expect(sim.simulator.calls.count('ebs.listSnapshots')).toBeLessThanOrEqual(6)
  })
})
