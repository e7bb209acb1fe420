import { collect, CtyunInputError, CtyunResourceFailedError, RESOURCE_SCHEDULE, type CtyunClient } from '../ctyun'
import type { ActionContext, ActionRegistry, ProbeOutcome, SyncAction } from '../engine'
import { backupTaskWait } from './backup-task-wait'
import type { CtyunActionName } from './ctyun-action-names'
import { mapCtyunError } from './ctyun-task-errors'
import { imageCopyWait } from './image-copy-wait'
import { imageCreateWait, imageDeleteWait } from './image-create-wait'
import {
  plannedBackupTask,
  isPlannedId,
  plannedBinding,
  plannedEip,
  plannedEipRelease,
  plannedImage,
  plannedImageDeletion,
  plannedSnapshot,
  plannedSnapshotDeletion,
} from './planned-results'
import { createPollGroups } from './poll-groups'
import { snapshotWait } from './snapshot-wait'
import { failed, firstWait, orFail, waitMore } from './wait-outcomes'

/** How long an EIP (dis)association waits for the EIP to stop changing (a new EIP settling, another binding). */
export const EIP_BUSY_MAX_WAIT_MS = 5 * 60_000

/**
 * Binds lib/ctyun operations as Task resources `ctyun:<service>:<operation>` (add `.sync` to wait for completion).
 * Inputs are the client method's parameters; writes get the Task's deterministic clientToken, so a run resumed after
 * a crash re-issues the same request — and CTyun returns the same resource for orders. Writes that are no orders
 * (§8.2: a later snapshot, EIP associate/disassociate) look first: the snapshot by its name, the EIP by its state. List operations return every page as an
 * array. `pollDelayMs` overrides the `.sync` poll schedule (default 1 s ×3, then ×1.5 up to 30 s). `now` is the
 * engine's clock (default Date.now), by which waits that share a listing judge whose fetch is news (poll-groups.ts).
 * The names and kinds are listed in ctyun-action-names.ts (so a registry can know them before this code loads); the
 * full list with notes is in README.md. The registry also learns the names of lib/ctyun's errors (`mapCtyunError`,
 * ctyun-task-errors.ts): what its actions throw fails their Tasks as `Ctyun.Throttled`, `Ctyun.NotFound`, ….
 *
 * @example registerCtyunActions(createActionRegistry(), createCtyunClient(target.clientOptions))
 */
export function registerCtyunActions(
  registry: ActionRegistry,
  client: CtyunClient,
  options: { pollDelayMs?: (polls: number) => number; now?: () => number } = {},
): ActionRegistry {
  registry.mapErrors(mapCtyunError)
  // Reads run in a plan run (a dry run); writes do not: their planned result (planned-results.ts) stands in.
  const call = (name: CtyunActionName<'call'>, run: (input: Params, context: ActionContext) => Promise<unknown>) =>
    registry.register(`ctyun:${name}`, { writes: false, call: (input, context) => run(params(name, input), context) })
  const write = (
    name: CtyunActionName<'call'>,
    run: (input: Params, context: ActionContext) => Promise<unknown>,
    plan: (input: Params, context: ActionContext) => unknown,
  ) =>
    registry.register(`ctyun:${name}`, {
      call: (input, context) => run(params(name, input), context),
      plan: (input, context) => plan(params(name, input), context),
    })
  // `call`, when given, is the plain form (`ctyun:<name>` without `.sync`); otherwise the plain form returns what `start` does.
  const sync = <H>(
    name: CtyunActionName<'sync'>,
    action: {
      start(input: Params, context: ActionContext): Promise<H>
      probe(handle: H, context: ActionContext): Promise<ProbeOutcome>
      call?(input: Params, context: ActionContext): Promise<unknown>
      /** Every `.sync` action here writes: what it would return in a plan run (planned-results.ts). */
      plan(input: Params, context: ActionContext, form: 'call' | 'sync'): unknown
    },
  ) =>
    registry.register(`ctyun:${name}`, {
      plan: (input, context, form) => action.plan(params(name, input), context, form),
      start: (input, context) => action.start(params(name, input), context),
      probe: (handle, context) => action.probe(handle as H, context),
      ...(action.call
        ? { call: (input: unknown, context: ActionContext) => action.call!(params(name, input), context) }
        : {}),
      ...(options.pollDelayMs ? { pollDelayMs: options.pollDelayMs } : {}),
    } satisfies SyncAction<H>)
  // Waits that read the same listing (a run's snapshots, a region's CBR tasks) share it, timed on the engine's clock.
  const groups = createPollGroups({ now: options.now ?? Date.now })

  // ——— ECS ———
  call('ecs:listInstances', (input) => collect(client.ecs.listInstances(input as never)))
  call('ecs:getInstance', (input) => client.ecs.getInstance(input as never))

  // ——— EBS ———
  call('ebs:listDisks', (input) => collect(client.ebs.listDisks(input as never)))
  call('ebs:getDisk', (input) => client.ebs.getDisk(input as never))
  call('ebs:listSnapshots', (input) => collect(client.ebs.listSnapshots(input as never)))
  call('ebs:getSnapshot', async (input) => (await client.ebs.getSnapshot(input as never)) ?? null)
  write('ebs:deleteSnapshots', (input) => client.ebs.deleteSnapshots(input as never), plannedSnapshotDeletion)
  // Looks for a snapshot of the disk under its name before creating (the clientToken holds on the order flow only,
  // §8.2). Plain form: the creation (order, job, or the snapshot adopted); `.sync`: waits out a disk busy with an
  // earlier snapshot, then for `available` (snapshot-wait.ts).
  sync('ebs:createSnapshot', { ...snapshotWait(client, groups), plan: plannedSnapshot })

  // ——— CBR (云备份) ———
  call('cbr:listPolicies', (input) => collect(client.cbr.listPolicies(input as never)))
  call('cbr:listTasks', (input) => collect(client.cbr.listTasks(input as never)))
  call('cbr:listBackups', (input) => collect(client.cbr.listBackups(input as never)))
  // `.sync`: adopts the task a resumed run's first try started, else executes now; then waits (backup-task-wait.ts).
  sync('cbr:executePolicy', { ...backupTaskWait(client, groups), plan: plannedBackupTask })

  // ——— IMS (镜像) ———
  call('image:listImages', (input) => collect(client.image.listImages(input as never)))
  call('image:getImage', (input) => client.image.getImage(input as never))
  call('image:listCopyDestinations', (input) => client.image.listCopyDestinations(input as never))
  // Copies take no clientToken and return nothing: found by name in the destination, decided from its state.
  sync('image:copyImageToRegion', {
    ...imageCopyWait(client, 'cross-region'),
    plan: (input, context) => plannedImage(input, context, input.destinationRegionID),
  })
  sync('image:copyImage', {
    ...imageCopyWait(client, 'same-region'),
    plan: (input, context) => plannedImage(input, context, input.regionID),
  })
  // An image of a disk (create-image-ebs), found by its name first: the create takes no clientToken (image-create-wait.ts).
  sync('image:createImageFromDisk', {
    ...imageCreateWait(client),
    plan: (input, context) => plannedImage(input, context, input.regionID),
  })
  // Deletes a private image; an image already gone counts as deleted. `.sync` waits until it is gone.
  sync('image:deleteImage', { ...imageDeleteWait(client), plan: plannedImageDeletion })

  // ——— EIP (弹性 IP) ———
  call('eip:getEip', (input) => client.eip.getEip(input as never))
  call('eip:listEips', (input) => collect(client.eip.listEips(input as never)))
  write(
    'eip:deleteEip',
    (input, context) =>
      client.eip.deleteEip({
        ...(input as never as { regionID: string; eipID: string }),
        clientToken: context.clientToken,
      }),
    plannedEipRelease,
  )
  sync<{ regionID: string; masterOrderID: string; eipID?: string; doneWithoutIds?: number }>('eip:createEip', {
    plan: plannedEip,
    async start(input, context) {
      const order = await client.eip.createEip({
        ...(input as never as Parameters<CtyunClient['eip']['createEip']>[0]),
        clientToken: context.clientToken,
      })
      return {
        regionID: String(input.regionID),
        masterOrderID: order.masterOrderID,
        ...(order.eipID ? { eipID: order.eipID } : {}),
      }
    },
    async probe(handle) {
      if (handle.eipID)
        return { state: 'done', status: 'created', value: { eipID: handle.eipID, masterOrderID: handle.masterOrderID } }
      const order = await client.orders.probeOrder({
        masterOrderID: handle.masterOrderID,
        doneWithoutIds: handle.doneWithoutIds,
      })
      if (order.state === 'failed') throw failed(`order ${handle.masterOrderID}`, order)
      if (order.state === 'pending')
        return {
          state: 'pending',
          status: order.status,
          ...(order.doneWithoutIds ? { handle: { ...handle, doneWithoutIds: order.doneWithoutIds } } : {}),
        }
      return {
        state: 'done',
        status: order.status,
        value: { eipID: order.value!.resourceIDs[0], masterOrderID: handle.masterOrderID },
      }
    },
  })
  // Associate/disassociate are no orders (§8.2): never re-sent blind. A refusal (whatever its code, §8.3) or an unknown
  // outcome re-reads the EIP: already so → done; changing → polled and tried again, up to EIP_BUSY_MAX_WAIT_MS; any
  // other state → a clear error (lib/ctyun/services/eip.ts tryBinding).
  const bind = (name: 'associateEip' | 'disassociateEip', target: 'bound' | 'unbound') => {
    const tryOnce = (request: Params, context: ActionContext, lookFirst = false) =>
      client.eip[name === 'associateEip' ? 'tryAssociateEip' : 'tryDisassociateEip'](
        {
          ...(request as never as Parameters<CtyunClient['eip']['tryAssociateEip']>[0]),
          clientToken: context.clientToken,
        },
        { lookFirst },
      )
    type BindHandle = {
      regionID: string
      eipID: string
      associationID?: string
      busy?: { request: Params; status: string }
      waitedMs?: number
    }
    sync<BindHandle>(`eip:${name}`, {
      // The EIP as it would be: an existing one is read (a read is allowed in a plan), a planned one has no address yet.
      plan: async (input) => {
        const eip = isPlannedId(input.eipID)
          ? undefined
          : await client.eip.getEip({ regionID: String(input.regionID), eipID: String(input.eipID) })
        return plannedBinding(input, target, eip)
      },
      async start(input, context) {
        const handle = {
          regionID: String(input.regionID),
          eipID: String(input.eipID),
          ...(typeof input.associationID === 'string' ? { associationID: input.associationID } : {}),
        }
        const tried = await tryOnce(input, context)
        return tried.state === 'pending' ? { ...handle, busy: { request: input, status: tried.status } } : handle
      },
      // The plain form sends (or finds it already so) and returns; an EIP that is changing fails it at once.
      async call(input, context) {
        const tried = await tryOnce(input, context)
        if (tried.state === 'pending')
          throw new CtyunResourceFailedError({
            resource: `EIP ${String(input.eipID)} → ${target}`,
            status: tried.status,
            reason: 'the EIP is changing; try again, or use the .sync form, which waits',
          })
        return {
          regionID: String(input.regionID),
          eipID: String(input.eipID),
          ...(typeof input.associationID === 'string' ? { associationID: input.associationID } : {}),
        }
      },
      async probe(handle, context) {
        const { busy, waitedMs, ...bound } = handle
        if (busy) {
          if (waitedMs === undefined) return firstWait(handle, RESOURCE_SCHEDULE)
          if (waitedMs >= EIP_BUSY_MAX_WAIT_MS) {
            throw new CtyunResourceFailedError({
              resource: `EIP ${handle.eipID} → ${target}`,
              status: busy.status,
              reason: `still ${busy.status} after ${Math.round(waitedMs / 1000)} s, so it was not ${target === 'bound' ? 'associated' : 'disassociated'}`,
            })
          }
          const tried = await tryOnce(busy.request, context, true)
          if (tried.state === 'pending')
            return waitMore(
              { state: 'pending', status: `waiting for the EIP: ${tried.status}` },
              { ...handle, busy: { ...busy, status: tried.status } },
              RESOURCE_SCHEDULE,
            )
          // Sent (or already so): the binding's own wait starts now, on the action's schedule.
          return { state: 'pending', status: 'requested', handle: bound }
        }
        return orFail(await client.eip.probeEip({ ...bound, target }), `EIP ${handle.eipID} → ${target}`)
      },
    })
  }
  bind('associateEip', 'bound')
  bind('disassociateEip', 'unbound')

  // ——— CDA (云专线) and regions ———
  call('cda:listGateways', (input) => collect(client.cda.listGateways(input as never)))
  call('regions:listRegions', (input) => client.regions.listRegions(input as never))
  return registry
}

type Params = Record<string, unknown>

function params(name: string, input: unknown): Params {
  if (input === undefined || input === null) return {}
  if (typeof input !== 'object' || Array.isArray(input))
    throw new CtyunInputError(
      'input',
      `ctyun:${name} takes an object of parameters, not ${Array.isArray(input) ? 'an array' : typeof input}`,
    )
  return input as Params
}
