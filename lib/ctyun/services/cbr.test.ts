import { describe, expect, it } from 'vitest'
import { taskProbeResult } from './cbr'
import { CtyunResourceFailedError } from '../errors'
import { collect } from '../paginate'
import { ok } from '../testing/test-server'
import { useClientHarness } from '../testing/use-client-harness'

const h = useClientHarness()

describe('cbr service', () => {
  it('lists policies with the per-API total', async () => {
    h.route({
      '/v4/backup/query-backup-policy': ok({ backupPolicyList: [{ backupPolicyID: 'p-1' }], backupPolicyTotal: 1 }),
    })
    expect(await collect(h.client.cbr.listPolicies({ regionID: 'r1', backupSrcInstanceID: 'vm-1' }))).toEqual([
      { backupPolicyID: 'p-1' },
    ])
    expect(h.sent('/v4/backup/query-backup-policy')[0]!.rawQuery).toBe(
      'backupSrcInstanceID=vm-1&pageNo=1&pageSize=50&regionID=r1',
    )
  })

  it('executes a policy now (backupPolicyOp 3) and waits for the task to complete', async () => {
    h.route({
      '/v4/backup/action-backup-policy': ok({ status: 'success', msg: 'ok', backupTaskID: 't-1' }),
      '/v4/backup/query-task-backup': (_r, n) =>
        ok({
          backupTaskList:
            n === 0
              ? []
              : [
                  { backupTaskID: 't-0', backupTaskStatusCode: 'Failed' },
                  { backupTaskID: 't-1', backupTaskStatusCode: n === 1 ? 'Executing' : 'Completed' },
                ],
          bakupTaskCount: 2,
        }),
    })
    const { backupTaskID } = await h.client.cbr.executePolicy({ regionID: 'r1', backupPolicyID: 'p-1' })
    expect(h.sent('/v4/backup/action-backup-policy')[0]!.json).toEqual({
      regionID: 'r1',
      backupPolicyID: 'p-1',
      backupPolicyOp: 3,
    })
    expect(await h.client.cbr.waitForTask({ regionID: 'r1', backupTaskID }, h.wait)).toMatchObject({
      backupTaskID: 't-1',
      backupTaskStatusCode: 'Completed',
    })
  })

  it('fails the task wait at once with the task error message', async () => {
    h.route({
      '/v4/backup/query-task-backup': ok({
        backupTaskList: [{ backupTaskID: 't-2', backupTaskStatusCode: 'Failed', backupTaskErrMsg: 'agent offline' }],
      }),
    })
    const error = await h.client.cbr
      .waitForTask({ regionID: 'r1', backupTaskID: 't-2' }, h.wait)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CtyunResourceFailedError)
    expect((error as Error).message).toContain('agent offline')
  })

  it('lists backups (云备份快照)', async () => {
    h.route({
      '/v4/backup/query-backup-snapshot': ok({ backupSnapshotList: [{ backupSnapID: 'b-1' }], backupSnapshotTotal: 1 }),
    })
    expect(
      (await collect(h.client.cbr.listBackups({ regionID: 'r1', backupPolicyID: 'p-1' }))).map((b) => b.backupSnapID),
    ).toEqual(['b-1'])
  })

  it('finds several tasks in one unfiltered listing, at most a page per task, and says when it did not read it all', async () => {
    const page = (pageNo: number) =>
      Array.from({ length: 50 }, (_, i) => ({
        backupTaskID: `t-${(pageNo - 1) * 50 + i}`,
        backupTaskStatusCode: 'Completed',
      }))
    h.route({
      '/v4/backup/query-task-backup': (r) =>
        ok({ backupTaskList: page(Number(r.query.get('pageNo'))), bakupTaskCount: 500 }),
    })
    const both = await h.client.cbr.findTasks({ regionID: 'r1', backupTaskIDs: new Set(['t-3', 't-7']) })
    expect([both.found.has('t-3'), both.found.has('t-7'), both.complete]).toEqual([true, true, false])
    expect(h.sent('/v4/backup/query-task-backup').map((r) => r.rawQuery)).toEqual(['pageNo=1&pageSize=50&regionID=r1'])
    const far = await h.client.cbr.findTasks({ regionID: 'r1', backupTaskIDs: new Set(['t-3', 't-499']) })
    expect([far.found.has('t-499'), far.complete]).toEqual([false, false])
    expect(h.sent('/v4/backup/query-task-backup')).toHaveLength(3)
  })

  it('scans a short task list to the end and says it is complete', async () => {
    h.route({
      '/v4/backup/query-task-backup': ok({
        backupTaskList: [{ backupTaskID: 't-1' }, { backupTaskID: 't-2' }],
        bakupTaskCount: 2,
      }),
    })
    const scan = await h.client.cbr.scanTasks({ regionID: 'r1', maxPages: () => 1 })
    expect([[...scan.found.keys()], scan.complete]).toEqual([['t-1', 't-2'], true])
  })

  // CBR lists document no pageNo/pageSize (doc api 7961, 7966, 7967; §8.4): a server may page by its own size.
  const tasks = Array.from({ length: 30 }, (_, i) => ({
    backupTaskID: `t-${i}`,
    backupTaskStatusCode: i === 25 ? 'Executing' : 'Completed',
  }))
  const ownPages =
    (size: number, overlap = 0) =>
    (r: { query: URLSearchParams }) => {
      const pageNo = Number(r.query.get('pageNo'))
      return ok({
        backupTaskList: tasks.slice(Math.max(0, (pageNo - 1) * size - overlap), pageNo * size),
        bakupTaskCount: tasks.length,
      })
    }

  it('finds a task on the second page of a server that ignores the page size', async () => {
    h.route({ '/v4/backup/query-task-backup': ownPages(20) })
    expect(await h.client.cbr.findTask({ regionID: 'r1', backupTaskID: 't-25' })).toMatchObject({
      backupTaskStatusCode: 'Executing',
    })
    expect(h.sent('/v4/backup/query-task-backup').map((r) => r.query.get('pageNo'))).toEqual(['1', '2'])
    const scan = await h.client.cbr.scanTasks({ regionID: 'r1', maxPages: () => 5 })
    expect([scan.found.size, scan.complete]).toEqual([30, true])
  })

  it('drops repeated tasks when pages overlap', async () => {
    h.route({ '/v4/backup/query-task-backup': ownPages(12, 3) })
    const listed = (await collect(h.client.cbr.listTasks({ regionID: 'r1' }))).map((t) => t.backupTaskID)
    expect(listed).toEqual(tasks.map((t) => t.backupTaskID))
  })

  it('filters policy and backup names exactly: the API matches a part of the name', async () => {
    h.route({
      '/v4/backup/query-backup-policy': ok({
        backupPolicyList: [
          { backupPolicyID: 'p-1', backupPolicyName: 'web-daily-old' },
          { backupPolicyID: 'p-2', backupPolicyName: 'web-daily' },
        ],
        backupPolicyTotal: 2,
      }),
      '/v4/backup/query-backup-snapshot': ok({
        backupSnapshotList: [
          { backupSnapID: 'b-1', backupPolicyName: 'xweb-daily' },
          { backupSnapID: 'b-2', backupPolicyName: 'web-daily' },
        ],
        backupSnapshotTotal: 2,
      }),
    })
    expect(
      (await collect(h.client.cbr.listPolicies({ regionID: 'r1', backupPolicyName: 'web-daily' }))).map(
        (p) => p.backupPolicyID,
      ),
    ).toEqual(['p-2'])
    expect(
      (await collect(h.client.cbr.listBackups({ regionID: 'r1', backupPolicyName: 'web-daily' }))).map(
        (b) => b.backupSnapID,
      ),
    ).toEqual(['b-2'])
    expect(h.sent('/v4/backup/query-backup-policy')[0]!.query.get('backupPolicyName')).toBe('web-daily')
  })

  it.each([
    [{ backupTaskStatusCode: 'Completed' }, 'done', 'Completed'],
    [{ backupTaskStatusCode: 'Failed' }, 'failed', 'Failed'],
    [{ backupTaskStatusCode: 'Executing' }, 'pending', 'Executing'],
    // The doc lists a fifth, unknown status (未知): a task in it may still complete, so the wait goes on.
    [{ backupTaskStatusCode: 'Unknown', backupTaskStatus: '未知' }, 'pending', 'Unknown'],
    [{ backupTaskStatus: '未知' }, 'pending', '未知'],
    [{ backupTaskStatusCode: 'Paused' }, 'pending', 'Paused'],
    // Without a status code, the Chinese description says it.
    [{ backupTaskStatus: '执行失败', backupTaskErrMsg: 'agent offline' }, 'failed', 'Failed'],
    [{ backupTaskStatus: '执行完成' }, 'done', 'Completed'],
    [{ backupTaskStatus: '执行准备中' }, 'pending', 'Preparing'],
  ])('reads the task status %o as %s', (fields, state, status) => {
    expect(taskProbeResult({ backupTaskID: 't', ...fields })).toMatchObject({ state, status })
  })
})
