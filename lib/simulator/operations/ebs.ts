/** EBS disks and snapshots — ebs-global (shared/ctyun-api.md §3.2). */
import { orderInProgress, SimApiError, success } from '../envelope'
import { ERROR } from '../error-codes'
import { lifecycleAt } from '../lifecycle'
import type { SimOperation } from '../operation'
import { requireInRegion } from '../lookup'
import { paginate } from '../params'
import { regionOf, startJob, startOrder } from '../runtime'
import type { DiskRecord, SnapshotRecord } from '../state'
import { diskInfoView, diskListView, snapshotStatusAt, snapshotView } from '../views'

// Letter first: TF says 只能以英文字母开头 and CAT allows a digit too; the stricter rule wins (§8.10).
const SNAPSHOT_NAME = /^[A-Za-z][A-Za-z0-9_-]{1,62}$/
// Disk statuses in which no snapshot may start (busy rule; the disk status enum is §3.2).
const TRANSITIONAL_DISK = new Set(['creating', 'diskAttaching', 'detaching', 'deleting', 'expired', 'freezing'])

function diskIn(regionID: string, diskID: string, disks: Map<string, DiskRecord>): DiskRecord {
  return requireInRegion(disks, diskID, regionID, ERROR.diskNotFound, 'disk')
}

export const ebsOperations: SimOperation[] = [
  {
    name: 'ebs.listDisks',
    service: 'ebs',
    methods: ['GET'],
    path: '/v4/ebs/list-ebs',
    handle({ params, runtime }) {
      const region = regionOf(runtime, params)
      // No `instanceID` filter: list-ebs filters by queryContent + queryKeys (§8.10, CAT evs 7338). Like any param
      // the API does not know, it is ignored, so a caller relying on it gets every disk of the region.
      const filters = {
        azName: params.optional('azName'),
        diskType: params.optional('diskType'),
        diskMode: params.optional('diskMode'),
        diskStatus: params.optional('diskStatus'),
        isSystemVolume: params.bool('isSystemVolume'),
        queryContent: params.optional('queryContent'),
      }
      const matches = [...runtime.state.disks.values()].filter(
        (d) =>
          d.regionID === region.regionID &&
          (!filters.azName || d.azName === filters.azName) &&
          (!filters.diskType || d.diskType === filters.diskType) &&
          (!filters.diskMode || d.diskMode === filters.diskMode) &&
          (!filters.diskStatus || d.diskStatus === filters.diskStatus) &&
          (filters.isSystemVolume === undefined || d.isSystemVolume === filters.isSystemVolume) &&
          (!filters.queryContent ||
            d.diskName.includes(filters.queryContent) ||
            d.diskID.includes(filters.queryContent)),
      )
      const { page, totalCount, currentCount, totalPage } = paginate(matches, params, { defaultSize: 10, maxSize: 300 })
      return success({
        diskList: page.map((d) => diskListView(d, runtime.state)),
        diskTotal: totalCount,
        currentCount,
        totalCount,
        totalPage,
      })
    },
  },
  {
    name: 'ebs.showDisk',
    service: 'ebs',
    methods: ['GET'],
    path: '/v4/ebs/info-ebs',
    handle({ params, runtime }) {
      const diskID = params.required('diskID')
      const disk = runtime.state.disks.get(diskID)
      const regionID = params.optional('regionID')
      if (!disk || (regionID && disk.regionID !== regionID))
        throw new SimApiError(ERROR.diskNotFound, `disk ${diskID} not found`)
      return success(diskInfoView(disk, runtime.state))
    },
  },
  {
    name: 'ebs.createSnapshot',
    service: 'ebs',
    methods: ['POST'],
    path: '/v4/ebs_snapshot/create-ebs-snap',
    // The token holds on the order flow only (a disk's first snapshot): a replay on the job flow makes another
    // snapshot, or is refused while the first is still creating (§8.2).
    idempotent: 'orders',
    handle(input) {
      const { params, runtime, now } = input
      const region = regionOf(runtime, params)
      const disk = diskIn(region.regionID, params.required('diskID'), runtime.state.disks)
      const snapshotName = params.required('snapshotName')
      if (!SNAPSHOT_NAME.test(snapshotName)) {
        throw new SimApiError(
          ERROR.parameter,
          'snapshotName must be 2-63 characters of A-Z a-z 0-9 _ -, starting with a letter',
        )
      }
      const retentionPolicy = params.oneOf('retentionPolicy', ['custom', 'forever'] as const)
      const retentionTime =
        retentionPolicy === 'forever' ? 65535 : params.int('retentionTime', NaN, { min: 1, max: 65535 })
      if (Number.isNaN(retentionTime))
        throw new SimApiError(ERROR.parameter, 'retentionTime is required when retentionPolicy is custom')

      if (TRANSITIONAL_DISK.has(disk.diskStatus)) {
        throw new SimApiError(ERROR.diskBusy, `disk ${disk.diskID} is ${disk.diskStatus}; no snapshot can start now`)
      }
      const busy = [...runtime.state.snapshots.values()].find(
        (s) => s.diskID === disk.diskID && ['creating', 'deleting', 'rollbacking'].includes(snapshotStatusAt(s, now)),
      )
      if (busy)
        throw new SimApiError(
          ERROR.diskBusy,
          `disk ${disk.diskID} has snapshot ${busy.snapshotID} still ${snapshotStatusAt(busy, now)}`,
        )

      const failed = runtime.faults.lifecycleFails(input.operation)
      const firstSnapshot = !disk.snapshotServiceOpened
      // The first snapshot waits for its order before the snapshot itself is taken (§3.2, TF ebs_create_ebs_snap_api.go).
      const leadMs = firstSnapshot ? runtime.durations.orderMs : runtime.durations.jobMs
      const snapshot: SnapshotRecord = {
        snapshotID: runtime.ids.uuid(),
        regionID: region.regionID,
        diskID: disk.diskID,
        snapshotName,
        snapshotType: 'manu',
        retentionPolicy,
        retentionTime,
        description: params.optional('description') ?? '',
        createdAt: now,
        lifecycle: {
          startedAt: now,
          phases: [{ status: 'creating', ms: leadMs + runtime.durations.snapshotMs }],
          final: failed ? 'error' : 'available',
        },
      }
      runtime.state.snapshots.set(snapshot.snapshotID, snapshot)
      if (firstSnapshot) {
        disk.snapshotServiceOpened = true
        const order = startOrder(input, region.regionID, 'EBS_SNAP', [snapshot.snapshotID])
        order.failed = failed
        return orderInProgress(ERROR.ebsOrderInProgress, {
          masterOrderID: order.masterOrderID,
          masterOrderNO: order.masterOrderNO,
          regionID: region.regionID,
        })
      }
      const job = startJob(input, region.regionID, 'createEbsSnapshot', snapshot.snapshotID, failed)
      return success({ snapshotJobID: job.jobID })
    },
  },
  {
    name: 'ebs.listSnapshots',
    service: 'ebs',
    methods: ['GET'],
    path: '/v4/ebs_snapshot/list-ebs-snap',
    handle({ params, runtime, now }) {
      const region = regionOf(runtime, params)
      const f = {
        diskID: params.optional('diskID'),
        snapshotID: params.optional('snapshotID'),
        snapshotName: params.optional('snapshotName'),
        snapshotStatus: params.optional('snapshotStatus'),
        snapshotType: params.optional('snapshotType'),
        volumeAttr: params.optional('volumeAttr'),
        retentionPolicy: params.optional('retentionPolicy'),
      }
      const all = [...runtime.state.snapshots.values()]
        .filter((s) => s.regionID === region.regionID && snapshotStatusAt(s, now) !== 'deleted')
        .map((s) => snapshotView(s, runtime.state, now))
        .filter(
          (s) =>
            (!f.diskID || s.diskID === f.diskID) &&
            (!f.snapshotID || s.snapshotID === f.snapshotID) &&
            (!f.snapshotName || s.snapshotName.includes(f.snapshotName)) &&
            (!f.snapshotStatus || s.snapshotStatus === f.snapshotStatus) &&
            (!f.snapshotType || s.snapshotType === f.snapshotType) &&
            (!f.volumeAttr || s.volumeAttr === f.volumeAttr) &&
            (!f.retentionPolicy || s.retentionPolicy === f.retentionPolicy),
        )
      // Token paging (§4): `maxResults` counts only when `nextToken` is sent (doc api 7909: "默认值仅当参数nextToken指定了
      // 参数值时才有效"), so a first call gets every snapshot whatever maxResults says (§8.7). The token is an offset.
      const paging = params.has('nextToken')
      const maxResults = params.int('maxResults', 10, { min: 1, max: 1000 })
      const offset = paging ? params.int('nextToken', 0, { min: 0 }) : 0
      const page = paging ? all.slice(offset, offset + maxResults) : all
      const next = paging && offset + maxResults < all.length ? String(offset + maxResults) : ''
      return success({
        snapshotTotal: all.length,
        snapshotManuTotal: all.filter((s) => s.snapshotType === 'manu').length,
        snapshotSize: all.reduce((sum, s) => sum + s.volumeSize * 1024 ** 3, 0),
        snapshotList: page,
        nextToken: next,
      })
    },
  },
  {
    name: 'ebs.deleteSnapshots',
    service: 'ebs',
    methods: ['POST'],
    path: '/v4/ebs_snapshot/delete-ebs-snap',
    // The API documents no clientToken (§3.2); only the refund path is an order, so only it would be replayed (§8.2).
    idempotent: 'orders',
    handle(input) {
      const { params, runtime, now } = input
      const region = regionOf(runtime, params)
      const disk = diskIn(region.regionID, params.required('diskID'), runtime.state.disks)
      const refundOrder = params.bool('refundOrder') === true
      const ofDisk = [...runtime.state.snapshots.values()].filter((s) => s.diskID === disk.diskID && !s.deleted)
      const ids = refundOrder ? ofDisk.map((s) => s.snapshotID) : params.list('snapshotIDs')
      if (!ids || ids.length === 0)
        throw new SimApiError(ERROR.parameter, 'snapshotIDs is required (a non-empty array)')
      const notFoundList: string[] = []
      const notAllowedList: string[] = []
      const deleting: SnapshotRecord[] = []
      for (const id of ids) {
        const snapshot = runtime.state.snapshots.get(id)
        if (!snapshot || snapshot.diskID !== disk.diskID || snapshot.deleted) notFoundList.push(id)
        else if (
          lifecycleAt(snapshot.lifecycle, now).status !== 'available' &&
          lifecycleAt(snapshot.lifecycle, now).status !== 'error'
        )
          notAllowedList.push(id)
        else deleting.push(snapshot)
      }
      for (const snapshot of deleting) {
        snapshot.deleted = {
          at: now,
          lifecycle: {
            startedAt: now,
            phases: [{ status: 'deleting', ms: runtime.durations.jobMs }],
            final: 'deleted',
          },
        }
      }
      if (refundOrder) {
        disk.snapshotServiceOpened = false
        const order = startOrder(input, region.regionID, 'EBS_SNAP_REFUND', [disk.diskID])
        return success({
          masterOrderID: order.masterOrderID,
          masterOrderNO: order.masterOrderNO,
          regionID: region.regionID,
        })
      }
      const job = startJob(input, region.regionID, 'deleteEbsSnapshot', deleting.map((s) => s.snapshotID).join(','))
      return success({ snapshotJobID: job.jobID, notAllowedList, notFoundList })
    },
  },
]
