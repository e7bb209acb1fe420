import { afterEach, describe, expect, it } from 'vitest'
import { createHttpApp } from '../../functions/http/app'
import { LABEL_READ_CONCURRENCY } from '../../lib/jobs/label-selection'
import { HD1, XN1, startJobHarness, type JobHarness } from './job-harness'

import {
  DISK_DB_DATA as DB_DATA,
  DISK_WEB_DATA as WEB_DATA,
  DISK_WEB_SYSTEM as WEB_SYSTEM,
  DISK_XN1_ARCHIVE,
  DISK_XN1_LOGS,
} from '../../lib/simulator/default-fixture-ids'
const NIGHTLY = { label: { key: 'backup', value: 'nightly' } }

let harness: JobHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

interface Report {
  disks: Array<{
    diskID: string
    snapshotID: string | null
    backup: { taskID: string | null; result: string; note?: string }
    pruned: string[]
    errors: string[]
    ok: boolean
  }>
  summary: Record<string, number>
  selection?: { listed: number; candidates: number; infoEbsCalls: number; selected: number }
}

/** The simulator's call log as its admin endpoint serves it. */
async function simCalls(harness: JobHarness): Promise<{ total: number; byOperation: Record<string, number> }> {
  return (await fetch(`${harness.sim.url}/_sim/calls`)).json() as Promise<{
    total: number
    byOperation: Record<string, number>
  }>
}

describe('snapshot-then-backup', () => {
  it('snapshots every chosen disk, backs up their instances, prunes only its own old snapshots, and reports', async () => {
    harness = await startJobHarness()
    const before = [...harness.sim.simulator.state.snapshots.values()].map((s) => s.snapshotID)
    const run = await harness.run('snapshot-then-backup', {
      regionID: HD1,
      disks: NIGHTLY,
      retention: { maxAgeDays: 7 },
    })
    expect(run.error).toBeUndefined()
    expect(run.status).toBe('SUCCEEDED')
    const report = run.output as Report
    expect(report.disks.map((d) => d.diskID).sort()).toEqual([WEB_SYSTEM, WEB_DATA, DB_DATA].sort())
    expect(report.disks.every((d) => d.ok && d.snapshotID && d.backup.result === 'completed')).toBe(true)

    // Exactly one new snapshot per disk, each available and named after the run.
    const snapshots = [...harness.sim.simulator.state.snapshots.values()]
    const created = snapshots.filter((s) => !before.includes(s.snapshotID))
    expect(created.map((s) => s.diskID).sort()).toEqual([WEB_SYSTEM, WEB_DATA, DB_DATA].sort())
    expect(created.every((s) => s.snapshotName === `ctflow-nightly-${run.id}`)).toBe(true)

    // Pruned: the job's own snapshots on db-01-data older than 7 days; the 2-day-old one and manual ones stay.
    const db = report.disks.find((d) => d.diskID === DB_DATA)!
    expect(db.pruned.sort()).toEqual(['9e8d7c6b-0003-4a5b-9c8d-7e6f5a4b3c03', '9e8d7c6b-0004-4a5b-9c8d-7e6f5a4b3c04'])
    expect(report.summary).toMatchObject({ disks: 3, succeeded: 3, failed: 0, snapshots: 3, backups: 2, pruned: 2 })
    // One CBR task per instance (web-01 has two chosen disks, db-01 one), their policies from one regional listing.
    expect(harness.calls('cbr.actionPolicy')).toBe(2)
    expect(harness.calls('cbr.listPolicies')).toBe(1)
  })

  it('selects the labelled disks through info-ebs (list-ebs has no labels): one call per candidate, a bounded number in flight', async () => {
    let inFlight = 0
    let maxInFlight = 0
    const listedLabels: unknown[] = []
    const watch: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input)
      if (!url.includes('/v4/ebs/info-ebs')) {
        const reply = await fetch(input, init)
        if (url.includes('/v4/ebs/list-ebs'))
          listedLabels.push(
            ...((await reply.clone().json()).returnObj.diskList as object[]).filter((d) => 'labels' in d),
          )
        return reply
      }
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      try {
        // Hold each call until as many as the job allows are in flight (or a moment has passed, for the last few).
        const until = Date.now() + 200
        while (inFlight < LABEL_READ_CONCURRENCY && Date.now() < until)
          await new Promise((resolve) => setTimeout(resolve, 2))
        return await fetch(input, init)
      } finally {
        inFlight--
      }
    }
    harness = await startJobHarness({}, { fetch: watch })
    const run = await harness.run('snapshot-then-backup', { regionID: HD1, disks: NIGHTLY, retention: {} })
    expect(run.error).toBeUndefined()
    const report = run.output as Report
    expect(report.disks.map((d) => d.diskID).sort()).toEqual([WEB_SYSTEM, WEB_DATA, DB_DATA].sort())
    expect(listedLabels).toEqual([]) // the list really carried no labels
    // HD1 has 6 disks, all candidates of a label selection: 6 info-ebs calls, counted by the cloud and in the report.
    const calls = await simCalls(harness)
    expect(calls.byOperation['ebs.showDisk']).toBe(6)
    expect(report.selection).toEqual({ listed: 6, candidates: 6, infoEbsCalls: 6, selected: 3 })
    expect(maxInFlight).toBe(LABEL_READ_CONCURRENCY)
  })

  it('reads labels only of the disks the volume filter leaves', async () => {
    harness = await startJobHarness()
    const run = await harness.run('snapshot-then-backup', {
      regionID: HD1,
      disks: { ...NIGHTLY, volume: 'system' },
      retention: {},
      backup: false,
    })
    expect(run.status).toBe('SUCCEEDED')
    expect((run.output as Report).disks.map((d) => d.diskID)).toEqual([WEB_SYSTEM])
    // HD1's system disks: web-01, db-01, batch-01.
    expect((await simCalls(harness)).byOperation['ebs.showDisk']).toBe(3)
  })

  it('fails a label selection in a region without label support, saying so and pointing to diskIDs; nothing is snapshotted', async () => {
    harness = await startJobHarness()
    const before = harness.sim.simulator.state.snapshots.size
    const run = await harness.run('snapshot-then-backup', { regionID: XN1, disks: NIGHTLY })
    expect(run.status).toBe('FAILED')
    expect(run.error).toMatchObject({
      error: 'Job.InvalidInput',
      cause: expect.stringContaining(
        `input.disks.label cannot select disks in region ${XN1}: the region does not report disk labels`,
      ),
    })
    expect(run.error!.cause).toContain('Select the disks by disks.diskIDs instead.')
    expect((await simCalls(harness)).byOperation['ebs.showDisk']).toBe(2)
    expect(harness.calls('ebs.createSnapshot')).toBe(0)
    expect(harness.sim.simulator.state.snapshots.size).toBe(before)

    // The way out works: the same region by IDs.
    const byIDs = await harness.run('snapshot-then-backup', {
      regionID: XN1,
      disks: { diskIDs: [DISK_XN1_ARCHIVE, DISK_XN1_LOGS] },
      retention: {},
    })
    expect(byIDs.status).toBe('SUCCEEDED')
    expect((byIDs.output as Report).summary).toMatchObject({ disks: 2, succeeded: 2, snapshots: 2 })
    expect((byIDs.output as Report).selection).toMatchObject({ infoEbsCalls: 0, selected: 2 })
  })

  it('succeeds with no disks where the region reports labels and none carries the asked one', async () => {
    harness = await startJobHarness()
    const run = await harness.run('snapshot-then-backup', {
      regionID: HD1,
      disks: { label: { key: 'backup', value: 'monthly' } },
    })
    expect(run.status).toBe('SUCCEEDED')
    const report = run.output as Report
    expect(report.disks).toEqual([])
    expect(report.selection).toEqual({ listed: 6, candidates: 6, infoEbsCalls: 6, selected: 0 })
    expect(harness.calls('ebs.createSnapshot')).toBe(0)
  })

  it('refuses a snapshot prefix that starts with a digit: at start and on POST /runs (400 naming the field)', async () => {
    harness = await startJobHarness()
    const input = { regionID: HD1, snapshotPrefix: '1nightly' }
    const error = await harness.engine.start({ workflow: 'snapshot-then-backup', input }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'EngineInputError', field: 'input/snapshotPrefix' })

    const token = 'test-token-snapshot-prefix'
    const app = createHttpApp({ engine: harness.engine, webhookSecrets: [], apiToken: token, log: () => {} })
    const reply = await app.request('/runs', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: 'snapshot-then-backup', input }),
    })
    expect(reply.status).toBe(400)
    const problem = (await reply.json()) as { field?: string; detail: string }
    expect(problem.field).toBe('input/snapshotPrefix')
    expect(problem.detail).toContain('snapshotPrefix')
    expect((await harness.engine.list({})).runs).toEqual([])
    expect(harness.calls()).toBe(0)
  })

  it('reports every backup failed when the policy lookup keeps failing, and still snapshots and prunes', async () => {
    harness = await startJobHarness()
    harness.sim.simulator.faults.set({ 'cbr.listPolicies': { serverErrorRate: 1 } } as never)
    const run = await harness.run('snapshot-then-backup', {
      regionID: HD1,
      disks: NIGHTLY,
      retention: { maxAgeDays: 7 },
    })
    expect(run.status).toBe('FAILED')
    expect(run.error?.error).toBe('Backup.DisksFailed')
    const report = JSON.parse(run.error!.cause!.slice(run.error!.cause!.indexOf('Report: ') + 8)) as Report
    expect(
      report.disks.every(
        (d) => d.snapshotID && d.backup.result === 'failed' && d.backup.note?.startsWith('Ctyun.ServerError'),
      ),
    ).toBe(true)
    expect(report.disks.find((d) => d.diskID === DB_DATA)!.pruned).toHaveLength(2)
    expect(harness.calls('cbr.actionPolicy')).toBe(0)
  })

  it('skips the backup with a note when no policy covers the instance, and selects by IDs and volume', async () => {
    harness = await startJobHarness()
    const BATCH_SYSTEM = '5d0c1e2f-0005-4c7a-8e4b-a1b2c3d4e505' // batch-01 has no CBR policy
    const run = await harness.run('snapshot-then-backup', {
      regionID: HD1,
      disks: { diskIDs: [BATCH_SYSTEM, WEB_DATA], volume: 'system' },
      retention: {},
    })
    expect(run.status).toBe('SUCCEEDED')
    const report = run.output as Report
    expect(report.disks).toHaveLength(1)
    expect(report.disks[0]!.backup).toMatchObject({
      result: 'skipped',
      note: expect.stringContaining('no CBR backup policy covers instance'),
    })
    expect(harness.calls('cbr.actionPolicy')).toBe(0)
  })

  it('keeps going when one disk fails, and fails the run at the end naming that disk', async () => {
    harness = await startJobHarness({ seed: 7 })
    // The first snapshot lifecycle to be decided ends in error; the other disks succeed.
    harness.sim.simulator.faults.set({ 'ebs.createSnapshot': { lifecycleErrorRate: 1, times: 1 } } as never)
    const run = await harness.run('snapshot-then-backup', { regionID: HD1, disks: NIGHTLY })
    expect(run.status).toBe('FAILED')
    expect(run.error?.error).toBe('Backup.DisksFailed')
    expect(run.error?.cause).toMatch(/^1 of 3 disks failed: \S+ \(snapshot: /)
    const report = JSON.parse(run.error!.cause!.slice(run.error!.cause!.indexOf('Report: ') + 8)) as Report
    expect(report.summary).toMatchObject({ disks: 3, succeeded: 2, failed: 1 })
    const failed = report.disks.find((d) => !d.ok)!
    expect(failed.snapshotID).toBeNull()
    expect(failed.pruned).toEqual([]) // never prunes a disk whose snapshot failed tonight
  })

  it('survives server errors and throttling with exactly one snapshot per disk', async () => {
    harness = await startJobHarness({
      seed: 11,
      faults: {
        '*': { serverErrorRate: 0.15, throttleRate: 0.15, throttleMode: 'both', retryAfterSeconds: 0 },
      } as never,
    })
    const before = harness.sim.simulator.state.snapshots.size
    const run = await harness.run('snapshot-then-backup', { regionID: HD1, disks: NIGHTLY, retention: {} })
    expect(run.error).toBeUndefined()
    expect(run.status).toBe('SUCCEEDED')
    expect(harness.sim.simulator.state.snapshots.size).toBe(before + 3)
  })

  it("runs three nights back to back in one process: each waits out the last one's prune, all succeed, one snapshot per disk per run", async () => {
    // Deletions (jobs) outlast the time from a run's end to the next night's creates, so the overlap is certain.
    harness = await startJobHarness({ durations: { jobMs: 5_000 } })
    const sim = harness.sim.simulator
    const refusals = () =>
      sim.calls
        .snapshot()
        .recent.filter((c) => c.operation === 'ebs.createSnapshot' && c.outcome === 'ebs.ebsInfo.statusNotAllowed')
        .length
    const runs = []
    for (let night = 0; night < 3; night++) {
      // keepLast 1: each run prunes the one before it, and its deletions are still under way when the next night starts.
      const run = await harness.run('snapshot-then-backup', {
        regionID: HD1,
        disks: NIGHTLY,
        retention: { keepLast: 1 },
      })
      expect(run.error, `night ${night + 1}`).toBeUndefined()
      expect(run.status).toBe('SUCCEEDED')
      runs.push(run)
    }
    for (const run of runs) {
      const mine = [...sim.state.snapshots.values()].filter((s) => s.snapshotName === `ctflow-nightly-${run.id}`)
      expect(mine.map((s) => s.diskID).sort(), `run ${run.id}`).toEqual([WEB_SYSTEM, WEB_DATA, DB_DATA].sort())
    }
    expect(harness.calls('ebs.createSnapshot')).toBe(9 + refusals())
    // The scenario did happen: later nights found disks busy with the previous night's deletions.
    expect(refusals()).toBeGreaterThan(0)
    expect((runs[2]!.output as Report).summary).toMatchObject({
      disks: 3,
      succeeded: 3,
      failed: 0,
      snapshots: 3,
      pruned: 3,
    })
  })

  it('keeps daily/weekly/monthly copies (GFS) and reports which rule kept each snapshot', async () => {
    harness = await startJobHarness()
    const run = await harness.run('snapshot-then-backup', {
      regionID: HD1,
      disks: { diskIDs: [DB_DATA] },
      retention: { daily: 2, weekly: 0, timeZone: 'UTC' },
      backup: false,
    })
    expect(run.error).toBeUndefined()
    const db = (run.output as Report & { disks: Array<{ kept?: Record<string, string[]> }> }).disks[0]!
    // Tonight's and the 2-day-old one are the newest of the last two days with a snapshot; the 8- and 9-day-old go.
    expect(db.pruned.sort()).toEqual(['9e8d7c6b-0003-4a5b-9c8d-7e6f5a4b3c03', '9e8d7c6b-0004-4a5b-9c8d-7e6f5a4b3c04'])
    expect(db.kept).toEqual({
      [db.snapshotID!]: ['protected', 'daily'],
      '9e8d7c6b-0005-4a5b-9c8d-7e6f5a4b3c05': ['daily'],
    })
    // Snapshots made by hand are never candidates.
    const left = [...harness.sim.simulator.state.snapshots.values()].map((s) => s.snapshotID)
    expect(left).toContain('9e8d7c6b-0001-4a5b-9c8d-7e6f5a4b3c01')
  })

  it('refuses a retention time zone Intl does not know, naming the field', async () => {
    harness = await startJobHarness()
    const run = await harness.run('snapshot-then-backup', {
      regionID: HD1,
      retention: { daily: 7, timeZone: 'Mars/Olympus' },
    })
    expect(run.status).toBe('FAILED')
    expect(run.error).toMatchObject({ error: 'Job.InvalidInput' })
    expect(run.error?.cause).toContain('retention.timeZone')
  })

  it('refuses input its schema forbids at start, naming the field, with nothing created', async () => {
    harness = await startJobHarness()
    const error = await harness.engine
      .start({ workflow: 'snapshot-then-backup', input: { regionID: HD1, retention: { keepLast: -1 } } })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'EngineInputError', field: 'input/retention/keepLast' })
    expect((await harness.engine.list({})).runs).toEqual([])
    expect(harness.calls()).toBe(0)
  })

  it('refuses what a schema cannot say in its first step (Job.InvalidInput), before touching the cloud', async () => {
    harness = await startJobHarness()
    // A region the selection cannot be checked against is the API's to refuse; a whitespace-only regionID is ours.
    const run = await harness.run('snapshot-then-backup', { regionID: '   ' })
    expect(run.status).toBe('FAILED')
    expect(run.error).toMatchObject({
      error: 'Job.InvalidInput',
      cause: expect.stringContaining('input.regionID is required'),
    })
    expect(harness.calls('ebs.listDisks')).toBe(0)
  })
})
