/** CBR 云备份 — ctcbr-global, prefix /v4/backup/ (shared/ctyun-api.md §3.5). */
import { SimApiError, success } from '../envelope'
import { ERROR } from '../error-codes'
import type { SimOperation } from '../operation'
import { requireInRegion } from '../lookup'
import { ownPage } from '../params'
import { regionOf } from '../runtime'
import type { BackupTaskRecord } from '../state'
import { backupPolicyView, backupSnapshotView, backupTaskView } from '../views'

/**
 * The page size of the CBR lists, whatever `pageSize` the caller sends (they document no paging, §8.4): smaller than
 * lib/ctyun's CBR_PAGE_SIZE (50), so tests walk several pages.
 */
export const CBR_SIM_PAGE_SIZE = 10

const beijingDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19)

export const cbrOperations: SimOperation[] = [
  {
    name: 'cbr.listRepositories',
    service: 'ctcbr',
    methods: ['GET'],
    path: '/v4/backup/query-storage-backup',
    handle({ params, runtime }) {
      const region = regionOf(runtime, params)
      const id = params.optional('backupStorageID')
      const list = [...runtime.state.backupRepositories.values()]
        .filter((r) => r.regionID === region.regionID && (!id || r.backupStorageID === id))
        .map((r) => ({
          backupStorageID: r.backupStorageID,
          backupStorageName: r.backupStorageName,
          backupStorageCapacity: `${r.capacityGB} G`,
          backupStorageFreeCapacity: `${r.capacityGB - r.usedGB} G`,
          backupStorageStatusCode: 'Available',
          backupStorageStatusDesc: '可用',
          backupStorageCreatTime: beijingDate(r.createdAt),
          backupStorageExpireTime: beijingDate(r.expireAt),
          regionName: region.regionName,
          multiAz: 0,
        }))
      return success({ backupStorageList: list, backupStorageCount: list.length })
    },
  },
  {
    name: 'cbr.listPolicies',
    service: 'ctcbr',
    methods: ['GET'],
    path: '/v4/backup/query-backup-policy',
    handle({ params, runtime }) {
      const region = regionOf(runtime, params)
      const f = {
        instance: params.optional('backupSrcInstanceID'),
        name: params.optional('backupPolicyName'),
        id: params.optional('backupPolicyID'),
        status: params.optional('backupPolicyStatus'),
        query: params.optional('queryContent'),
      }
      const list = [...runtime.state.backupPolicies.values()]
        .filter((p) => p.regionID === region.regionID)
        .map((p) => backupPolicyView(p, runtime.state))
        .filter(
          (p) =>
            (!f.instance || p.backupSrcInstanceID === f.instance) &&
            // backupPolicyName is a fuzzy match (doc api 7966: 模糊匹配).
            (!f.name || p.backupPolicyName.includes(f.name)) &&
            (!f.id || p.backupPolicyID === f.id) &&
            (!f.status || p.statusCode === f.status) &&
            (!f.query || p.backupPolicyName.includes(f.query) || p.backupSrcInstanceName.includes(f.query)),
        )
      const { page, totalCount } = ownPage(list, params, CBR_SIM_PAGE_SIZE)
      return success({ backupPolicyList: page, backupPolicyTotal: totalCount })
    },
  },
  {
    name: 'cbr.actionPolicy',
    service: 'ctcbr',
    methods: ['POST'],
    path: '/v4/backup/action-backup-policy',
    idempotent: true,
    handle(input) {
      const { params, runtime, now } = input
      const region = regionOf(runtime, params)
      const policy = requireInRegion(
        runtime.state.backupPolicies,
        params.required('backupPolicyID'),
        region.regionID,
        ERROR.backupPolicyNotFound,
        'backup policy',
      )
      const op = params.int('backupPolicyOp', NaN, { min: 1, max: 3 })
      if (Number.isNaN(op))
        throw new SimApiError(ERROR.parameter, 'backupPolicyOp is required (1 enable, 2 stop, 3 execute now)')
      if (op === 1 || op === 2) {
        policy.enabled = op === 1
        return success({ status: 'success', msg: op === 1 ? 'enabled' : 'stopped' })
      }
      const backupMode = params.int('backupMode', 0, { min: 0, max: 1 })
      const failed = runtime.faults.lifecycleFails(input.operation)
      const { backupPreparingMs, backupExecutingMs } = runtime.durations
      const task: BackupTaskRecord = {
        backupTaskID: runtime.ids.uuid(),
        regionID: region.regionID,
        backupPolicyID: policy.backupPolicyID,
        backupSnapID: `bs-${runtime.ids.hex(8)}-${runtime.ids.hex(4)}`,
        backupMode,
        createdAt: now,
        lifecycle: {
          startedAt: now,
          phases: [
            { status: 'Preparing', ms: backupPreparingMs },
            { status: 'Executing', ms: backupExecutingMs },
          ],
          final: failed ? 'Failed' : 'Completed',
        },
      }
      runtime.state.backupTasks.set(task.backupTaskID, task)
      if (!failed) {
        const doneAt = now + backupPreparingMs + backupExecutingMs
        runtime.state.backupSnapshots.set(task.backupSnapID, {
          backupSnapID: task.backupSnapID,
          regionID: region.regionID,
          backupPolicyID: policy.backupPolicyID,
          snapName: `${policy.backupPolicyName}-${beijingDate(now).replace(/\D/g, '')}`,
          backupMode: backupMode === 1 ? 1 : 0,
          createdAt: now,
          visibleFrom: doneAt,
          finishedAt: doneAt,
          sizeBytes: 536_870_912,
        })
      }
      return success({ status: 'success', msg: 'backup task created', backupTaskID: task.backupTaskID })
    },
  },
  {
    name: 'cbr.listTasks',
    service: 'ctcbr',
    methods: ['GET'],
    path: '/v4/backup/query-task-backup',
    handle({ params, runtime, now }) {
      const region = regionOf(runtime, params)
      // No backupTaskID filter: the doc has none (api 7961), so a client must find a task in the listing.
      const f = {
        instance: params.optional('backupSrcInstanceID'),
        status: params.optional('backupTaskStatus'),
        query: params.optional('queryContent'),
      }
      const list = [...runtime.state.backupTasks.values()]
        .filter((t) => t.regionID === region.regionID)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((t) => backupTaskView(t, runtime.state, now))
        .filter(
          (t) =>
            (!f.instance || t.backupSrcInstanceID === f.instance) &&
            (!f.status || t.backupTaskStatusCode === f.status) &&
            (!f.query || t.backupTaskName.includes(f.query) || t.backupPolicyName.includes(f.query)),
        )
      const { page, totalCount } = ownPage(list, params, CBR_SIM_PAGE_SIZE)
      // `bakupTaskCount` (sic) is the real key name (§3.5).
      return success({ backupTaskList: page, bakupTaskCount: totalCount })
    },
  },
  {
    name: 'cbr.listBackupSnapshots',
    service: 'ctcbr',
    methods: ['GET'],
    path: '/v4/backup/query-backup-snapshot',
    handle({ params, runtime, now }) {
      const region = regionOf(runtime, params)
      const f = {
        policyName: params.optional('backupPolicyName'),
        policyID: params.optional('backupPolicyID'),
        instance: params.optional('backupSrcInstanceID'),
        storage: params.optional('backupStorageID'),
        status: params.optional('backupSnapStatus'),
        query: params.optional('queryContent'),
      }
      const list = [...runtime.state.backupSnapshots.values()]
        .filter((s) => s.regionID === region.regionID && now >= s.visibleFrom)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((s) => backupSnapshotView(s, runtime.state))
        .filter(
          (s) =>
            // backupPolicyName is a fuzzy match (doc api 7967: 模糊匹配).
            (!f.policyName || s.backupPolicyName.includes(f.policyName)) &&
            (!f.policyID || s.backupPolicyID === f.policyID) &&
            (!f.instance || s.backupSrcInstanceID === f.instance) &&
            (!f.storage || s.backupStorageID === f.storage) &&
            (!f.status || s.statusCode === f.status) &&
            (!f.query || s.snapName.includes(f.query)),
        )
      const { page, totalCount } = ownPage(list, params, CBR_SIM_PAGE_SIZE)
      return success({ backupSnapshotList: page, backupSnapshotTotal: totalCount })
    },
  },
]
