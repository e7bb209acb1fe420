import { describe, expect, it } from 'vitest'
import { CtyunResourceFailedError } from '../errors'
import { collect } from '../paginate'
import { ok } from '../testing/test-server'
import { useClientHarness } from '../testing/use-client-harness'

const h = useClientHarness()

describe('cbr service', () => {
  it('lists policies with the per-API total', async () => {
    h.route({ '/v4/backup/query-backup-policy': ok({ backupPolicyList: [{ backupPolicyID: 'p-1' }], backupPolicyTotal: 1 }) })
    expect(await collect(h.client.cbr.listPolicies({ regionID: 'r1', backupSrcInstanceID: 'vm-1' }))).toEqual([{ backupPolicyID: 'p-1' }])
    expect(h.sent('/v4/backup/query-backup-policy')[0]!.rawQuery).toBe('backupSrcInstanceID=vm-1&pageNo=1&pageSize=50&regionID=r1')
  })

  it('executes a policy now (backupPolicyOp 3) and waits for the task to complete', async () => {
    h.route({
      '/v4/backup/action-backup-policy': ok({ status: 'success', msg: 'ok', backupTaskID: 't-1' }),
      '/v4/backup/query-task-backup': (_r, n) =>
        ok({ backupTaskList: n === 0 ? [] : [{ backupTaskID: 't-0', backupTaskStatusCode: 'Failed' }, { backupTaskID: 't-1', backupTaskStatusCode: n === 1 ? 'Executing' : 'Completed' }], bakupTaskCount: 2 }),
    })
    const { backupTaskID } = await h.client.cbr.executePolicy({ regionID: 'r1', backupPolicyID: 'p-1' })
    expect(h.sent('/v4/backup/action-backup-policy')[0]!.json).toEqual({ regionID: 'r1', backupPolicyID: 'p-1', backupPolicyOp: 3 })
    expect(await h.client.cbr.waitForTask({ regionID: 'r1', backupTaskID }, h.wait)).toMatchObject({ backupTaskID: 't-1', backupTaskStatusCode: 'Completed' })
  })

  it('fails the task wait at once with the task error message', async () => {
    h.route({ '/v4/backup/query-task-backup': ok({ backupTaskList: [{ backupTaskID: 't-2', backupTaskStatusCode: 'Failed', backupTaskErrMsg: 'agent offline' }] }) })
    const error = await h.client.cbr.waitForTask({ regionID: 'r1', backupTaskID: 't-2' }, h.wait).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CtyunResourceFailedError)
    expect((error as Error).message).toContain('agent offline')
  })

  it('lists backups (云备份快照)', async () => {
    h.route({ '/v4/backup/query-backup-snapshot': ok({ backupSnapshotList: [{ backupSnapID: 'b-1' }], backupSnapshotTotal: 1 }) })
    expect((await collect(h.client.cbr.listBackups({ regionID: 'r1', backupPolicyID: 'p-1' }))).map((b) => b.backupSnapID)).toEqual(['b-1'])
  })
})
