/**
 * EBS 云硬盘 (ebs-global): disks and snapshots (shared/ctyun-api.md §3.2).
 *
 * Snapshot create has two flows (TF ebs_create_ebs_snap_api.go header): a disk's FIRST snapshot goes through an order
 * (statusCode 900 `ebs.order.inProgress` + masterOrderID → order query → snapshot id); later ones return
 * `snapshotJobID` (→ `/v4/job/info` → snapshot id). Then the snapshot becomes `available`.
 */
import type { CtyunCaller } from '../caller'
import { TF_WAITS } from '../poll-schedule'
import type { ProbeResult, WaitOptions } from '../wait'
import { DEFAULT_WAIT_MS, waitFor } from '../wait'
import { countOf, paginateByPageNo, paginateByToken } from '../paginate'
import { CtyunInputError, CtyunResourceFailedError } from '../errors'
import type { createJobsService } from './jobs'
import type { createOrdersService } from './orders'
import { defined, requireParams } from './require-params'

export interface Disk {
  diskID: string
  diskName?: string
  diskSize?: number
  diskType?: string
  diskMode?: string
  diskStatus?: string
  isSystemVolume?: boolean
  instanceID?: string
  instanceName?: string
  regionID?: string
  azName?: string
  labels?: { key: string; value: string }[]
  [field: string]: unknown
}

export interface Snapshot {
  snapshotID: string
  snapshotName?: string
  snapshotStatus?: string
  snapshotType?: string
  diskID?: string
  createTime?: string
  expireTime?: string
  retentionPolicy?: string
  retentionTime?: number
  [field: string]: unknown
}

export interface ListDisksParams {
  regionID: string
  pageSize?: number
  azName?: string
  projectID?: string
  diskType?: string
  diskStatus?: string
  isSystemVolume?: boolean
  queryContent?: string
  instanceID?: string
}

export interface CreateSnapshotParams {
  regionID: string
  diskID: string
  /** 2-63 chars, `[A-Za-z0-9_-]`, starting alphanumeric (doc api 7907). */
  snapshotName: string
  retentionPolicy: 'custom' | 'forever'
  retentionTime?: number
  /** Honoured only on the order path (first snapshot); a fresh uuid when omitted, the same on every retry. */
  clientToken?: string
}

/** Where a create went: an order to poll, or a job to poll. */
export type SnapshotCreation =
  | { flow: 'order'; masterOrderID: string; masterOrderNO?: string; clientToken?: string }
  | { flow: 'job'; snapshotJobID: string; snapshotID?: string; clientToken?: string }

/** Snapshot statuses that end the wait with an error; the rest (creating, freezing, cloning, …) keep waiting. */
export const FAILED_SNAPSHOT_STATUSES: readonly string[] = ['error', 'deleting', 'deleted']

/** Default deadline for a snapshot to become available: never below TF's 15 min (§8.9). */
const SNAPSHOT_WAIT_MS = Math.max(DEFAULT_WAIT_MS, TF_WAITS.snapshotAvailableMs)

const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,62}$/

export function createEbsService(caller: CtyunCaller, deps: { orders: ReturnType<typeof createOrdersService>; jobs: ReturnType<typeof createJobsService> }) {
  async function listDisksPage(params: ListDisksParams, pageNo: number, pageSize: number) {
    const { pageSize: _ignored, ...filters } = params
    const reply = await caller.request<Record<string, unknown>>({
      service: 'ebs', method: 'GET', path: '/v4/ebs/list-ebs', query: defined({ ...filters, pageNo, pageSize }),
    })
    return { items: (reply?.diskList ?? []) as Disk[], totalCount: countOf(reply?.totalCount ?? reply?.diskTotal), totalPage: countOf(reply?.totalPage) }
  }

  /** GET `/v4/ebs/list-ebs`, every page (pageSize default 100, max 300). */
  function listDisks(params: ListDisksParams): AsyncGenerator<Disk, void, undefined> {
    requireParams('ebs.listDisks', params, ['regionID'])
    return paginateByPageNo((pageNo, pageSize) => listDisksPage(params, pageNo, pageSize), { pageSize: params.pageSize ?? 100 })
  }

  /** GET `/v4/ebs/info-ebs`: the disk object directly. */
  async function getDisk(params: { regionID: string; diskID: string }): Promise<Disk> {
    requireParams('ebs.getDisk', params, ['regionID', 'diskID'])
    return caller.request<Disk>({ service: 'ebs', method: 'GET', path: '/v4/ebs/info-ebs', query: { regionID: params.regionID, diskID: params.diskID } })
  }

  /** POST `/v4/ebs_snapshot/create-ebs-snap`: returns which flow CTyun chose. */
  async function createSnapshot(params: CreateSnapshotParams): Promise<SnapshotCreation> {
    requireParams('ebs.createSnapshot', params, ['regionID', 'diskID', 'snapshotName', 'retentionPolicy'])
    if (!SNAPSHOT_NAME.test(params.snapshotName)) {
      throw new CtyunInputError('snapshotName', 'must be 2-63 characters of A-Z a-z 0-9 _ -, starting with a letter or digit')
    }
    const { clientToken, ...body } = params
    const result = await caller.call<Record<string, unknown>>({
      service: 'ebs', method: 'POST', path: '/v4/ebs_snapshot/create-ebs-snap', body: defined(body), clientToken: clientToken ?? true,
    })
    if (result.kind === 'order-in-progress') return { flow: 'order', masterOrderID: result.masterOrderID, masterOrderNO: result.masterOrderNO, clientToken: result.clientToken }
    const reply = result.returnObj ?? {}
    const resources = Array.isArray(reply.resources) ? (reply.resources as Record<string, unknown>[]) : []
    const snapshotID = resources.find((r) => typeof r.snapshotID === 'string')?.snapshotID as string | undefined
    if (typeof reply.snapshotJobID === 'string' && reply.snapshotJobID) return { flow: 'job', snapshotJobID: reply.snapshotJobID, snapshotID, clientToken: result.clientToken }
    // An 800 that carries an order (some replies put it in masterOrderID or resources[].orderID).
    const orderID = (reply.masterOrderID ?? resources.find((r) => typeof r.orderID === 'string')?.orderID) as string | undefined
    if (orderID) return { flow: 'order', masterOrderID: orderID, clientToken: result.clientToken }
    throw new CtyunResourceFailedError({ resource: `snapshot ${params.snapshotName} of disk ${params.diskID}`, status: 'unknown', reason: 'the create reply had neither snapshotJobID nor an order id' })
  }

  // `maxResults` is ignored unless `nextToken` is sent (doc api 7909, §8.7), so a first page may hold every snapshot
  // and a later one repeat some: repeats are dropped by snapshotID.
  async function* snapshotsOf(params: ListSnapshotsParams) {
    const { maxResults = 100, ...filters } = params
    yield* paginateByToken<Snapshot>(async (nextToken) => {
      const reply = await caller.request<Record<string, unknown>>({
        service: 'ebs', method: 'GET', path: '/v4/ebs_snapshot/list-ebs-snap', query: defined({ ...filters, maxResults, nextToken }),
      })
      return { items: (reply?.snapshotList ?? []) as Snapshot[], nextToken: reply?.nextToken as string | undefined }
    }, { idOf: (snapshot) => snapshot.snapshotID })
  }

  /** GET `/v4/ebs_snapshot/list-ebs-snap`, following `nextToken` (this API has no pageNo). */
  function listSnapshots(params: ListSnapshotsParams): AsyncGenerator<Snapshot, void, undefined> {
    requireParams('ebs.listSnapshots', params, ['regionID'])
    return snapshotsOf(params)
  }

  /** There is no snapshot "show" API: list filtered by snapshotID (§3.2). Undefined when not (yet) listed. */
  async function getSnapshot(params: { regionID: string; snapshotID: string }): Promise<Snapshot | undefined> {
    requireParams('ebs.getSnapshot', params, ['regionID', 'snapshotID'])
    for await (const snapshot of snapshotsOf({ regionID: params.regionID, snapshotID: params.snapshotID })) {
      if (snapshot.snapshotID === params.snapshotID) return snapshot
    }
    return undefined
  }

  /** POST `/v4/ebs_snapshot/delete-ebs-snap`. */
  async function deleteSnapshots(params: { regionID: string; diskID: string; snapshotIDs: string[] }) {
    requireParams('ebs.deleteSnapshots', params, ['regionID', 'diskID', 'snapshotIDs'])
    return caller.request<{ snapshotJobID?: string; notAllowedList?: string[]; notFoundList?: string[] }>({
      service: 'ebs', method: 'POST', path: '/v4/ebs_snapshot/delete-ebs-snap', body: params,
      // Deleting an already deleted snapshot lands in notFoundList, so a retry is harmless.
      idempotent: true,
    })
  }

  /**
   * The snapshots named exactly `snapshotName`, every page: one call answers for all the disks a nightly run
   * snapshotted under one name. The API's name filter is fuzzy (§3.2), so the exact match is made here.
   */
  async function listSnapshotsNamed(params: { regionID: string; snapshotName: string }): Promise<Snapshot[]> {
    requireParams('ebs.listSnapshotsNamed', params, ['regionID', 'snapshotName'])
    const named: Snapshot[] = []
    for await (const snapshot of snapshotsOf(params)) if (snapshot.snapshotName === params.snapshotName) named.push(snapshot)
    return named
  }

  /** One poll: `available` is done; `error` (and deletion) failed; anything else, or not listed yet, pending. */
  async function probeSnapshot(params: { regionID: string; snapshotID: string }): Promise<ProbeResult<Snapshot>> {
    return snapshotProbeResult(await getSnapshot(params))
  }

  /**
   * One poll of the creation (order or job) until the snapshot id is known. `doneWithoutIds`: an order's polls so far
   * that said 完成 without ids (orders.probeOrder; the result carries the new count).
   */
  async function probeSnapshotCreation(params: { regionID: string; creation: SnapshotCreation; doneWithoutIds?: number }): Promise<ProbeResult<{ snapshotID: string }> & { doneWithoutIds?: number }> {
    const { creation } = params
    if (creation.flow === 'order') {
      const order = await deps.orders.probeOrder({ masterOrderID: creation.masterOrderID, doneWithoutIds: params.doneWithoutIds })
      return { ...order, value: order.state === 'done' ? { snapshotID: order.value!.resourceIDs[0]! } : undefined }
    }
    const job = await deps.jobs.probeJob({ regionID: params.regionID, jobID: creation.snapshotJobID })
    const snapshotID = job.value?.resourceID ?? creation.snapshotID
    if (job.state === 'done' && !snapshotID) return { state: 'failed', status: job.status, reason: 'job finished without a resource id' }
    return { state: job.state, status: job.status, value: job.state === 'done' ? { snapshotID: snapshotID! } : undefined }
  }

  return {
    listDisks,
    getDisk,
    createSnapshot,
    listSnapshots,
    getSnapshot,
    listSnapshotsNamed,
    deleteSnapshots,
    probeSnapshot,
    probeSnapshotCreation,
    /** Waits for `available`: by default at least as long as TF (30 s × 30 = 15 min, §8.9). */
    waitForSnapshot: (params: { regionID: string; snapshotID: string }, options?: WaitOptions) =>
      waitFor(() => probeSnapshot(params), `snapshot ${params.snapshotID} → available`, { initialDelayMs: 3_000, maxDelayMs: 30_000, timeoutMs: SNAPSHOT_WAIT_MS, ...options }),
    /** Create, follow the order or job to the id, then wait for `available` (deadlines at least TF's, §8.9). */
    async createSnapshotAndWait(params: CreateSnapshotParams, options?: WaitOptions): Promise<Snapshot> {
      const creation = await createSnapshot(params)
      let doneWithoutIds = 0
      const { snapshotID } = await waitFor(
        async () => {
          const result = await probeSnapshotCreation({ regionID: params.regionID, creation, doneWithoutIds })
          doneWithoutIds = result.doneWithoutIds ?? doneWithoutIds
          return result
        },
        creation.flow === 'order' ? `order ${creation.masterOrderID} → snapshot id` : `job ${creation.snapshotJobID} → snapshot id`,
        { initialDelayMs: 2_000, maxDelayMs: 10_000, timeoutMs: Math.max(DEFAULT_WAIT_MS, TF_WAITS.orderMs, TF_WAITS.jobMs), ...options },
      )
      return waitFor(() => probeSnapshot({ regionID: params.regionID, snapshotID }), `snapshot ${snapshotID} → available`, { initialDelayMs: 3_000, timeoutMs: SNAPSHOT_WAIT_MS, ...options })
    },
  }
}

/** What a poll of a snapshot says, from its listing (undefined: not listed yet). */
export function snapshotProbeResult(snapshot: Snapshot | undefined): ProbeResult<Snapshot> {
  if (!snapshot) return { state: 'pending', status: 'not-found' }
  const status = String(snapshot.snapshotStatus ?? 'unknown')
  if (status === 'available') return { state: 'done', status, value: snapshot }
  if (FAILED_SNAPSHOT_STATUSES.includes(status)) return { state: 'failed', status, value: snapshot }
  return { state: 'pending', status, value: snapshot }
}

export interface ListSnapshotsParams {
  regionID: string
  diskID?: string
  snapshotID?: string
  snapshotName?: string
  snapshotStatus?: string
  snapshotType?: 'manu' | 'timer'
  volumeAttr?: 'data' | 'system'
  retentionPolicy?: string
  maxResults?: number
}
