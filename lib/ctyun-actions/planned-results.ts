import type { ActionContext } from '../engine'

/**
 * What the CTyun writes return in a plan run (a dry run: the engine calls no action that writes and takes these
 * instead). Each has the shape its Task documents (README.md), built from the input alone, with `planned: true`;
 * a resource the write would create gets an id `planned-<kind>-<12 hex>` from the Task's clientToken, so the same
 * Task plans the same id, and later steps (and the job's report) can tell a planned resource from a real one.
 */
export const PLANNED_ID_PREFIX = 'planned-'

/** The id a planned resource gets: stable per Task (its clientToken). */
export function plannedId(kind: string, context: Pick<ActionContext, 'clientToken'>): string {
  return `${PLANNED_ID_PREFIX}${kind}-${context.clientToken.slice(0, 12)}`
}

/** Whether an id names a resource a plan run only planned (it exists nowhere). */
export function isPlannedId(id: unknown): boolean {
  return typeof id === 'string' && id.startsWith(PLANNED_ID_PREFIX)
}

type Input = Record<string, unknown>
const text = (value: unknown) => (typeof value === 'string' ? value : undefined)
const defined = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))

/** `ebs:createSnapshot(.sync)`: the snapshot, available (the `.sync` form's result is the snapshot). */
export function plannedSnapshot(input: Input, context: ActionContext) {
  return defined({
    snapshotID: plannedId('snapshot', context),
    snapshotName: text(input.snapshotName),
    snapshotStatus: 'available',
    diskID: text(input.diskID),
    regionID: text(input.regionID),
    retentionPolicy: text(input.retentionPolicy),
    planned: true,
  })
}

/** `ebs:deleteSnapshots`: the delete-ebs-snap reply with nothing refused. */
export function plannedSnapshotDeletion(input: Input) {
  return {
    deleted: Array.isArray(input.snapshotIDs) ? input.snapshotIDs.filter((id) => typeof id === 'string') : [],
    notAllowedList: [],
    notFoundList: [],
    planned: true,
  }
}

/** `cbr:executePolicy(.sync)`: the backup task, completed. */
export function plannedBackupTask(input: Input, context: ActionContext) {
  return defined({
    backupTaskID: plannedId('backup-task', context),
    backupTaskStatusCode: 'Completed',
    backupPolicyID: text(input.backupPolicyID),
    backupPolicyName: text(input.backupPolicyName),
    backupSrcInstanceID: text(input.backupSrcInstanceID),
    planned: true,
  })
}

/** An image the write would make (a copy, or one made from a disk), active in `regionID`. */
export function plannedImage(input: Input, context: ActionContext, regionID: unknown) {
  return defined({
    imageID: plannedId('image', context),
    imageName: text(input.imageName),
    imageStatus: 'active',
    imageVisibility: 'private',
    regionID: text(regionID),
    ...(input.imageID !== undefined ? { copiedFrom: text(input.imageID) } : {}),
    ...(input.diskID !== undefined ? { diskID: text(input.diskID) } : {}),
    planned: true,
  })
}

/** `image:deleteImage(.sync)`: the image, gone. */
export function plannedImageDeletion(input: Input) {
  return defined({ imageID: text(input.imageID), regionID: text(input.regionID), deleted: true, planned: true })
}

/** `eip:createEip(.sync)`: the new EIP's id and its order. */
export function plannedEip(_input: Input, context: ActionContext) {
  return { eipID: plannedId('eip', context), masterOrderID: plannedId('order', context), planned: true }
}

/** `eip:deleteEip`: the release order. */
export function plannedEipRelease(input: Input, context: ActionContext) {
  return { eipID: text(input.eipID), masterOrderID: plannedId('order', context), planned: true }
}

/**
 * `eip:associateEip`/`disassociateEip`: the EIP as it would then be (ACTIVE bound, DOWN unbound), over what a read of it
 * returned (`eip`, absent for a planned EIP, whose address is not known: null).
 */
export function plannedBinding(input: Input, target: 'bound' | 'unbound', eip?: Record<string, unknown>) {
  return defined({
    eipAddress: null,
    ...eip,
    regionID: text(input.regionID),
    eipID: text(input.eipID),
    associationID: target === 'bound' ? text(input.associationID) : undefined,
    status: target === 'bound' ? 'ACTIVE' : 'DOWN',
    planned: true,
  })
}
