/**
 * CBR 云备份 (ctcbr-global, prefix `/v4/backup/`): policies, "execute now", tasks, backups (shared/ctyun-api.md §3.5).
 *
 * Paging of these lists is not documented (§8.4): we send pageNo/pageSize, but do not trust the page size to be
 * honoured (a short page is no end): lists are walked against the per-API total (`backupPolicyTotal`,
 * `bakupTaskCount` [sic], `backupSnapshotTotal`), repeats dropped by id, until an empty page, a page with nothing new,
 * or the total (paginate.ts paginateByTotal). `backupPolicyName` is a fuzzy (substring) filter (doc api 7966, 7967):
 * the exact match is made here.
 */
import type { CtyunCaller } from '../caller'
import type { ProbeResult, WaitOptions } from '../wait'
import { waitFor } from '../wait'
import { countOf, paginateByTotal, type PagingEnd } from '../paginate'
import { CtyunResourceFailedError } from '../errors'
import { defined, requireParams } from './require-params'

export interface BackupPolicy {
  backupPolicyID: string
  backupPolicyName?: string
  backupSrcInstanceID?: string
  backupStorageID?: string
  statusCode?: string
  [field: string]: unknown
}

export interface BackupTask {
  backupTaskID: string
  backupTaskStatusCode?: string
  /** Chinese description of the status. */
  backupTaskStatus?: string
  backupTaskPercent?: number | string
  backupTaskErrMsg?: string
  backupSnapID?: string
  [field: string]: unknown
}

export interface BackupSnapshot {
  backupSnapID: string
  snapName?: string
  statusCode?: string
  backupPolicyID?: string
  [field: string]: unknown
}

/** Task status codes (doc api 7961 filter enum): Completed / Executing / Failed / Preparing / Canceling. */
export const FAILED_BACKUP_TASK_STATUSES: readonly string[] = ['Failed', 'Canceling', 'Canceled', 'Cancelled']

/**
 * The Chinese status description (`backupTaskStatus`: "执行中，执行准备中，执行失败，执行完成，未知", doc api 7961) as a
 * status code, for a task listed without `backupTaskStatusCode`. 未知 (unknown) maps to nothing: it stays pending.
 */
const STATUS_BY_DESCRIPTION: Readonly<Record<string, string>> = {
  执行完成: 'Completed',
  执行中: 'Executing',
  执行失败: 'Failed',
  执行准备中: 'Preparing',
  取消中: 'Canceling',
}

/** The task statuses of a backup still at work (doc api 7961's filter values); everything else has ended. */
export const RUNNING_BACKUP_TASK_STATUSES: readonly string[] = ['Preparing', 'Executing']

type Filters = Record<string, string | number | boolean | undefined>

const TASK_LIST_PATH = '/v4/backup/query-task-backup'

/** Items per page this client asks the CBR lists for (the server may use its own size, §8.4). */
export const CBR_PAGE_SIZE = 50

/** What a poll of a backup task says, from its listing (undefined: not listed yet). */
export function taskProbeResult(task: BackupTask | undefined): ProbeResult<BackupTask> {
  if (!task) return { state: 'pending', status: 'not-found' }
  const description = typeof task.backupTaskStatus === 'string' ? task.backupTaskStatus.trim() : ''
  const status = String(task.backupTaskStatusCode || STATUS_BY_DESCRIPTION[description] || description || 'unknown')
  // Only Completed ends the wait well and only a failure status badly: anything else — the documented 未知 (unknown),
  // a status added later — is pending (the wait's deadline, if any, ends it).
  if (status === 'Completed') return { state: 'done', status, value: task }
  if (FAILED_BACKUP_TASK_STATUSES.includes(status))
    return { state: 'failed', status, value: task, reason: task.backupTaskErrMsg || undefined }
  return { state: 'pending', status, value: task }
}

interface CbrList<T> {
  path: string
  listKey: string
  totalKeys: readonly string[]
  idOf: (item: T) => string | undefined
}

const POLICY_LIST: CbrList<BackupPolicy> = {
  path: '/v4/backup/query-backup-policy',
  listKey: 'backupPolicyList',
  totalKeys: ['backupPolicyTotal'],
  idOf: (p) => p.backupPolicyID,
}
const TASK_LIST: CbrList<BackupTask> = {
  path: TASK_LIST_PATH,
  listKey: 'backupTaskList',
  totalKeys: ['bakupTaskCount', 'backupTaskCount'],
  idOf: (t) => t.backupTaskID,
}
const BACKUP_LIST: CbrList<BackupSnapshot> = {
  path: '/v4/backup/query-backup-snapshot',
  listKey: 'backupSnapshotList',
  totalKeys: ['backupSnapshotTotal'],
  idOf: (b) => b.backupSnapID,
}

export function createCbrService(caller: CtyunCaller) {
  /** Every item of a CBR list (see the header), stopping early at `budget()` pages if given. */
  function walk<T>(
    spec: CbrList<T>,
    filters: Filters,
    { pageSize = CBR_PAGE_SIZE, budget }: { pageSize?: number; budget?: () => number } = {},
  ): AsyncGenerator<T, PagingEnd, undefined> {
    return paginateByTotal<T>(
      async (pageNo, size) => {
        const reply = await caller.request<Record<string, unknown>>({
          service: 'cbr',
          method: 'GET',
          path: spec.path,
          query: defined({ ...filters, pageNo, pageSize: size }),
        })
        const items = reply?.[spec.listKey]
        const total = spec.totalKeys.map((key) => countOf(reply?.[key])).find((n) => n !== undefined)
        return { items: Array.isArray(items) ? (items as T[]) : [], totalCount: total }
      },
      { pageSize, idOf: spec.idOf, budget, what: `GET ${spec.path}` },
    )
  }

  /** A list's items, with `backupPolicyName` matched exactly (the API's filter is a substring match, §8.4). */
  async function* list<T extends object>(
    spec: CbrList<T>,
    operation: string,
    params: { regionID: string; pageSize?: number; backupPolicyName?: string } & Filters,
  ): AsyncGenerator<T, void, undefined> {
    requireParams(operation, params, ['regionID'])
    const { pageSize, ...filters } = params
    for await (const item of walk(spec, filters, { pageSize })) {
      if (
        params.backupPolicyName !== undefined &&
        (item as { backupPolicyName?: unknown }).backupPolicyName !== params.backupPolicyName
      )
        continue
      yield item
    }
  }

  async function findTask(params: {
    regionID: string
    backupTaskID: string
    backupSrcInstanceID?: string
  }): Promise<BackupTask | undefined> {
    // The doc lists no backupTaskID filter (api 7961), so filter by instance (if known) and match here.
    const filters = { regionID: params.regionID, backupSrcInstanceID: params.backupSrcInstanceID }
    for await (const task of list(TASK_LIST, 'cbr.findTask', filters)) {
      if (task.backupTaskID === params.backupTaskID) return task
    }
    return undefined
  }

  /**
   * A region's tasks from one unfiltered listing (one call can answer for many tasks), reading at most `maxPages()`
   * pages — asked before every page, as the caller's needs may grow meanwhile — and stopping early once `enough`.
   * The order of the list is not documented, so `complete` says whether the whole list was read.
   */
  async function scanTasks(params: {
    regionID: string
    maxPages: () => number
    enough?: (found: ReadonlyMap<string, BackupTask>) => boolean
    /** Only the tasks in this status (the documented filter of api 7961: Completed/Executing/Failed/Preparing/Canceling). */
    backupTaskStatus?: string
    /** Adds to this map (several scans make one answer). */
    into?: Map<string, BackupTask>
  }): Promise<{ found: Map<string, BackupTask>; complete: boolean }> {
    requireParams('cbr.scanTasks', params, ['regionID'])
    const found = params.into ?? new Map<string, BackupTask>()
    let stop = false
    // The budget is asked before each page: `enough` ends the walk (incomplete) once every wanted task is found.
    const filters = { regionID: params.regionID, backupTaskStatus: params.backupTaskStatus }
    const tasks = walk(TASK_LIST, filters, { budget: () => (stop ? 0 : params.maxPages()) })
    for (;;) {
      const next = await tasks.next()
      if (next.done) return { found, complete: next.value.complete }
      found.set(next.value.backupTaskID, next.value)
      stop = params.enough?.(found) ?? false
    }
  }

  /**
   * The region's tasks still at work (Preparing, then Executing: two listings filtered by status), each listing
   * read to at most `maxPages()` pages. Unlike the whole task list, these stay as short as the backups running now,
   * whatever the region's history: one round answers for every task a job waits for. A task that is not among them
   * has ended (or is not listed yet): its own listing says which. `complete`: both listings were read to the end.
   */
  async function runningTasks(params: {
    regionID: string
    maxPages: () => number
  }): Promise<{ found: Map<string, BackupTask>; complete: boolean }> {
    requireParams('cbr.runningTasks', params, ['regionID'])
    const found = new Map<string, BackupTask>()
    let complete = true
    for (const backupTaskStatus of RUNNING_BACKUP_TASK_STATUSES) {
      const scan = await scanTasks({
        regionID: params.regionID,
        maxPages: params.maxPages,
        backupTaskStatus,
        into: found,
      })
      complete &&= scan.complete
    }
    return { found, complete }
  }

  /**
   * Several tasks of a region by id in one listing: at most one page per id (so never more calls than one lookup
   * per task), stopping once all are found. `backupTaskIDs` may grow while this runs.
   */
  function findTasks(params: {
    regionID: string
    backupTaskIDs: ReadonlySet<string>
  }): Promise<{ found: Map<string, BackupTask>; complete: boolean }> {
    return scanTasks({
      regionID: params.regionID,
      maxPages: () => params.backupTaskIDs.size,
      enough: (found) => [...params.backupTaskIDs].every((id) => found.has(id)),
    })
  }

  /** One poll: `Completed` done; Failed/Canceling failed; Executing/Preparing (or not listed yet) pending. */
  async function probeTask(params: {
    regionID: string
    backupTaskID: string
    backupSrcInstanceID?: string
  }): Promise<ProbeResult<BackupTask>> {
    requireParams('cbr.probeTask', params, ['regionID', 'backupTaskID'])
    return taskProbeResult(await findTask(params))
  }

  return {
    /** GET `/v4/backup/query-backup-policy` (doc api 7966). */
    listPolicies: (params: {
      regionID: string
      backupSrcInstanceID?: string
      backupPolicyName?: string
      backupPolicyID?: string
      backupPolicyStatus?: string
      queryContent?: string
      pageSize?: number
    }) => list(POLICY_LIST, 'cbr.listPolicies', params),
    /** POST `/v4/backup/action-backup-policy` with `backupPolicyOp` 3 = 立即执行 (doc api 7965): the new task's id. */
    async executePolicy(params: {
      regionID: string
      backupPolicyID: string
      backupMode?: 0 | 1
    }): Promise<{ backupTaskID: string }> {
      requireParams('cbr.executePolicy', params, ['regionID', 'backupPolicyID'])
      // No clientToken on this API, so never retried (a retry could start a second backup).
      const reply = await caller.request<Record<string, unknown>>({
        service: 'cbr',
        method: 'POST',
        path: '/v4/backup/action-backup-policy',
        body: defined({ ...params, backupPolicyOp: 3 }),
      })
      if (typeof reply?.backupTaskID !== 'string' || !reply.backupTaskID) {
        throw new CtyunResourceFailedError({
          resource: `backup policy ${params.backupPolicyID}`,
          status: String(reply?.status ?? 'unknown'),
          reason: 'execute-now returned no backupTaskID',
        })
      }
      return { backupTaskID: reply.backupTaskID }
    },
    /** GET `/v4/backup/query-task-backup` (doc api 7961). */
    listTasks: (params: {
      regionID: string
      backupSrcInstanceID?: string
      backupTaskStatus?: string
      queryContent?: string
      pageSize?: number
    }) => list(TASK_LIST, 'cbr.listTasks', params),
    /** GET `/v4/backup/query-backup-snapshot` (doc api 7967): the backups (云备份快照). */
    listBackups: (params: {
      regionID: string
      backupPolicyID?: string
      backupPolicyName?: string
      backupSrcInstanceID?: string
      backupStorageID?: string
      backupSnapStatus?: string
      queryContent?: string
      pageSize?: number
    }) => list(BACKUP_LIST, 'cbr.listBackups', params),
    findTask,
    scanTasks,
    runningTasks,
    findTasks,
    probeTask,
    waitForTask: (
      params: { regionID: string; backupTaskID: string; backupSrcInstanceID?: string },
      options?: WaitOptions,
    ) =>
      waitFor(() => probeTask(params), `backup task ${params.backupTaskID} → Completed`, {
        initialDelayMs: 5_000,
        maxDelayMs: 30_000,
        ...options,
      }),
  }
}
