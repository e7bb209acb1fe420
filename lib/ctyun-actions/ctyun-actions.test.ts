import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCtyunClient } from '../ctyun/client'
import { fail, ok } from '../ctyun/testing/test-server'
import { useClientHarness } from '../ctyun/testing/use-client-harness'
import { startSimulator, type RunningSimulator } from '../simulator/server'
import { createActionRegistry, type WorkflowDefinition } from '../engine'
import { createEngine } from '../engine/create-engine'
import { createMemoryStore } from '../engine/stores/memory-store'
import { createFakeClock } from '../engine/testing/fake-clock'
import { registerCtyunActions } from './ctyun-actions'

const REGION = 'bb9fdb42056f11eda1610242ac110002'
const DISK = '5d0c1e2f-0001-4c7a-8e4b-a1b2c3d4e501'
const DISK_DB_DATA = '5d0c1e2f-0004-4c7a-8e4b-a1b2c3d4e504'

// Real HTTP: engine → action → signed client → simulator on port 0. The engine's fake clock also moves the simulator's
// lifecycle clock, so a `.sync` wait takes no wall time.
describe('ctyun actions against the simulator', () => {
  let sim: RunningSimulator
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 })
  })
  afterAll(() => sim.close())

  function engineFor(definition: object) {
    const clock = createFakeClock(Date.now())
    const sleep = clock.sleep
    clock.sleep = async (ms: number) => {
      sim.simulator.clock.advance(ms)
      await sleep(ms)
    }
    const client = createCtyunClient({ endpoint: sim.url, credentials: sim.credentials })
    const actions = registerCtyunActions(createActionRegistry(), client)
    return createEngine({
      store: createMemoryStore(),
      actions,
      workflows: { wf: definition as WorkflowDefinition },
      clock,
    })
  }

  it('creates a snapshot with .sync: one create call, then polls until available', async () => {
    sim.simulator.reset()
    const engine = engineFor({
      StartAt: 'Snap',
      States: {
        Snap: {
          Type: 'Task',
          Resource: 'ctyun:ebs:createSnapshot.sync',
          Parameters: {
            regionID: REGION,
            diskID: DISK,
            snapshotName: 'nightly-1',
            retentionPolicy: 'custom',
            retentionTime: 7,
          },
          ResultSelector: { 'id.$': '$.snapshotID', 'status.$': '$.snapshotStatus' },
          End: true,
        },
      },
    })
    const { run } = await engine.start({ workflow: 'wf', input: {} })
    const done = await engine.runToEnd(run.id)
    expect(done.error).toBeUndefined()
    expect(done.output).toMatchObject({ status: 'available' })
    expect(sim.simulator.calls.count('ebs.createSnapshot')).toBe(1)
  })

  it('lists disks as an array and maps a missing disk to Ctyun.NotFound (catchable)', async () => {
    const engine = engineFor({
      StartAt: 'List',
      States: {
        List: {
          Type: 'Task',
          Resource: 'ctyun:ebs:listDisks',
          Parameters: { regionID: REGION },
          ResultSelector: { 'n.$': 'States.ArrayLength($)' },
          ResultPath: '$.disks',
          Next: 'Get',
        },
        Get: {
          Type: 'Task',
          Resource: 'ctyun:ebs:getDisk',
          Parameters: { regionID: REGION, diskID: 'no-such-disk' },
          Catch: [{ ErrorEquals: ['Ctyun.NotFound'], ResultPath: '$.missing', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Succeed' },
      },
    })
    const { run } = await engine.start({ workflow: 'wf', input: {} })
    const done = await engine.runToEnd(run.id)
    expect(done.status).toBe('SUCCEEDED')
    expect((done.output as any).disks.n).toBeGreaterThan(0)
    expect((done.output as any).missing.Error).toBe('Ctyun.NotFound')
  })

  it('creates an EIP with .sync (order → eipID) and executes a backup policy with .sync', async () => {
    sim.simulator.reset()
    const engine = engineFor({
      StartAt: 'Eip',
      States: {
        Eip: {
          Type: 'Task',
          Resource: 'ctyun:eip:createEip.sync',
          Parameters: { regionID: REGION, name: 'e1', cycleType: 'on_demand', bandwidth: 5 },
          ResultPath: '$.eip',
          Next: 'Backup',
        },
        Backup: {
          Type: 'Task',
          Resource: 'ctyun:cbr:executePolicy.sync',
          Parameters: { regionID: REGION, backupPolicyID: '7f3a9b2c4d5e6f708192a3b4c5d6e701' },
          ResultSelector: { 'status.$': '$.backupTaskStatusCode' },
          ResultPath: '$.backup',
          End: true,
        },
      },
    })
    const { run } = await engine.start({ workflow: 'wf', input: {} })
    const done = await engine.runToEnd(run.id)
    expect(done.error).toBeUndefined()
    expect((done.output as any).eip.eipID).toMatch(/^eip-/)
    expect((done.output as any).backup.status).toBe('Completed')
    expect(sim.simulator.calls.count('eip.create')).toBe(1)
  })

  it('never starts a second CBR backup when a resumed run re-issues execute-now (no clientToken on that API)', async () => {
    sim.simulator.reset()
    const client = createCtyunClient({ endpoint: sim.url, credentials: sim.credentials })
    // The actions keep the engine's time, which moves on with the simulator's here.
    const action = registerCtyunActions(createActionRegistry(), client, {
      now: () => sim.simulator.clock.now(),
    }).resolve('ctyun:cbr:executePolicy.sync')
    if (action?.kind !== 'sync') throw new Error('executePolicy.sync is not a sync action')
    const policy = { regionID: REGION, backupPolicyID: '7f3a9b2c4d5e6f708192a3b4c5d6e701' }
    const scheduledAt = sim.simulator.clock.now()
    const context = {
      clientToken: 't-1',
      runId: 'r',
      state: 'Backup',
      signal: new AbortController().signal,
      deadline: scheduledAt + 60_000,
      scheduledAt,
    }
    const first = (await action.start(policy, context)) as { backupTaskID: string }
    // The process dies before saving the handle; by the time another worker takes over, the backup has finished.
    sim.simulator.clock.advance(10 * 60_000)
    const again = (await action.start(policy, context)) as { backupTaskID: string }
    expect(again.backupTaskID).toBe(first.backupTaskID)
    expect(sim.simulator.calls.count('cbr.actionPolicy')).toBe(1)
    // A later attempt (scheduled after that backup) runs a new one.
    const later = (await action.start(policy, { ...context, scheduledAt: sim.simulator.clock.now() + 2 * 60_000 })) as {
      backupTaskID: string
    }
    expect(later.backupTaskID).not.toBe(first.backupTaskID)
  })

  it('a start re-executed after its create reached the cloud adopts that snapshot instead of making a second (job flow, §8.2)', async () => {
    sim.simulator.reset()
    const action = snapshotAction()
    // db-01-data has snapshots already: this create goes through a job, whose clientToken CTyun does not honour.
    const input = { regionID: REGION, diskID: DISK_DB_DATA, snapshotName: 'nightly-r', retentionPolicy: 'forever' }
    const first = (await action.start(input, context('t-1'))) as { creation: { flow: string } }
    expect(first.creation.flow).toBe('job')
    // The process dies before saving the handle; by the time another takes over, the snapshot is available.
    sim.simulator.clock.advance(60_000)
    const again = (await action.start(input, context('t-1'))) as { creation: { flow: string; snapshotID: string } }
    expect(again.creation.flow).toBe('adopted')
    // A retry (new attempt, new clientToken) adopts it too: the name is the operation's identity.
    const retried = (await action.start(input, context('t-2'))) as { creation: { snapshotID: string } }
    expect(retried.creation.snapshotID).toBe(again.creation.snapshotID)
    expect(sim.simulator.calls.count('ebs.createSnapshot')).toBe(1)
    expect(await waitUntilDone(action, again)).toMatchObject({
      snapshotID: again.creation.snapshotID,
      snapshotStatus: 'available',
    })
    expect(named('nightly-r')).toHaveLength(1)
  })

  it('a snapshot wait that finds two of its disk under its name asks the creation which one is its own', async () => {
    sim.simulator.reset()
    const action = snapshotAction()
    const input = { regionID: REGION, diskID: DISK, snapshotName: 'nightly-x', retentionPolicy: 'forever' }
    // An earlier attempt's snapshot under the same name ended in error: not adopted, so a second one is made.
    sim.simulator.faults.set({ 'ebs.createSnapshot': { lifecycleErrorRate: 1, times: 1 } })
    await expect(waitUntilDone(action, await action.start(input, context('t-1')))).rejects.toThrow('failed with status')
    sim.simulator.faults.set({})
    const creations = () => sim.simulator.calls.count('ecs.orderQueryUuid') + sim.simulator.calls.count('ecs.jobInfo')
    const before = creations()
    const handle = (await action.start(input, context('t-2'))) as { creation: unknown }
    const snapshot = (await waitUntilDone(action, handle)) as { snapshotID: string }
    expect(creations()).toBeGreaterThan(before)
    const newest = named('nightly-x').sort((a, b) => b.createdAt - a.createdAt)[0]!
    expect(named('nightly-x')).toHaveLength(2)
    expect(snapshot.snapshotID).toBe(newest.snapshotID)
  })

  it('a create refused while the disk has a snapshot deleting waits for the disk, whatever the code, then creates once', async () => {
    sim.simulator.reset()
    // Any code at all: the disk's snapshots decide, not the refusal's errorCode (§8.3).
    sim.simulator.faults.set({ 'ebs.createSnapshot': { businessErrorCode: 'Some.Unknown.Code' } })
    const action = snapshotAction()
    const fixtureSnapshot = [...sim.simulator.state.snapshots.values()].find((s) => s.diskID === DISK_DB_DATA)!
    await createCtyunClient({ endpoint: sim.url, credentials: sim.credentials }).ebs.deleteSnapshots({
      regionID: REGION,
      diskID: DISK_DB_DATA,
      snapshotIDs: [fixtureSnapshot.snapshotID],
    })
    // A deletion that takes a minute (the fast one would be over before this machine gets to the create under load).
    fixtureSnapshot.deleted!.lifecycle.phases[0]!.ms = 60_000
    const input = { regionID: REGION, diskID: DISK_DB_DATA, snapshotName: 'after-prune', retentionPolicy: 'forever' }
    const handle = (await action.start(input, context('t-b'))) as { blocked?: { status: string; refusal: string } }
    expect(handle.blocked?.status).toBe(`snapshot ${fixtureSnapshot.snapshotID} deleting`)
    expect(handle.blocked?.refusal).toContain('Some.Unknown.Code')
    // The plain form does not wait: a busy disk fails it.
    const plain = registerCtyunActions(
      createActionRegistry(),
      createCtyunClient({ endpoint: sim.url, credentials: sim.credentials }),
    ).resolve('ctyun:ebs:createSnapshot')
    if (plain?.kind !== 'call') throw new Error('createSnapshot is not a call')
    await expect(plain.call({ ...input, snapshotName: 'plain-1' }, context('t-p'))).rejects.toMatchObject({
      errorCode: 'Some.Unknown.Code',
    })
    expect(sim.simulator.calls.count('ebs.createSnapshot')).toBe(2)
    expect(await waitUntilDone(action, handle, 50, 't-b')).toMatchObject({
      snapshotName: 'after-prune',
      snapshotStatus: 'available',
    })
    expect(sim.simulator.calls.count('ebs.createSnapshot')).toBe(3)
    expect(named('after-prune')).toHaveLength(1)
  })

  it('a disk busy for longer than the bound fails the create with the disk and its snapshot named', async () => {
    sim.simulator.reset()
    const action = snapshotAction()
    const input = { regionID: REGION, diskID: DISK_DB_DATA, snapshotName: 'stuck', retentionPolicy: 'forever' }
    // A snapshot of the disk that never stops creating.
    const stuck = [...sim.simulator.state.snapshots.values()].find((s) => s.diskID === DISK_DB_DATA)!
    stuck.lifecycle = {
      startedAt: sim.simulator.clock.now(),
      phases: [{ status: 'creating', ms: 24 * 3_600_000 }],
      final: 'available',
    }
    const handle = await action.start(input, context('t-s'))
    await expect(waitUntilDone(action, handle, 200)).rejects.toThrow(
      `disk ${DISK_DB_DATA} failed with status "busy: snapshot ${stuck.snapshotID} creating": still busy after 20 min`,
    )
    expect(sim.simulator.calls.count('ebs.createSnapshot')).toBe(1)
  })

  it('a snapshot wait saved before waits shared a listing (no disk or name in its handle) still ends by its id', async () => {
    sim.simulator.reset()
    const action = registerCtyunActions(
      createActionRegistry(),
      createCtyunClient({ endpoint: sim.url, credentials: sim.credentials }),
    ).resolve('ctyun:ebs:createSnapshot.sync')
    if (action?.kind !== 'sync') throw new Error('createSnapshot.sync is not a sync action')
    const context = {
      clientToken: 't-3',
      runId: 'r',
      state: 'Snap',
      signal: new AbortController().signal,
      deadline: Date.now() + 60_000,
    }
    const { regionID, creation } = (await action.start(
      { regionID: REGION, diskID: DISK, snapshotName: 'nightly-y', retentionPolicy: 'forever' },
      context,
    )) as { regionID: string; creation: unknown }
    const snapshot = (await waitUntilDone(action, { regionID, creation })) as {
      snapshotName: string
      snapshotStatus: string
    }
    expect(snapshot).toMatchObject({ snapshotName: 'nightly-y', snapshotStatus: 'available' })
    expect(sim.simulator.calls.count('ecs.orderQueryUuid') + sim.simulator.calls.count('ecs.jobInfo')).toBeGreaterThan(
      0,
    )
  })

  type SyncAction = Extract<ReturnType<ReturnType<typeof createActionRegistry>['resolve']>, { kind: 'sync' }>

  function snapshotAction(): SyncAction {
    const action = registerCtyunActions(
      createActionRegistry(),
      createCtyunClient({ endpoint: sim.url, credentials: sim.credentials }),
    ).resolve('ctyun:ebs:createSnapshot.sync')
    if (action?.kind !== 'sync') throw new Error('createSnapshot.sync is not a sync action')
    return action
  }
  const context = (clientToken: string) => ({
    clientToken,
    runId: 'r',
    state: 'Snap',
    signal: new AbortController().signal,
    deadline: Date.now() + 60_000,
  })
  const named = (name: string) => [...sim.simulator.state.snapshots.values()].filter((s) => s.snapshotName === name)

  /** Probes as the engine would (the probe gets the start's clientToken), moving the simulator's clock by each asked delay. */
  async function waitUntilDone(
    action: SyncAction,
    start: unknown,
    polls = 50,
    clientToken = 'probe',
  ): Promise<unknown> {
    let handle = start
    const context = {
      clientToken,
      runId: 'r',
      state: 'Snap',
      signal: new AbortController().signal,
      deadline: Date.now() + 60_000,
    }
    for (let poll = 0; poll < polls; poll++) {
      const outcome = await action.probe(handle, context)
      if (outcome.state === 'done') return outcome.value
      if (outcome.state === 'failed') throw new Error(outcome.status)
      if (outcome.handle !== undefined) handle = outcome.handle
      sim.simulator.clock.advance(outcome.pollAfterMs ?? 1_000)
    }
    throw new Error(`still pending after ${polls} polls`)
  }
})

// An order that says 3 (完成) but never lists the resource's id is polled 3 more times, then fails (TF OrderLoop, §8.9),
// in the engine's waits too: the count lives in the wait's handle, so it survives a suspension.
describe('an order done without resource ids', () => {
  const h = useClientHarness()
  const context = {
    clientToken: 'tok-1',
    runId: 'r',
    state: 'S',
    signal: new AbortController().signal,
    deadline: Date.now() + 60_000,
  }

  async function probeUntilSettled(
    resource: string,
    input: Record<string, unknown>,
  ): Promise<{ polls: number; error: unknown }> {
    const action = registerCtyunActions(createActionRegistry(), h.client).resolve(resource)
    if (action?.kind !== 'sync') throw new Error(`${resource} is not a sync action`)
    let handle: unknown = await action.start(input, context)
    for (let polls = 1; polls <= 20; polls++) {
      try {
        const outcome = await action.probe(handle, context)
        if (outcome.state !== 'pending') return { polls, error: undefined }
        handle = outcome.handle ?? handle
      } catch (error) {
        return { polls, error }
      }
    }
    return { polls: 20, error: undefined }
  }

  const orderDoneWithoutIds = ok({ orderStatus: '3', instanceIDList: [] })

  it('fails a snapshot wait after 3 more polls, naming the order', async () => {
    h.route({
      '/v4/ebs_snapshot/create-ebs-snap': fail('ebs.order.inProgress', '订单处理中', {
        returnObj: { masterOrderID: 'mo-1', masterOrderNO: 'no-1', regionID: 'r1' },
      }),
      '/v4/ebs_snapshot/list-ebs-snap': ok({ snapshotList: [] }),
      '/v4/ecs/order/query-uuid': orderDoneWithoutIds,
    })
    const { error } = await probeUntilSettled('ctyun:ebs:createSnapshot.sync', {
      regionID: 'r1',
      diskID: 'd-1',
      snapshotName: 'nightly-1',
      retentionPolicy: 'forever',
    })
    expect(error).toMatchObject({ name: 'CtyunResourceFailedError', message: expect.stringContaining('mo-1') })
    expect(h.sent('/v4/ecs/order/query-uuid')).toHaveLength(4)
  })

  it('fails an EIP create wait after 3 more polls', async () => {
    h.route({
      '/v4/eip/create': fail('Openapi.Order.Inprogress', '订单处理中', { returnObj: { masterOrderID: 'mo-2' } }),
      '/v4/ecs/order/query-uuid': orderDoneWithoutIds,
    })
    const { error } = await probeUntilSettled('ctyun:eip:createEip.sync', {
      regionID: 'r1',
      name: 'eip-a',
      cycleType: 'on_demand',
    })
    expect(error).toMatchObject({
      name: 'CtyunResourceFailedError',
      message: expect.stringContaining('no resource ids on 4 polls'),
    })
    expect(h.sent('/v4/ecs/order/query-uuid')).toHaveLength(4)
  })
})
