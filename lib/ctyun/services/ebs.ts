/**
 * EBS 云硬盘 (ebs-global): disks and snapshots (shared/ctyun-api.md §3.2).
 *
 * Snapshot create has two flows (TF ebs_create_ebs_snap_api.go header): a disk's FIRST snapshot goes through an order
 * (statusCode 900 `ebs.order.inProgress` + masterOrderID → order query → snapshot id); later ones return
 * `snapshotJobID` (→ `/v4/job/info` → snapshot id). Then the snapshot becomes `available`.
 *
 * The clientToken makes a create idempotent on the order flow only (§8.2), so a create is never re-sent blind: after
 * an attempt whose outcome is unknown (timeout, dropped reply, 5xx) the disk's snapshots are read, and one under the
 * same name is adopted instead of making a second. The name is the operation's identity: give each snapshot you mean
 * to make a name of its own (the nightly job uses `<prefix>-<run id>`).
 */
import type { CtyunCaller } from '../caller'
import { TF_WAITS } from '../poll-schedule'
import type { ProbeResult, WaitOptions } from '../wait'
import { DEFAULT_WAIT_MS, waitFor } from '../wait'
import { countOf, paginateByPageNo, paginateByToken } from '../paginate'
import { isOutcomeUnknown, mayBeStateRefusal } from '../call-outcome'
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

/**
 * list-ebs's filters (CAT evs api 7338). There is no `instanceID` filter (§8.10): the cloud ignores a param it does not
 * know and returns every disk, so listDisks refuses one instead; filter the listed disks on `instanceID` yourself.
 */
export interface ListDisksParams {
  regionID: string
  pageSize?: number
  azName?: string
  projectID?: string
  diskType?: string
  diskMode?: string
  diskStatus?: string
  multiAttach?: boolean
  isSystemVolume?: boolean
  isEncrypt?: boolean
  /** Fuzzy search text, matched against the fields `queryKeys` names. */
  queryContent?: string
  queryKeys?: string
  decPoolID?: string
  deleteDiskWithInstance?: boolean
}

const LIST_DISKS_PARAMS: ReadonlySet<string> = new Set([
  'regionID',
  'pageSize',
  'azName',
  'projectID',
  'diskType',
  'diskMode',
  'diskStatus',
  'multiAttach',
  'isSystemVolume',
  'isEncrypt',
  'queryContent',
  'queryKeys',
  'decPoolID',
  'deleteDiskWithInstance',
] satisfies (keyof ListDisksParams)[])

export interface CreateSnapshotParams {
  regionID: string
  diskID: string
  /** 2-63 chars, `[A-Za-z0-9_-]`, starting with a letter (TF; CAT api 7907 also allows a digit: §8.10). */
  snapshotName: string
  retentionPolicy: 'custom' | 'forever'
  retentionTime?: number
  /** Honoured only on the order path (first snapshot); a fresh uuid when omitted, the same on every retry. */
  clientToken?: string
}

/**
 * Where a create went: an order to poll, a job to poll, or — when an attempt's outcome was unknown and the disk already
 * had a snapshot under the name — that snapshot, adopted.
 */
export type SnapshotCreation =
  | { flow: 'order'; masterOrderID: string; masterOrderNO?: string; clientToken?: string }
  | { flow: 'job'; snapshotJobID: string; snapshotID?: string; clientToken?: string }
  | { flow: 'adopted'; snapshotID: string; clientToken?: string }

/** Snapshot statuses that end the wait with an error; the rest (creating, freezing, cloning, …) keep waiting. */
export const FAILED_SNAPSHOT_STATUSES: readonly string[] = ['error', 'deleting', 'deleted']

/**
 * Snapshot statuses of work in progress on the disk (§3.2 status list): while one of its snapshots is in one of them,
 * CTyun may refuse another snapshot of the disk, whatever code it answers with (§8.3), so the create waits.
 */
export const BUSY_SNAPSHOT_STATUSES: readonly string[] = ['creating', 'deleting', 'rollbacking', 'cloning']

/** How many times `createSnapshotAndWait` waits out a busy disk before it gives up with CTyun's refusal. */
const BUSY_ROUNDS = 3

// Letter first: TF says 只能以英文字母开头, CAT also allows a digit; the stricter rule holds on both (§8.10).
const SNAPSHOT_NAME = /^[A-Za-z][A-Za-z0-9_-]{1,62}$/

/** Default deadline for a snapshot to become available: never below TF's 15 min (§8.9). */
const SNAPSHOT_WAIT_MS = Math.max(DEFAULT_WAIT_MS, TF_WAITS.snapshotAvailableMs)

export function createEbsService(
  caller: CtyunCaller,
  deps: { orders: ReturnType<typeof createOrdersService>; jobs: ReturnType<typeof createJobsService> },
) {
  async function listDisksPage(params: ListDisksParams, pageNo: number, pageSize: number) {
    const { pageSize: _ignored, ...filters } = params
    const reply = await caller.request<Record<string, unknown>>({
      service: 'ebs',
      method: 'GET',
      path: '/v4/ebs/list-ebs',
      query: defined({ ...filters, pageNo, pageSize }),
    })
    return {
      items: (reply?.diskList ?? []) as Disk[],
      totalCount: countOf(reply?.totalCount ?? reply?.diskTotal),
      totalPage: countOf(reply?.totalPage),
    }
  }

  /**
   * GET `/v4/ebs/list-ebs`, every page (pageSize default 100, max 300). Listed disks carry no `labels` (§8.1): read
   * them with getDisk. A param list-ebs does not document is refused before any call, since the cloud would ignore it.
   */
  function listDisks(params: ListDisksParams): AsyncGenerator<Disk, void, undefined> {
    requireParams('ebs.listDisks', params, ['regionID'])
    const unknown = Object.entries(params).find(
      ([name, value]) => value !== undefined && !LIST_DISKS_PARAMS.has(name),
    )?.[0]
    if (unknown === 'instanceID') {
      throw new CtyunInputError(
        'instanceID',
        'is not a list-ebs filter (the API would ignore it and return every disk); filter the listed disks on instanceID',
      )
    }
    if (unknown) {
      throw new CtyunInputError(unknown, `is not a list-ebs filter (known: ${[...LIST_DISKS_PARAMS].join(', ')})`)
    }
    return paginateByPageNo((pageNo, pageSize) => listDisksPage(params, pageNo, pageSize), {
      pageSize: params.pageSize ?? 100,
    })
  }

  /**
   * GET `/v4/ebs/info-ebs`: the disk object directly. Its `labels` are there only where the region supports labels
   * (§8.1); elsewhere the field is absent.
   */
  async function getDisk(params: { regionID: string; diskID: string }): Promise<Disk> {
    requireParams('ebs.getDisk', params, ['regionID', 'diskID'])
    return caller.request<Disk>({
      service: 'ebs',
      method: 'GET',
      path: '/v4/ebs/info-ebs',
      query: { regionID: params.regionID, diskID: params.diskID },
    })
  }

  /**
   * POST `/v4/ebs_snapshot/create-ebs-snap`: returns which flow CTyun chose. An attempt whose outcome is unknown is
   * followed by a look at the disk's snapshots under this name before anything is sent again (the clientToken holds
   * on the order flow only, §8.2): one found is adopted (`flow: 'adopted'`), none found → sent again, same clientToken.
   */
  async function createSnapshot(params: CreateSnapshotParams): Promise<SnapshotCreation> {
    requireParams('ebs.createSnapshot', params, ['regionID', 'diskID', 'snapshotName', 'retentionPolicy'])
    if (!SNAPSHOT_NAME.test(params.snapshotName)) {
      throw new CtyunInputError('snapshotName', 'must be 2-63 characters of A-Z a-z 0-9 _ -, starting with a letter')
    }
    const { clientToken, ...body } = params
    let adopted: Snapshot | undefined
    const look = async () => {
      adopted = adoptableSnapshot(await findSnapshots(params))
      return adopted === undefined
    }
    let result: Awaited<ReturnType<typeof caller.call<Record<string, unknown>>>>
    try {
      result = await caller.call<Record<string, unknown>>({
        service: 'ebs',
        method: 'POST',
        path: '/v4/ebs_snapshot/create-ebs-snap',
        body: defined(body),
        clientToken: clientToken ?? true,
        lookBeforeRetry: look,
      })
    } catch (error) {
      // The last attempt's outcome is unknown too (no retry left to look before): look once more, so a caller that
      // gives up here is not left with a snapshot it does not know of. A failed look leaves the error as it was.
      if (!adopted && isOutcomeUnknown(error)) await look().catch(() => true)
      if (adopted) return { flow: 'adopted', snapshotID: adopted.snapshotID, ...(clientToken ? { clientToken } : {}) }
      throw error
    }
    if (result.kind === 'order-in-progress')
      return {
        flow: 'order',
        masterOrderID: result.masterOrderID,
        masterOrderNO: result.masterOrderNO,
        clientToken: result.clientToken,
      }
    const reply = result.returnObj ?? {}
    const resources = Array.isArray(reply.resources) ? (reply.resources as Record<string, unknown>[]) : []
    const snapshotID = resources.find((r) => typeof r.snapshotID === 'string')?.snapshotID as string | undefined
    if (typeof reply.snapshotJobID === 'string' && reply.snapshotJobID)
      return { flow: 'job', snapshotJobID: reply.snapshotJobID, snapshotID, clientToken: result.clientToken }
    // An 800 that carries an order (some replies put it in masterOrderID or resources[].orderID).
    const orderID = (reply.masterOrderID ?? resources.find((r) => typeof r.orderID === 'string')?.orderID) as
      | string
      | undefined
    if (orderID) return { flow: 'order', masterOrderID: orderID, clientToken: result.clientToken }
    throw new CtyunResourceFailedError({
      resource: `snapshot ${params.snapshotName} of disk ${params.diskID}`,
      status: 'unknown',
      reason: 'the create reply had neither snapshotJobID nor an order id',
    })
  }

  // `maxResults` is ignored unless `nextToken` is sent (doc api 7909, §8.7), so a first page may hold every snapshot
  // and a later one repeat some: repeats are dropped by snapshotID.
  async function* snapshotsOf(params: ListSnapshotsParams) {
    const { maxResults = 100, ...filters } = params
    yield* paginateByToken<Snapshot>(
      async (nextToken) => {
        const reply = await caller.request<Record<string, unknown>>({
          service: 'ebs',
          method: 'GET',
          path: '/v4/ebs_snapshot/list-ebs-snap',
          query: defined({ ...filters, maxResults, nextToken }),
        })
        return { items: (reply?.snapshotList ?? []) as Snapshot[], nextToken: reply?.nextToken as string | undefined }
      },
      { idOf: (snapshot) => snapshot.snapshotID },
    )
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
      service: 'ebs',
      method: 'POST',
      path: '/v4/ebs_snapshot/delete-ebs-snap',
      body: params,
      // Deleting an already deleted snapshot lands in notFoundList, so a retry is harmless.
      idempotent: true,
    })
  }

  /**
   * The snapshots named exactly `snapshotName`, every page: one call answers for all the disks a nightly run
   * snapshotted under one name. The API's name filter is fuzzy (§3.2), so the exact match is made here, and a
   * snapshot listed twice (paging the server does not honour, §8.7) is kept once.
   */
  async function listSnapshotsNamed(params: { regionID: string; snapshotName: string }): Promise<Snapshot[]> {
    requireParams('ebs.listSnapshotsNamed', params, ['regionID', 'snapshotName'])
    return uniqueSnapshots(snapshotsOf(params), (snapshot) => snapshot.snapshotName === params.snapshotName)
  }

  /** The snapshots of one disk named exactly `snapshotName` (list-ebs-snap by diskID and name; exact, once each, §8.7). */
  async function findSnapshots(params: {
    regionID: string
    diskID: string
    snapshotName: string
  }): Promise<Snapshot[]> {
    requireParams('ebs.findSnapshots', params, ['regionID', 'diskID', 'snapshotName'])
    const { regionID, diskID, snapshotName } = params
    return uniqueSnapshots(
      snapshotsOf({ regionID, diskID, snapshotName }),
      (s) => s.snapshotName === snapshotName && s.diskID === diskID,
    )
  }

  /**
   * One look at a disk's snapshots: `pending` while one of them is being created, deleted, rolled back or cloned
   * (status names the snapshot), `done` when none is. Decided from the snapshots' states, not from an error code.
   */
  async function probeDiskSnapshots(params: { regionID: string; diskID: string }): Promise<ProbeResult<Snapshot[]>> {
    requireParams('ebs.probeDiskSnapshots', params, ['regionID', 'diskID'])
    const snapshots = await uniqueSnapshots(
      snapshotsOf({ regionID: params.regionID, diskID: params.diskID }),
      (s) => s.diskID === params.diskID,
    )
    return diskActivity(snapshots)
  }

  /**
   * Create, and if CTyun refuses while the disk has a snapshot at work (an earlier snapshot being created or deleted),
   * wait until it has none — then adopt a snapshot of this name that appeared meanwhile, or create again.
   */
  async function createWhenDiskIdle(params: CreateSnapshotParams, options: WaitOptions): Promise<SnapshotCreation> {
    let idleRefusals = 0
    for (let round = 1; ; round++) {
      try {
        return await createSnapshot(params)
      } catch (error) {
        if (!mayBeStateRefusal(error) || round > BUSY_ROUNDS) throw error
        // Refused with the disk idle just after: maybe a race with the work ending, so once more; twice, it is not the disk.
        if ((await probeDiskSnapshots(params)).state === 'done') {
          if (++idleRefusals >= 2) throw error
        } else {
          await waitFor(() => probeDiskSnapshots(params), `disk ${params.diskID} → no snapshot at work`, {
            initialDelayMs: 2_000,
            ...options,
          })
        }
        const found = adoptableSnapshot(await findSnapshots(params))
        if (found) return { flow: 'adopted', snapshotID: found.snapshotID }
      }
    }
  }

  /** One poll: `available` is done; `error` (and deletion) failed; anything else, or not listed yet, pending. */
  async function probeSnapshot(params: { regionID: string; snapshotID: string }): Promise<ProbeResult<Snapshot>> {
    return snapshotProbeResult(await getSnapshot(params))
  }

  /**
   * One poll of the creation (order or job) until the snapshot id is known. `doneWithoutIds`: an order's polls so far
   * that said 完成 without ids (orders.probeOrder; the result carries the new count).
   */
  async function probeSnapshotCreation(params: {
    regionID: string
    creation: SnapshotCreation
    doneWithoutIds?: number
  }): Promise<ProbeResult<{ snapshotID: string }> & { doneWithoutIds?: number }> {
    const { creation } = params
    if (creation.flow === 'adopted')
      return { state: 'done', status: 'adopted', value: { snapshotID: creation.snapshotID } }
    if (creation.flow === 'order') {
      const order = await deps.orders.probeOrder({
        masterOrderID: creation.masterOrderID,
        doneWithoutIds: params.doneWithoutIds,
      })
      return { ...order, value: order.state === 'done' ? { snapshotID: order.value!.resourceIDs[0]! } : undefined }
    }
    const job = await deps.jobs.probeJob({ regionID: params.regionID, jobID: creation.snapshotJobID })
    const snapshotID = job.value?.resourceID ?? creation.snapshotID
    if (job.state === 'done' && !snapshotID)
      return { state: 'failed', status: job.status, reason: 'job finished without a resource id' }
    return {
      state: job.state,
      status: job.status,
      value: job.state === 'done' ? { snapshotID: snapshotID! } : undefined,
    }
  }

  return {
    listDisks,
    /**
     * One page of GET `/v4/ebs/list-ebs` (pageSize max 300), with the totals the reply gives: for a reader that keeps
     * positions in the listing (the nightly job's pages re-read their ranges of it).
     */
    listDisksPage(params: ListDisksParams, pageNo: number, pageSize: number) {
      requireParams('ebs.listDisksPage', params, ['regionID'])
      return listDisksPage(params, pageNo, pageSize)
    },
    getDisk,
    createSnapshot,
    listSnapshots,
    getSnapshot,
    listSnapshotsNamed,
    findSnapshots,
    probeDiskSnapshots,
    deleteSnapshots,
    probeSnapshot,
    probeSnapshotCreation,
    /** Waits for `available`: by default at least as long as TF (30 s × 30 = 15 min, §8.9). */
    waitForSnapshot: (params: { regionID: string; snapshotID: string }, options?: WaitOptions) =>
      waitFor(() => probeSnapshot(params), `snapshot ${params.snapshotID} → available`, {
        initialDelayMs: 3_000,
        maxDelayMs: 30_000,
        timeoutMs: SNAPSHOT_WAIT_MS,
        ...options,
      }),
    /**
     * Create (waiting out a disk busy with an earlier snapshot's creation or deletion, within `options.timeoutMs` per
     * wait), follow the order or job to the id, then wait for `available` (deadlines at least TF's, §8.9).
     */
    async createSnapshotAndWait(params: CreateSnapshotParams, options: WaitOptions = {}): Promise<Snapshot> {
      const creation = await createWhenDiskIdle(params, options)
      let doneWithoutIds = 0
      const { snapshotID } = await waitFor(
        async () => {
          const result = await probeSnapshotCreation({ regionID: params.regionID, creation, doneWithoutIds })
          doneWithoutIds = result.doneWithoutIds ?? doneWithoutIds
          return result
        },
        creationName(creation),
        {
          initialDelayMs: 2_000,
          maxDelayMs: 10_000,
          timeoutMs: Math.max(DEFAULT_WAIT_MS, TF_WAITS.orderMs, TF_WAITS.jobMs),
          ...options,
        },
      )
      return waitFor(
        () => probeSnapshot({ regionID: params.regionID, snapshotID }),
        `snapshot ${snapshotID} → available`,
        { initialDelayMs: 3_000, timeoutMs: SNAPSHOT_WAIT_MS, ...options },
      )
    },
  }
}

/** What is being waited for to learn a creation's snapshot id, e.g. `job j-1 → snapshot id`. */
export function creationName(creation: SnapshotCreation): string {
  if (creation.flow === 'order') return `order ${creation.masterOrderID} → snapshot id`
  if (creation.flow === 'job') return `job ${creation.snapshotJobID} → snapshot id`
  return `snapshot ${creation.snapshotID} (adopted)`
}

/**
 * The snapshot a create under a name would make, when the disk already has it: the newest of those not failed or
 * going away (a failed one is no snapshot to keep; a new create is the way on). Undefined when there is none.
 */
export function adoptableSnapshot(named: readonly Snapshot[]): Snapshot | undefined {
  const live = named.filter((s) => !FAILED_SNAPSHOT_STATUSES.includes(String(s.snapshotStatus)))
  return live.sort((a, b) => String(b.createTime ?? '').localeCompare(String(a.createTime ?? '')))[0]
}

/** A disk's snapshots → `pending` while one is at work (BUSY_SNAPSHOT_STATUSES), `done` when none is. */
export function diskActivity(snapshots: readonly Snapshot[]): ProbeResult<Snapshot[]> {
  const busy = snapshots.find((s) => BUSY_SNAPSHOT_STATUSES.includes(String(s.snapshotStatus)))
  if (busy)
    return { state: 'pending', status: `snapshot ${busy.snapshotID} ${busy.snapshotStatus}`, value: [...snapshots] }
  return { state: 'done', status: 'no snapshot at work', value: [...snapshots] }
}

async function uniqueSnapshots(
  snapshots: AsyncIterable<Snapshot>,
  keep: (snapshot: Snapshot) => boolean,
): Promise<Snapshot[]> {
  const seen = new Map<string, Snapshot>()
  for await (const snapshot of snapshots)
    if (keep(snapshot) && !seen.has(snapshot.snapshotID)) seen.set(snapshot.snapshotID, snapshot)
  return [...seen.values()]
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
