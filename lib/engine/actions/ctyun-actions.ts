import type { CtyunClient } from '../../ctyun/client'
import { CtyunInputError, CtyunResourceFailedError } from '../../ctyun/errors'
import { collect } from '../../ctyun/paginate'
import type { ProbeResult } from '../../ctyun/wait'
import type { SnapshotCreation } from '../../ctyun/services/ebs'
import { BACKUP_PREPARING_SCHEDULE, CREATION_SCHEDULE, elapsedPollDelay, percentOf, progressPollDelay, RESOURCE_SCHEDULE, type ElapsedSchedule, type ProgressMark } from '../../ctyun/poll-schedule'
import type { CtyunActionName } from './ctyun-action-names'
import type { ActionContext, ActionRegistry, ProbeOutcome, SyncAction } from './registry'

/**
 * Binds lib/ctyun operations as Task resources `ctyun:<service>:<operation>` (add `.sync` to wait for completion).
 * Inputs are the client method's parameters; writes get the Task's deterministic clientToken, so a run resumed after
 * a crash re-issues the same request and CTyun returns the same resource. List operations return every page as an
 * array. `pollDelayMs` overrides the `.sync` poll schedule (default 1 s ×3, then ×1.5 up to 30 s). The names and kinds
 * are listed in ctyun-action-names.ts (so a registry can know them before this code loads); the full list with notes
 * is in lib/engine/ARCHITECTURE.md.
 *
 * @example registerCtyunActions(createActionRegistry(), createCtyunClient(target.clientOptions))
 */
export function registerCtyunActions(registry: ActionRegistry, client: CtyunClient, options: { pollDelayMs?: (polls: number) => number } = {}): ActionRegistry {
  const call = (name: CtyunActionName<'call'>, run: (input: Params, context: ActionContext) => Promise<unknown>) => registry.register(`ctyun:${name}`, { call: (input, context) => run(params(name, input), context) })
  const sync = <H>(name: CtyunActionName<'sync'>, action: { start(input: Params, context: ActionContext): Promise<H>; probe(handle: H, context: ActionContext): Promise<ProbeOutcome> }) =>
    registry.register(`ctyun:${name}`, {
      start: (input, context) => action.start(params(name, input), context),
      probe: (handle, context) => action.probe(handle as H, context),
      ...(options.pollDelayMs ? { pollDelayMs: options.pollDelayMs } : {}),
    } satisfies SyncAction<H>)

  // ——— ECS ———
  call('ecs:listInstances', (input) => collect(client.ecs.listInstances(input as never)))
  call('ecs:getInstance', (input) => client.ecs.getInstance(input as never))

  // ——— EBS ———
  call('ebs:listDisks', (input) => collect(client.ebs.listDisks(input as never)))
  call('ebs:getDisk', (input) => client.ebs.getDisk(input as never))
  call('ebs:listSnapshots', (input) => collect(client.ebs.listSnapshots(input as never)))
  call('ebs:getSnapshot', async (input) => (await client.ebs.getSnapshot(input as never)) ?? null)
  call('ebs:deleteSnapshots', (input) => client.ebs.deleteSnapshots(input as never))
  // Plain form: the creation (order or job); `.sync`: follows it to the snapshot id, then waits for `available`.
  sync<{ regionID: string; creation: SnapshotCreation; snapshotID?: string; waitedMs?: number }>('ebs:createSnapshot', {
    async start(input, context) {
      const creation = await client.ebs.createSnapshot({ ...(input as never as Parameters<CtyunClient['ebs']['createSnapshot']>[0]), clientToken: context.clientToken })
      return { regionID: String(input.regionID), creation }
    },
    async probe(handle) {
      // The snapshot's lifecycle began with the create, so both phases are timed from there (handle.waitedMs).
      if (handle.waitedMs === undefined) return firstWait(handle, CREATION_SCHEDULE)
      if (!handle.snapshotID) {
        const created = await client.ebs.probeSnapshotCreation({ regionID: handle.regionID, creation: handle.creation })
        if (created.state === 'failed') throw failed(creationName(handle.creation), created)
        if (created.state === 'pending') return waitMore({ state: 'pending', status: `creating (${created.status})` }, handle, CREATION_SCHEDULE)
        return waitMore({ state: 'pending', status: 'snapshot id known' }, { ...handle, snapshotID: created.value!.snapshotID }, RESOURCE_SCHEDULE)
      }
      const outcome = orFail(await client.ebs.probeSnapshot({ regionID: handle.regionID, snapshotID: handle.snapshotID }), `snapshot ${handle.snapshotID}`)
      return outcome.state === 'pending' ? waitMore(outcome, handle, RESOURCE_SCHEDULE) : outcome
    },
  })

  // ——— CBR (云备份) ———
  call('cbr:listPolicies', (input) => collect(client.cbr.listPolicies(input as never)))
  call('cbr:listTasks', (input) => collect(client.cbr.listTasks(input as never)))
  call('cbr:listBackups', (input) => collect(client.cbr.listBackups(input as never)))
  sync<{ regionID: string; backupTaskID: string; backupSrcInstanceID?: string; waitedMs?: number; firstProgress?: ProgressMark }>('cbr:executePolicy', {
    async start(input, context) {
      // execute-now takes no clientToken, so a run resumed after a crash could start a second backup. Adopt a task of
      // this policy that is still running, or that started since this attempt was first scheduled (its first try got
      // as far as CTyun before the crash) — with a minute's allowance for clock skew. An assumption, stated in
      // lib/engine/ARCHITECTURE.md. Tasks carry the policy's name and instance, not its ID (doc api 7961), so those
      // come from the input (`backupPolicyName`, `backupSrcInstanceID`, as the policy list returns them) or a lookup.
      const { backupPolicyName, backupSrcInstanceID, ...body } = input
      const regionID = String(body.regionID)
      const policy =
        typeof backupPolicyName === 'string'
          ? { backupPolicyName, backupSrcInstanceID: typeof backupSrcInstanceID === 'string' ? backupSrcInstanceID : undefined }
          : (await collect(client.cbr.listPolicies({ regionID, backupPolicyID: String(body.backupPolicyID) }))).find((p) => p.backupPolicyID === body.backupPolicyID)
      const instanceID = policy?.backupSrcInstanceID
      const since = context.scheduledAt === undefined ? Number.POSITIVE_INFINITY : context.scheduledAt - CLOCK_SKEW_MS
      const tasks = (await collect(client.cbr.listTasks({ regionID, ...(instanceID ? { backupSrcInstanceID: instanceID } : {}) }))).filter(
        (task) =>
          task.backupPolicyID === body.backupPolicyID ||
          (policy?.backupPolicyName !== undefined && task.backupPolicyName === policy.backupPolicyName && (!instanceID || task.backupSrcInstanceID === instanceID)),
      )
      const adopted =
        tasks.find((task) => ['Executing', 'Preparing'].includes(String(task.backupTaskStatusCode))) ??
        tasks.find((task) => beijingTimeMs(task.backupTaskStartTime) >= since)
      const done = (backupTaskID: string) => ({ regionID, backupTaskID, ...(instanceID ? { backupSrcInstanceID: instanceID } : {}) })
      if (adopted?.backupTaskID) return done(adopted.backupTaskID)
      const { backupTaskID } = await client.cbr.executePolicy(body as never)
      return done(backupTaskID)
    },
    async probe(handle) {
      if (handle.waitedMs === undefined) return firstWait(handle, BACKUP_PREPARING_SCHEDULE)
      const { regionID, backupTaskID, backupSrcInstanceID } = handle
      const task = await client.cbr.probeTask({ regionID, backupTaskID, ...(backupSrcInstanceID ? { backupSrcInstanceID } : {}) })
      const outcome = orFail(task, `backup task ${backupTaskID}`)
      if (outcome.state !== 'pending') return outcome
      // Executing with a percent: poll near the end that its progress rate points to, not every 30 s.
      const percent = task.status === 'Executing' ? percentOf(task.value?.backupTaskPercent) : undefined
      if (percent === undefined) return waitMore(outcome, handle, BACKUP_PREPARING_SCHEDULE)
      const mark = { atMs: handle.waitedMs, percent }
      const firstProgress = handle.firstProgress ?? mark
      const delay = progressPollDelay(firstProgress, mark, RESOURCE_SCHEDULE) ?? elapsedPollDelay(handle.waitedMs, RESOURCE_SCHEDULE)
      return { ...outcome, status: `${outcome.status} ${percent}%`, handle: { ...handle, firstProgress, waitedMs: handle.waitedMs + delay }, pollAfterMs: delay }
    },
  })

  // ——— IMS (镜像) ———
  call('image:listImages', (input) => collect(client.image.listImages(input as never)))
  call('image:getImage', (input) => client.image.getImage(input as never))
  call('image:listCopyDestinations', (input) => client.image.listCopyDestinations(input as never))
  // Copies take no clientToken and return nothing; the copy is found by name in the destination. A resumed run
  // (or a retry) that finds the copy already there does not copy again.
  const copy = (name: 'copyImageToRegion' | 'copyImage') =>
    sync<{ destinationRegionID: string; imageName: string }>(`image:${name}`, {
      async start(input) {
        const destinationRegionID = String(name === 'copyImage' ? input.regionID : input.destinationRegionID)
        const imageName = String(input.imageName)
        const existing = await client.image.probeImageCopy({ destinationRegionID, imageName })
        if (existing.status === 'not-found' || existing.state === 'failed') await client.image[name](input as never)
        return { destinationRegionID, imageName }
      },
      async probe(handle) {
        return orFail(await client.image.probeImageCopy(handle), `image copy "${handle.imageName}" in ${handle.destinationRegionID}`)
      },
    })
  copy('copyImageToRegion')
  copy('copyImage')

  // ——— EIP (弹性 IP) ———
  call('eip:getEip', (input) => client.eip.getEip(input as never))
  call('eip:listEips', (input) => collect(client.eip.listEips(input as never)))
  call('eip:deleteEip', (input, context) => client.eip.deleteEip({ ...(input as never as { regionID: string; eipID: string }), clientToken: context.clientToken }))
  sync<{ regionID: string; masterOrderID: string; eipID?: string }>('eip:createEip', {
    async start(input, context) {
      const order = await client.eip.createEip({ ...(input as never as Parameters<CtyunClient['eip']['createEip']>[0]), clientToken: context.clientToken })
      return { regionID: String(input.regionID), masterOrderID: order.masterOrderID, ...(order.eipID ? { eipID: order.eipID } : {}) }
    },
    async probe(handle) {
      if (handle.eipID) return { state: 'done', status: 'created', value: { eipID: handle.eipID, masterOrderID: handle.masterOrderID } }
      const order = await client.orders.probeOrder({ masterOrderID: handle.masterOrderID })
      if (order.state === 'failed') throw failed(`order ${handle.masterOrderID}`, order)
      if (order.state === 'pending') return { state: 'pending', status: order.status }
      return { state: 'done', status: order.status, value: { eipID: order.value!.resourceIDs[0], masterOrderID: handle.masterOrderID } }
    },
  })
  const bind = (name: 'associateEip' | 'disassociateEip', target: 'bound' | 'unbound') =>
    sync<{ regionID: string; eipID: string; associationID?: string }>(`eip:${name}`, {
      async start(input, context) {
        await client.eip[name]({ ...(input as never as { regionID: string; eipID: string; associationID: string; associationType: 1 }), clientToken: context.clientToken })
        return { regionID: String(input.regionID), eipID: String(input.eipID), ...(typeof input.associationID === 'string' ? { associationID: input.associationID } : {}) }
      },
      async probe(handle) {
        return orFail(await client.eip.probeEip({ ...handle, target }), `EIP ${handle.eipID} → ${target}`)
      },
    })
  bind('associateEip', 'bound')
  bind('disassociateEip', 'unbound')

  // ——— CDA (云专线) and regions ———
  call('cda:listGateways', (input) => collect(client.cda.listGateways(input as never)))
  call('regions:listRegions', (input) => client.regions.listRegions(input as never))
  return registry
}

type Params = Record<string, unknown>

/** How far CTyun's clock may be ahead of or behind ours when matching a task to the attempt that started it. */
const CLOCK_SKEW_MS = 60_000

/** CBR times are Beijing wall-clock text, `2026-11-23 10:07:28`; NaN when absent or unreadable. */
function beijingTimeMs(text: unknown): number {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$/.test(text) ? Date.parse(`${text.replace(' ', 'T')}+08:00`) : Number.NaN
}

function params(name: string, input: unknown): Params {
  if (input === undefined || input === null) return {}
  if (typeof input !== 'object' || Array.isArray(input)) throw new CtyunInputError('input', `ctyun:${name} takes an object of parameters, not ${Array.isArray(input) ? 'an array' : typeof input}`)
  return input as Params
}

function creationName(creation: SnapshotCreation): string {
  return creation.flow === 'order' ? `order ${creation.masterOrderID} → snapshot id` : `job ${creation.snapshotJobID} → snapshot id`
}

function failed(resource: string, result: ProbeResult<unknown>): CtyunResourceFailedError {
  return new CtyunResourceFailedError({ resource, status: result.status, ...(result.reason ? { reason: result.reason } : {}) })
}

/**
 * The first probe comes right after the create returned: nothing can have finished yet, so it asks for a poll after
 * the schedule's shortest delay without calling CTyun. The handle counts the time waited from here on.
 */
function firstWait<H extends object>(handle: H, schedule: ElapsedSchedule): ProbeOutcome {
  const delay = elapsedPollDelay(0, schedule)
  return { state: 'pending', status: 'started', handle: { ...handle, waitedMs: delay }, pollAfterMs: delay }
}

/** Still pending: the next poll after a fraction of the time waited so far (lib/ctyun/poll-schedule.ts). */
function waitMore<H extends { waitedMs?: number }>(outcome: ProbeOutcome, handle: H, schedule: ElapsedSchedule): ProbeOutcome {
  const waited = handle.waitedMs ?? 0
  const delay = elapsedPollDelay(waited, schedule)
  return { ...outcome, handle: { ...handle, waitedMs: waited + delay }, pollAfterMs: delay }
}

/** A failed probe throws, so the error name says what failed (Ctyun.OrderFailed vs Ctyun.ResourceFailed). */
function orFail<T>(result: ProbeResult<T>, resource: string): ProbeOutcome {
  if (result.state === 'failed') throw failed(resource, result)
  return result.state === 'done' ? { state: 'done', status: result.status, value: result.value ?? null } : { state: 'pending', status: result.status }
}
