/**
 * The shape of a ctflow Task resource: `ctyun:<service>:<operation>` with an optional `.sync` suffix
 * (e.g. `ctyun:ebs:createSnapshot.sync`). Used when no action registry is at hand; the registry itself decides
 * which names exist.
 *
 * @example
 * isCtyunResourceName('ctyun:ebs:createSnapshot.sync') // true
 */
export function isCtyunResourceName(resource: string): boolean {
  return /^ctyun:[a-z][a-zA-Z0-9]*:[a-zA-Z][a-zA-Z0-9]*(\.sync)?$/.test(resource)
}
