import type { ActionKind } from '../engine'

/**
 * Every operation `registerCtyunActions` binds (as `ctyun:<name>`), and whether it can wait (`.sync`). Kept apart from
 * the implementations so that a registry knows every name before lib/ctyun loads (lib/engine registerLazyActions).
 * ctyun-actions.ts can only register names from this list, with the kind given here (its helpers are typed by it), and
 * lib/jobs/lazy-product-actions.test.ts checks that it registers all of them.
 */
export const CTYUN_ACTION_KINDS = {
  'ecs:listInstances': 'call',
  'ecs:getInstance': 'call',
  'ebs:listDisks': 'call',
  'ebs:getDisk': 'call',
  'ebs:listSnapshots': 'call',
  'ebs:getSnapshot': 'call',
  'ebs:deleteSnapshots': 'call',
  'ebs:createSnapshot': 'sync',
  'cbr:listPolicies': 'call',
  'cbr:listTasks': 'call',
  'cbr:listBackups': 'call',
  'cbr:executePolicy': 'sync',
  'image:listImages': 'call',
  'image:getImage': 'call',
  'image:listCopyDestinations': 'call',
  'image:copyImageToRegion': 'sync',
  'image:copyImage': 'sync',
  'image:createImageFromDisk': 'sync',
  'image:deleteImage': 'sync',
  'eip:getEip': 'call',
  'eip:listEips': 'call',
  'eip:deleteEip': 'call',
  'eip:createEip': 'sync',
  'eip:associateEip': 'sync',
  'eip:disassociateEip': 'sync',
  'cda:listGateways': 'call',
  'regions:listRegions': 'call',
} as const satisfies Record<string, ActionKind>

type CtyunActionKinds = typeof CTYUN_ACTION_KINDS
/** The names of one kind, e.g. `CtyunActionName<'sync'>` = `'ebs:createSnapshot' | 'cbr:executePolicy' | …`. */
export type CtyunActionName<Kind extends ActionKind> = {
  [Name in keyof CtyunActionKinds]: CtyunActionKinds[Name] extends Kind ? Name : never
}[keyof CtyunActionKinds]
