import { describe, expect, it } from 'vitest'
import { createActionRegistry } from '../lib/engine/actions/registry'
import { createEngine } from '../lib/engine/create-engine'
import type { WorkflowDefinition } from '../lib/engine/interpreter/definition'
import { createMemoryStore } from '../lib/engine/stores/memory-store'
import { createFakeClock } from '../lib/engine/testing/fake-clock'
import { formatProgress, progressPrinter } from './progress'

const start = Date.parse('2026-11-23T02:00:00.000Z')
const at = (ms: number) => new Date(start + ms).toISOString()

describe('formatProgress', () => {
  it('shows Task calls with their item index and ids, and their outcome', () => {
    expect(
      formatProgress(
        {
          at: at(3200),
          type: 'TaskScheduled',
          state: 'Snapshot',
          detail: {
            resource: 'ctyun:ebs:createSnapshot.sync',
            attempt: 0,
            input: { regionID: 'r1', diskID: 'd-7' },
            frame: 'root/2.0:2',
          },
        },
        start,
      ),
    ).toBe('   3.2s  Snapshot[2]        → ctyun:ebs:createSnapshot.sync  diskID=d-7')
    expect(
      formatProgress(
        {
          at: at(9000),
          type: 'TaskSucceeded',
          state: 'Snapshot',
          detail: { output: { snapshotID: 's-1' }, frame: 'root/2.0:2' },
        },
        start,
      ),
    ).toContain('✓ snapshotID=s-1')
    expect(
      formatProgress(
        { at: at(9000), type: 'TaskScheduled', state: 'Snapshot', detail: { resource: 'x', attempt: 2, input: {} } },
        start,
      ),
    ).toContain('(attempt 3)')
  })

  it('counts the lists in a result', () => {
    expect(
      formatProgress(
        {
          at: at(0),
          type: 'TaskSucceeded',
          state: 'Prepare',
          detail: { output: { regionID: 'r', disks: [1, 2, 3], missing: [] } },
        },
        start,
      ),
    ).toContain('✓ disks: 3 missing: 0')
    expect(
      formatProgress({ at: at(0), type: 'TaskSucceeded', state: 'List', detail: { output: [1] } }, start),
    ).toContain('✓ 1 item')
  })

  it('shows retries, catches and the end of the run', () => {
    expect(
      formatProgress(
        { at: at(1000), type: 'TaskRetryScheduled', state: 'S', detail: { error: 'Ctyun.Throttled', delayMs: 2300 } },
        start,
      ),
    ).toContain('↻ Ctyun.Throttled — retry in 2.3s')
    expect(
      formatProgress(
        {
          at: at(1000),
          type: 'CatchTaken',
          state: 'S',
          detail: { error: 'Ctyun.ResourceFailed', next: 'SnapshotFailed' },
        },
        start,
      ),
    ).toContain('↪ Ctyun.ResourceFailed caught → SnapshotFailed')
    expect(
      formatProgress({ at: at(1000), type: 'ExecutionFailed', detail: { error: 'Backup.DisksFailed' } }, start),
    ).toBe('   1.0s  run FAILED: Backup.DisksFailed')
  })

  it('keeps quiet about routine transitions', () => {
    expect(
      formatProgress({ at: at(0), type: 'PassStateEntered', state: 'P', detail: { input: {} } }, start),
    ).toBeUndefined()
  })
})

describe('progressPrinter on the events the engine writes', () => {
  it('names the error of a task failure, a retry, a catch and a failed run', async () => {
    const actions = createActionRegistry().register('my:flaky', {
      call: () => {
        throw Object.assign(new Error('quota exceeded'), { name: 'QuotaError' })
      },
    })
    const workflow = {
      StartAt: 'Try',
      States: {
        Try: {
          Type: 'Task',
          Resource: 'my:flaky',
          Retry: [{ ErrorEquals: ['QuotaError'], MaxAttempts: 1, IntervalSeconds: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Give up' }],
          End: true,
        },
        'Give up': { Type: 'Fail', Error: 'Job.GaveUp', Cause: 'no quota' },
      },
    }
    const lines: string[] = []
    const clock = createFakeClock(start)
    const engine = createEngine({
      store: createMemoryStore(),
      actions,
      clock,
      workflows: { job: workflow as WorkflowDefinition },
      onEvents: progressPrinter(
        (line) => lines.push(line),
        () => start,
      ),
    })
    const done = await engine.runToEnd((await engine.start({ workflow: 'job', input: {} })).run.id)
    expect(done.status).toBe('FAILED')
    expect(lines.filter((line) => /[✗↻↪]|FAILED/.test(line))).toEqual([
      '   0.0s  Try                ✗ QuotaError: quota exceeded',
      '   0.0s  Try                ↻ QuotaError — retry in 2s',
      '   2.0s  Try                ✗ QuotaError: quota exceeded',
      '   2.0s  Try                ↪ QuotaError caught → Give up',
      '   2.0s  run FAILED: Job.GaveUp',
    ])
  })
})
