/**
 * `ctyun:ebs:createSnapshot.sync`: create, then wait until the snapshot is `available`.
 *
 * The waits of one name (a nightly run snapshots all its disks under `<prefix>-<run id>`) poll one listing together:
 * list-ebs-snap by name answers for every disk at once, with the snapshot's id and status, so a disk whose snapshot
 * is listed needs no poll of its own. The creation (order or job, shared/ctyun-api.md §3.2) is polled only when the
 * listing cannot say which snapshot is this wait's: none of the disk under that name yet, or several (a retried
 * attempt made one too) — it gives the id, and tells a failed order from one still in progress.
 */
import type { CtyunClient } from '../../ctyun/client'
import { CREATION_SCHEDULE, RESOURCE_SCHEDULE, SHARED_SNAPSHOTS_SCHEDULE } from '../../ctyun/poll-schedule'
import { snapshotProbeResult, type Snapshot, type SnapshotCreation } from '../../ctyun/services/ebs'
import type { PollGroups } from './poll-groups'
import type { ActionContext, ProbeOutcome } from './registry'
import { failed, firstWait, waitMore } from './wait-outcomes'

export interface SnapshotWaitHandle {
  regionID: string
  /** With `snapshotName`: the wait polls the name's listing (handles saved before these fields poll by id). */
  diskID?: string
  snapshotName?: string
  creation: SnapshotCreation
  snapshotID?: string
  /** Time waited (wait-outcomes.ts); the first probe sets it. */
  waitedMs?: number
  /** When the create was sent (poll-groups' clock): no listing from before then says anything about this snapshot. */
  startedAt?: number
  /** Polls of the order that said 完成 without ids (orders.probeOrder gives up after a few, §8.9). */
  doneWithoutIds?: number
}

export function snapshotWait(client: CtyunClient, groups: PollGroups) {
  const shares = (handle: SnapshotWaitHandle) => Boolean(handle.diskID && handle.snapshotName)

  /** This wait's snapshot as the shared listing shows it; undefined when the listing cannot tell which it is. */
  async function listed(handle: SnapshotWaitHandle): Promise<{ snapshot?: Snapshot; all: Snapshot[] }> {
    const { regionID, snapshotName } = handle as Required<SnapshotWaitHandle>
    const since = handle.startedAt ?? groups.now() - (handle.waitedMs ?? 0)
    const all = await groups.read(`ebs-snapshots|${regionID}|${snapshotName}`, { since, member: handle.diskID }, () => client.ebs.listSnapshotsNamed({ regionID, snapshotName }))
    const ofDisk = all.filter((snapshot) => snapshot.diskID === handle.diskID)
    const snapshot = handle.snapshotID ? ofDisk.find((s) => s.snapshotID === handle.snapshotID) : ofDisk.length === 1 ? ofDisk[0] : undefined
    return { snapshot, all }
  }

  return {
    async start(input: Record<string, unknown>, context: ActionContext): Promise<SnapshotWaitHandle> {
      const startedAt = groups.now()
      const creation = await client.ebs.createSnapshot({ ...(input as never as Parameters<CtyunClient['ebs']['createSnapshot']>[0]), clientToken: context.clientToken })
      return {
        regionID: String(input.regionID),
        ...(typeof input.diskID === 'string' && typeof input.snapshotName === 'string' ? { diskID: input.diskID, snapshotName: input.snapshotName, startedAt } : {}),
        creation,
      }
    },

    async probe(handle: SnapshotWaitHandle): Promise<ProbeOutcome> {
      const shared = shares(handle)
      const schedule = shared ? SHARED_SNAPSHOTS_SCHEDULE : CREATION_SCHEDULE
      // The snapshot's lifecycle began with the create, so every poll is timed from there.
      if (handle.waitedMs === undefined) return firstWait(handle, schedule)
      let snapshotID = handle.snapshotID
      let snapshot: Snapshot | undefined
      let all: Snapshot[] | undefined
      if (shared) ({ snapshot, all } = await listed(handle))
      if (!snapshot && !snapshotID) {
        const created = await client.ebs.probeSnapshotCreation({ regionID: handle.regionID, creation: handle.creation, doneWithoutIds: handle.doneWithoutIds })
        if (created.state === 'failed') throw failed(creationName(handle.creation), created)
        if (created.state === 'pending') return waitMore({ state: 'pending', status: `creating (${created.status})` }, { ...handle, ...(created.doneWithoutIds ? { doneWithoutIds: created.doneWithoutIds } : {}) }, schedule)
        snapshotID = created.value!.snapshotID
        if (!all) return waitMore({ state: 'pending', status: 'snapshot id known' }, { ...handle, snapshotID }, RESOURCE_SCHEDULE)
        snapshot = all.find((s) => s.snapshotID === snapshotID)
      }
      const result = all ? snapshotProbeResult(snapshot) : await client.ebs.probeSnapshot({ regionID: handle.regionID, snapshotID: snapshotID! })
      const id = snapshot?.snapshotID ?? snapshotID
      if (result.state === 'failed') throw failed(`snapshot ${id}`, result)
      if (result.state === 'done') return { state: 'done', status: result.status, value: result.value ?? null }
      return waitMore({ state: 'pending', status: result.status }, { ...handle, ...(id ? { snapshotID: id } : {}) }, shared ? SHARED_SNAPSHOTS_SCHEDULE : RESOURCE_SCHEDULE)
    },
  }
}

function creationName(creation: SnapshotCreation): string {
  return creation.flow === 'order' ? `order ${creation.masterOrderID} → snapshot id` : `job ${creation.snapshotJobID} → snapshot id`
}
