// Plan runs (dry runs) of the shipped jobs on the simulator: every read is real, no write is sent (the simulator's
// call log, by method and path, holds reads only), and the output says what the run would have done.
import { afterEach, describe, expect, it } from 'vitest'
import type { SimCall } from '../../lib/simulator/calls'
import { DB01, DISK_DB_DATA, PRIVATE_IMAGE, SPARE_EIP } from '../../lib/simulator/default-fixture-ids'
import { HD1, NM8, XN1, startJobHarness, type JobHarness } from './job-harness'

let harness: JobHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

/**
 * The calls that read: every GET, and the POSTs CTyun uses for queries. Anything else the simulator saw is a write.
 * Listed by method and path, so a write sent by a path nobody thought of fails the test too.
 */
const READ_POSTS = new Set(['POST /v4/ecs/list-instances', 'POST /v4/ecs/details-instance'])
const isRead = (call: SimCall) => call.method === 'GET' || READ_POSTS.has(`${call.method} ${call.path}`)
const callsSeen = (h: JobHarness) => h.sim.simulator.calls.snapshot().recent.map((c) => `${c.method} ${c.path}`)
function expectReadsOnly(h: JobHarness, { reads = true } = {}): void {
  const { recent, total } = h.sim.simulator.calls.snapshot()
  expect(recent.length).toBe(total) // the log holds every call
  if (reads) expect(total).toBeGreaterThan(0) // the reads did happen
  expect(recent.filter((call) => !isRead(call)).map((c) => `${c.method} ${c.path}`)).toEqual([])
}

describe('plan runs of the shipped jobs', () => {
  it('snapshot-then-backup: reads for real, sends no write, and reports what it would create, back up and delete', async () => {
    harness = await startJobHarness()
    const stateBefore = JSON.stringify([...harness.sim.simulator.state.snapshots.keys()])
    const run = await harness.run(
      'snapshot-then-backup',
      { regionID: HD1, disks: { label: { key: 'backup', value: 'nightly' } }, retention: { maxAgeDays: 7 } },
      { plan: true },
    )
    expect(run.error).toBeUndefined()
    expect(run.status).toBe('SUCCEEDED')
    expect(run.plan).toBe(true)
    expectReadsOnly(harness)
    expect(callsSeen(harness)).toContain('GET /v4/ebs_snapshot/list-ebs-snap') // the prune plan read the real list
    expect(JSON.stringify([...harness.sim.simulator.state.snapshots.keys()])).toBe(stateBefore)
    const report = run.output as {
      disks: Array<{ diskID: string; snapshotID: string; pruned: string[]; backup: { result: string } }>
      plan: {
        disks: Array<{
          diskID: string
          createSnapshot: boolean
          runBackupPolicy: string | null
          deleteSnapshots: string[]
        }>
        wouldCreate: number
        wouldBackUp: number
        wouldDelete: number
      }
    }
    expect(report.disks.every((d) => d.snapshotID.startsWith('planned-snapshot-'))).toBe(true)
    expect(report.plan).toMatchObject({ wouldCreate: 3, wouldBackUp: 2, wouldDelete: 2 })
    const db = report.plan.disks.find((d) => d.diskID === DISK_DB_DATA)!
    // The same two old snapshots a real run deletes (test/workflows/snapshot-then-backup.test.ts).
    expect(db.deleteSnapshots.sort()).toEqual([
      '9e8d7c6b-0003-4a5b-9c8d-7e6f5a4b3c03',
      '9e8d7c6b-0004-4a5b-9c8d-7e6f5a4b3c04',
    ])
    expect(db.runBackupPolicy).toEqual(expect.any(String))
  })

  it('image-copy: checks the image and destinations for real, copies nothing, returns the planned copies', async () => {
    harness = await startJobHarness()
    const imagesBefore = harness.sim.simulator.state.images.size
    const run = await harness.run(
      'image-copy',
      { regionID: HD1, imageID: PRIVATE_IMAGE, destinations: [NM8, XN1] },
      { plan: true },
    )
    expect(run.error).toBeUndefined()
    expectReadsOnly(harness)
    expect(harness.sim.simulator.state.images.size).toBe(imagesBefore)
    const output = run.output as { copies: Array<{ regionID: string; imageID: string }> }
    expect(output.copies.map((c) => c.regionID)).toEqual([NM8, XN1])
    expect(output.copies.every((c) => c.imageID.startsWith('planned-image-'))).toBe(true)
  })

  it('eip-bind: creates and binds nothing, and says it would create an EIP and bind it', async () => {
    harness = await startJobHarness()
    const eipsBefore = harness.sim.simulator.state.eips.size
    const run = await harness.run('eip-bind', { regionID: HD1, instanceID: DB01 }, { plan: true })
    expect(run.error).toBeUndefined()
    expectReadsOnly(harness, { reads: false }) // creating and binding a new EIP reads nothing first
    expect(harness.sim.simulator.state.eips.size).toBe(eipsBefore)
    expect(run.output).toMatchObject({ instanceID: DB01, created: true, eipID: expect.stringMatching(/^planned-eip-/) })
  })

  it('eip-bind with an EIP given: reads it, binds nothing, and says it would bind that address', async () => {
    harness = await startJobHarness()
    const before = JSON.stringify(harness.sim.simulator.state.eips.get(SPARE_EIP))
    const run = await harness.run('eip-bind', { regionID: HD1, instanceID: DB01, eipID: SPARE_EIP }, { plan: true })
    expect(run.error).toBeUndefined()
    expectReadsOnly(harness)
    expect(JSON.stringify(harness.sim.simulator.state.eips.get(SPARE_EIP))).toBe(before)
    expect(run.output).toEqual({ eipID: SPARE_EIP, eipAddress: '36.111.10.22', instanceID: DB01, created: false })
  })

  it('dr-copy: reads the disks, destinations and existing DR images, makes nothing, reports what it would do', async () => {
    harness = await startJobHarness()
    // A real night first, so the plan has an old image to delete with keepLast 1.
    const input = { regionID: HD1, sources: { diskIDs: [DISK_DB_DATA] }, destinations: [NM8, XN1], keepLast: 1 }
    expect((await harness.run('dr-copy', input)).status).toBe('SUCCEEDED')
    harness.sim.simulator.calls.clear()
    const before = JSON.stringify([...harness.sim.simulator.state.images.keys()].sort())
    const run = await harness.run('dr-copy', input, { plan: true })
    expect(run.error).toBeUndefined()
    expect(run.plan).toBe(true)
    expectReadsOnly(harness)
    expect(callsSeen(harness)).toContain('GET /v4/image/list') // the prune plan read the real images
    expect(JSON.stringify([...harness.sim.simulator.state.images.keys()].sort())).toBe(before)
    const report = run.output as {
      sources: Array<{ imageID: string; destinations: Array<{ regionID: string; status: string }> }>
      plan: {
        sources: Array<{ copyTo: string[]; delete: Array<{ regionID: string }> }>
        wouldCreate: number
        wouldCopy: number
        wouldDelete: number
      }
    }
    expect(report.sources[0]!.imageID).toMatch(/^planned-image-/)
    expect(report.sources[0]!.destinations.map((d) => d.status)).toEqual(['planned', 'planned'])
    // The new image and its copies would replace last night's in each of the three regions.
    expect(report.plan).toMatchObject({ wouldCreate: 1, wouldCopy: 2, wouldDelete: 3 })
    expect(report.plan.sources[0]!.delete.map((d) => d.regionID).sort()).toEqual([HD1, NM8, XN1].sort())
  })
})
