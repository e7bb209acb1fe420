/**
 * Every error code the simulator replies with, each marked as data: `sourced` (a fact-sheet section names it,
 * shared/ctyun-api.md) or `assumed` (no source names it; the simulator had to pick a spelling). No decision of the
 * client or of a shipped workflow may rest on an assumed code (§8.3): test/workflows/error-names.test.ts fails if a
 * workflow's `ErrorEquals` names one, and `SimulatorOptions.errorCodes` respells them so tests can prove the client
 * decides from the resource's state instead.
 */

/** Where a code comes from: a fact-sheet section, or nowhere (assumed). */
export type SimErrorCode = { code: string; source: string } | { code: string; assumed: true; why?: string }

/** Gateway authentication failures (HTTP 401 + statusCode 900): no source names these codes (§7, §8.3). */
export const AUTH_ERROR_CODES = {
  signatureMismatch: { code: 'Openapi.Auth.SignatureMismatch', assumed: true },
  dateExpired: { code: 'Openapi.Auth.DateExpired', assumed: true },
  unknownAccessKey: { code: 'Openapi.Auth.UnknownAccessKey', assumed: true },
  missingHeader: { code: 'Openapi.Auth.MissingHeader', assumed: true },
} as const satisfies Record<string, SimErrorCode>

export const ERROR_CODES = {
  // No source names a throttling code or an HTTP 429 (§2.3, §7, §8.3). The client's CTYUN_THROTTLE_CODES default.
  throttled: { code: 'Openapi.RequestLimitExceeded', assumed: true },
  parameter: { code: 'Openapi.Parameter.Error', source: '§2.3' },
  instanceNotFound: { code: 'Ecs.Instance.NotFound', source: '§2.3' },
  diskNotFound: { code: 'ebs.ebsInfo.notExists', source: '§2.3' },
  imageNotFound: { code: 'Image.ImageCheck.NotFound', source: '§2.3, §8.8' },
  eipNotFound: { code: 'Openapi.Eip.NotFound', source: '§2.3, §3.6' },
  ebsOrderInProgress: { code: 'ebs.order.inProgress', source: '§2.2, §3.2' },
  // `EbsBackup.PolicyInfo.NotFound` belongs to the separate EBS-backup product (/v4/ebs-backup/…, §8.10); no source
  // names CBR's. Spelt like CBR's one sourced code, `backup.order.inProgress` (§2.3).
  backupPolicyNotFound: { code: 'backup.policy.notFound', assumed: true, why: 'CBR not-found code unknown (§8.10)' },
  apiNotFound: { code: 'Openapi.Api.NotFound', assumed: true },
  regionNotFound: { code: 'Openapi.Region.NotFound', assumed: true },
  orderNotFound: { code: 'Openapi.Order.NotFound', assumed: true },
  jobNotFound: { code: 'Ecs.Job.NotFound', assumed: true },
  snapshotNotFound: { code: 'ebs.snapshot.notExists', assumed: true },
  ecsSnapshotNotFound: { code: 'Ecs.Snapshot.NotFound', assumed: true },
  diskBusy: { code: 'ebs.ebsInfo.statusNotAllowed', assumed: true },
  clientTokenConflict: { code: 'Openapi.ClientToken.Conflict', assumed: true },
  imageNameExists: { code: 'Image.ImageName.Duplicate', assumed: true, why: '§8.3' },
  imageNotActive: { code: 'Image.ImageStatus.NotActive', assumed: true },
  imageCopyInProgress: { code: 'Image.ImageCopy.InProgress', assumed: true, why: '§8.3' },
  imageCopyUnsupportedRegion: { code: 'Image.ImageCopy.RegionNotSupported', assumed: true },
  eipAlreadyBound: { code: 'Openapi.Eip.AlreadyBound', assumed: true },
  eipNotBound: { code: 'Openapi.Eip.NotBound', assumed: true },
  eipInUse: { code: 'Openapi.Eip.InUse', assumed: true },
  eipBusy: { code: 'Openapi.Eip.StatusNotAllowed', assumed: true, why: '§8.3' },
  internal: { code: 'Openapi.Internal.Error', assumed: true },
} as const satisfies Record<string, SimErrorCode>

export type AuthErrorName = keyof typeof AUTH_ERROR_CODES
export type SimErrorName = keyof typeof ERROR_CODES

type Codes<T extends Record<string, SimErrorCode>> = { readonly [K in keyof T]: T[K]['code'] }
const codesOf = <T extends Record<string, SimErrorCode>>(table: T) =>
  Object.fromEntries(Object.entries(table).map(([name, entry]) => [name, entry.code])) as Codes<T>

/** The codes by name, as the operations raise them (`throw new SimApiError(ERROR.diskNotFound, …)`). */
export const AUTH_ERROR = codesOf(AUTH_ERROR_CODES)
export const ERROR = codesOf(ERROR_CODES)

const ALL_CODES: ReadonlyArray<[string, SimErrorCode]> = [
  ...Object.entries(AUTH_ERROR_CODES),
  ...Object.entries(ERROR_CODES),
]

/** Whether an entry is assumed (no source names it). */
export function isAssumed(entry: SimErrorCode): entry is Extract<SimErrorCode, { assumed: true }> {
  return 'assumed' in entry && entry.assumed
}

/**
 * Every assumed code in both spellings CTyun uses for one code, `errorCode` and its UpperCamel `error` twin (§2.1),
 * as a client or workflow might name either.
 */
export const ASSUMED_ERROR_CODES: ReadonlySet<string> = new Set(
  ALL_CODES.filter(([, entry]) => isAssumed(entry)).flatMap(([, entry]) => [entry.code, upperCamelCode(entry.code)]),
)

/** `ebs.order.inProgress` → `Ebs.Order.InProgress` (the `error` field is the UpperCamel twin, §2.1). */
export function upperCamelCode(code: string): string {
  return code
    .split('.')
    .map((part) => (part ? part[0]!.toUpperCase() + part.slice(1) : part))
    .join('.')
}

/** Other spellings for assumed codes, by name: `{ imageCopyInProgress: 'Image.Copy.Busy' }`. */
export type ErrorCodeSpellings = Partial<Record<AuthErrorName | SimErrorName, string>>

/**
 * A function from the code a reply carries to the code sent instead. Only assumed codes may be respelled: a sourced
 * code is what the cloud is documented to send.
 * @example respeller({ imageNameExists: 'X.Y.Z' })('Image.ImageName.Duplicate') // 'X.Y.Z'
 */
export function respeller(spellings: ErrorCodeSpellings = {}): (code: string) => string {
  const table = new Map<string, string>()
  for (const [name, code] of Object.entries(spellings)) {
    const entry =
      (ERROR_CODES as Record<string, SimErrorCode>)[name] ?? (AUTH_ERROR_CODES as Record<string, SimErrorCode>)[name]
    if (!entry)
      throw new TypeError(
        `errorCodes.${name}: no such simulator error (known: ${ALL_CODES.map(([n]) => n).join(', ')})`,
      )
    if (!isAssumed(entry))
      throw new TypeError(
        `errorCodes.${name}: ${entry.code} is sourced (${entry.source}); only assumed codes can be respelled`,
      )
    if (typeof code !== 'string' || !/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)+$/.test(code))
      throw new TypeError(`errorCodes.${name} must look like product.module.code, got ${JSON.stringify(code)}`)
    table.set(entry.code, code)
  }
  return (code) => table.get(code) ?? code
}
