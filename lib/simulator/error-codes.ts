/**
 * Error codes the simulator replies with. Codes from the fact sheet (shared/ctyun-api.md §2.3) are used where one
 * fits; the rest are INVENTED (no source names them) and marked so — the client must not depend on their spelling
 * beyond what the shared decisions fix (auth, throttling).
 */
export const AUTH_ERROR = {
  // Shared decision (all helpers): HTTP 401, statusCode 900, one of these.
  signatureMismatch: 'Openapi.Auth.SignatureMismatch',
  dateExpired: 'Openapi.Auth.DateExpired',
  unknownAccessKey: 'Openapi.Auth.UnknownAccessKey',
  missingHeader: 'Openapi.Auth.MissingHeader',
} as const

export const ERROR = {
  // Shared decision: throttling as HTTP 200 + 900 with this code, or HTTP 429 + Retry-After.
  throttled: 'Openapi.RequestLimitExceeded',
  // Fact sheet §2.3.
  parameter: 'Openapi.Parameter.Error',
  instanceNotFound: 'Ecs.Instance.NotFound',
  diskNotFound: 'ebs.ebsInfo.notExists',
  imageNotFound: 'Image.ImageCheck.NotFound',
  eipNotFound: 'Openapi.Eip.NotFound',
  ebsOrderInProgress: 'ebs.order.inProgress',
  backupPolicyNotFound: 'EbsBackup.PolicyInfo.NotFound',
  // INVENTED: no source names these.
  apiNotFound: 'Openapi.Api.NotFound',
  regionNotFound: 'Openapi.Region.NotFound',
  orderNotFound: 'Openapi.Order.NotFound',
  jobNotFound: 'Ecs.Job.NotFound',
  snapshotNotFound: 'ebs.snapshot.notExists',
  diskBusy: 'ebs.ebsInfo.statusNotAllowed',
  clientTokenConflict: 'Openapi.ClientToken.Conflict',
  imageNameExists: 'Image.ImageName.Duplicate',
  imageNotActive: 'Image.ImageStatus.NotActive',
  imageCopyInProgress: 'Image.ImageCopy.InProgress',
  imageCopyUnsupportedRegion: 'Image.ImageCopy.RegionNotSupported',
  eipAlreadyBound: 'Openapi.Eip.AlreadyBound',
  eipNotBound: 'Openapi.Eip.NotBound',
  eipInUse: 'Openapi.Eip.InUse',
  eipBusy: 'Openapi.Eip.StatusNotAllowed',
  internal: 'Openapi.Internal.Error',
} as const

/** `ebs.order.inProgress` → `Ebs.Order.InProgress` (the `error` field is the UpperCamel twin, §2.1). */
export function upperCamelCode(code: string): string {
  return code
    .split('.')
    .map((part) => (part ? part[0]!.toUpperCase() + part.slice(1) : part))
    .join('.')
}
