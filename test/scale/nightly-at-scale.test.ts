/**
 * The nightly job at scale, in virtual time (test/scale/scale-job.ts): generated disks (`ctflow sim --disks N`), the
 * cloud's rate limit, faults; the job in pages of child runs (lib/jobs/backup-pages.ts).
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../lib/engine/limits'
import { runScaleJob } from './scale-job'

const FIXTURE_DISKS = 3 // the default fixture's labelled disks in the region

describe('the nightly job at scale', () => {
  it('200 disks under a rate limit of 20 with 5xx faults: every disk snapshotted exactly once, none failed', async () => {
    const job = await runScaleJob({
      disks: 200,
      rateLimit: 20,
      durations: 'fast',
      faults: { '*': { serverErrorRate: 0.05 } },
      seed: 17,
    })
    try {
      expect(job.run.error).toBeUndefined()
      expect(job.run.status).toBe('SUCCEEDED')
      const mine = [...job.sim.simulator.state.snapshots.values()].filter(
        (s) => s.snapshotName === `ctflow-nightly-${job.run.id}`,
      )
      const perDisk = new Map<string, number>()
      for (const s of mine) perDisk.set(s.diskID, (perDisk.get(s.diskID) ?? 0) + 1)
      expect(perDisk.size).toBe(200 + FIXTURE_DISKS)
      expect([...perDisk.values()].every((n) => n === 1)).toBe(true)
      const summary = (job.run.output as { summary: Record<string, number> }).summary
      expect(summary).toMatchObject({ disks: 203, succeeded: 203, failed: 0, snapshots: 203 })
      // The scenario did happen: the cloud refused and failed calls, and the client rode them out.
      expect(job.throttled).toBeGreaterThan(0)
      expect(job.outcomes['Openapi.Internal.Error']).toBeGreaterThan(0)
    } finally {
      await job.close()
    }
  })

  it('1,000 disks: no run reaches the history or payload limit, and the parent stays small', async () => {
    const job = await runScaleJob({ disks: 1000, rateLimit: 20, durations: 'fast' })
    try {
      expect(job.run.error).toBeUndefined()
      expect(job.run.status).toBe('SUCCEEDED')
      // Every disk's line is in its page's run; the parent's report is the summary and the pages.
      const report = job.run.output as { summary: Record<string, number>; pages: unknown[]; disks: unknown[] }
      expect(report.summary).toMatchObject({ disks: 1003, failed: 0, snapshots: 1003 })
      expect(report.pages.length).toBe(job.childRuns)
      expect(JSON.stringify(report).length).toBeLessThan(DEFAULT_LIMITS.maxPayloadBytes / 4)
      expect(job.parentHistoryEvents).toBeLessThan(200)
      expect(job.maxHistoryEvents).toBeLessThan(DEFAULT_LIMITS.maxHistoryEvents / 4)
      expect(job.maxEventBytes).toBeLessThan(DEFAULT_LIMITS.maxPayloadBytes)
    } finally {
      await job.close()
    }
  }, 240_000)
})
