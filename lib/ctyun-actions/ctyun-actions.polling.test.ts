import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCtyunClient } from '../ctyun/client'
import { startSimulator, type RunningSimulator } from '../simulator/server'
import { createActionRegistry, type ProbeOutcome, type WorkflowDefinition } from '../engine'
import { createEngine } from '../engine/create-engine'
import { createMemoryStore } from '../engine/stores/memory-store'
import { createFakeClock } from '../engine/testing/fake-clock'
import { createVirtualClock } from '../engine/testing/virtual-clock'
import {
  DISK_DB_DATA,
  DISK_WEB_DATA,
  DISK_WEB_SYSTEM,
  HD1 as REGION,
  POLICY_DB,
  POLICY_WEB,
} from '../simulator/default-fixture-ids'
import { registerCtyunActions } from './ctyun-actions'

const POLICY = POLICY_WEB
const DISK = DISK_WEB_SYSTEM

const oneTask = (resource: string, parameters: object) => ({
  StartAt: 'T',
  States: { T: { Type: 'Task', Resource: resource, Parameters: parameters, End: true } },
})

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
        return probedAt.length > 4
          ? { state: 'done', status: 'ok', value: 1 }
          : { state: 'pending', status: `p${probedAt.length}`, pollAfterMs: hint }
      },
      pollDelayMs: () => 1_000,
    })
    const engine = createEngine({
      store: createMemoryStore(),
      actions,
      workflows: { wf: oneTask('test:wait.sync', {}) as WorkflowDefinition },
      clock,
    })
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

  async function runOne({ input = {}, ...definition }: object & { input?: object }) {
    sim.simulator.reset()
    // Discrete-event time: the clock moves only when no request is in flight, so the Map items' concurrent waits poll
    // at the virtual instants they would in reality and the call counts do not depend on this machine's load.
    const clock = createVirtualClock(sim.simulator.clock)
    const client = createCtyunClient({ endpoint: sim.url, credentials: sim.credentials, fetch: clock.fetch })
    const actions = registerCtyunActions(createActionRegistry(), client, { now: clock.now })
    const engine = createEngine({
      store: createMemoryStore(),
      actions,
      workflows: { wf: definition as WorkflowDefinition },
      clock,
    })
    const startedAt = clock.now()
    const { run } = await engine.start({ workflow: 'wf', input })
    const done = await engine.runToEnd(run.id)
    return { done, ms: clock.now() - startedAt }
  }

  it('a CBR task is followed by its percent: seen within 1.1× its duration, in far fewer polls than every few seconds', async () => {
    const { done, ms } = await runOne(
      oneTask('ctyun:cbr:executePolicy.sync', { regionID: REGION, backupPolicyID: POLICY }),
    )
    expect(done.status).toBe('SUCCEEDED')
    const { backupPreparingMs, backupExecutingMs } = sim.simulator.durations
    expect(ms).toBeGreaterThanOrEqual(backupPreparingMs + backupExecutingMs)
    expect(ms).toBeLessThanOrEqual(1.1 * (backupPreparingMs + backupExecutingMs))
    // 1 look for a running task before executing + the polls (the fixed 1 s → ×1.5 → 30 s schedule made 16).
    expect(sim.simulator.calls.count('cbr.listTasks')).toBeLessThanOrEqual(12)
  })

  it('a snapshot is timed from its create and found by its name: no call right after it, `available` seen within 1.5× the lifecycle', async () => {
    const { done, ms } = await runOne(
      oneTask('ctyun:ebs:createSnapshot.sync', {
        regionID: REGION,
        diskID: DISK,
        snapshotName: 'nightly-1',
        retentionPolicy: 'forever',
      }),
    )
    expect(done.status).toBe('SUCCEEDED')
    expect(done.output).toMatchObject({ snapshotName: 'nightly-1', diskID: DISK, snapshotStatus: 'available' })
    const { orderMs, jobMs, snapshotMs } = sim.simulator.durations
    const lifecycle = Math.max(orderMs, jobMs) + snapshotMs
    expect(ms).toBeLessThanOrEqual(1.5 * lifecycle)
    // The listing by name gives the snapshot's id and status: the order needs no poll of its own.
    expect(sim.simulator.calls.count('ecs.orderQueryUuid') + sim.simulator.calls.count('ecs.jobInfo')).toBe(0)
    expect(sim.simulator.calls.count('ebs.listSnapshots')).toBeLessThanOrEqual(7)
  })

  it('the snapshots of one name on several disks are polled through one listing, as often as one snapshot alone', async () => {
    const { done } = await runOne(
      overDisks('ctyun:ebs:createSnapshot.sync', [DISK_WEB_SYSTEM, DISK_WEB_DATA, DISK_DB_DATA], {
        regionID: REGION,
        snapshotName: 'nightly-2',
        retentionPolicy: 'forever',
      }),
    )
    expect(done.status).toBe('SUCCEEDED')
    expect(
      (done.output as Array<{ diskID: string; snapshotStatus: string }>).map((s) => [s.diskID, s.snapshotStatus]),
    ).toEqual([
      [DISK_WEB_SYSTEM, 'available'],
      [DISK_WEB_DATA, 'available'],
      [DISK_DB_DATA, 'available'],
    ])
    expect(sim.simulator.calls.count('ebs.createSnapshot')).toBe(3)
    expect(sim.simulator.calls.count('ecs.orderQueryUuid') + sim.simulator.calls.count('ecs.jobInfo')).toBe(0)
    expect(sim.simulator.calls.count('ebs.listSnapshots')).toBeLessThanOrEqual(8)
  })

  it('the CBR tasks of one region share their listings: two backups cost one look before executing and one poll a round', async () => {
    const { done } = await runOne(overPolicies([POLICY_WEB, POLICY_DB]))
    expect(done.status).toBe('SUCCEEDED')
    expect((done.output as Array<{ backupTaskStatusCode: string }>).map((t) => t.backupTaskStatusCode)).toEqual([
      'Completed',
      'Completed',
    ])
    expect(sim.simulator.calls.count('cbr.actionPolicy')).toBe(2)
    // A round is two listings filtered by status (Preparing, Executing: they stay as short as the backups running,
    // whatever the region's history), shared by both waits: a few more calls than one wait alone, never twice as many.
    expect(sim.simulator.calls.count('cbr.listTasks')).toBeLessThanOrEqual(16)
  })
})

/** A Map of `resource` over disks, all under one snapshot name. */
function overDisks(resource: string, disks: string[], parameters: object) {
  return {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.disks',
        ItemSelector: { 'diskID.$': '$$.Map.Item.Value' },
        ItemProcessor: {
          StartAt: 'T',
          States: {
            T: { Type: 'Task', Resource: resource, Parameters: { ...parameters, 'diskID.$': '$.diskID' }, End: true },
          },
        },
        End: true,
      },
    },
    input: { disks },
  }
}

/** A Map running each CBR policy now (as the nightly job's RunPolicy does, with the policy's name and instance). */
function overPolicies(policyIDs: string[]) {
  return {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.policies',
        ItemProcessor: {
          StartAt: 'T',
          States: {
            T: {
              Type: 'Task',
              Resource: 'ctyun:cbr:executePolicy.sync',
              Parameters: { regionID: REGION, 'backupPolicyID.$': '$' },
              End: true,
            },
          },
        },
        End: true,
      },
    },
    input: { policies: policyIDs },
  }
}
