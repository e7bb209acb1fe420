/**
 * @module lib/ctyun — the signed CTyun OpenAPI client.
 *
 * Service objects on `createCtyunClient()` (stable names):
 *   ecs      listInstances, getInstance
 *   ebs      listDisks, getDisk, createSnapshot, listSnapshots, getSnapshot, listSnapshotsNamed, findSnapshots,
 *            deleteSnapshots, probeDiskSnapshots, probeSnapshot, probeSnapshotCreation, waitForSnapshot,
 *            createSnapshotAndWait
 *   image    listImages, getImage, findImageByName, createImageFromInstance, createImageFromDataDisk,
 *            createImageFromSnapshot, createImageFromDisk, copyImageToRegion, copyImage, listCopyDestinations,
 *            deleteImage, startImageCopy, probeImage, probeImageCopy, waitForImage, waitForImageCopy
 *   eip      createEip, waitForCreate, getEip, listEips, associateEip, tryAssociateEip, disassociateEip,
 *            tryDisassociateEip, deleteEip, probeEip, waitForEip
 *   cbr      listPolicies, executePolicy, listTasks, listBackups, findTask, probeTask, waitForTask
 *   cda      listGateways
 *   regions  listRegions
 *   orders   queryOrder, probeOrder, waitForOrder
 *   jobs     jobInfo, asyncResult, probeJob, waitForJob
 * Probes make one poll and return `{ state: 'pending' | 'done' | 'failed', status, value? }`.
 *
 * Three files are entries of their own besides this index (ARCHITECTURE.md "Module surfaces"): `settings.ts`
 * (endpoints, credential check, configuration error: lib/config) and `signing.ts` (the EOP signature's pure parts:
 * lib/simulator's verifier) for code that must not load the client, and `client.ts` (createCtyunClient) for code that
 * loads the client on demand with import(), which keeps every export of what it loads.
 *
 * @example
 * const ctyun = createCtyunClient({ config: resolveCtyunConfig() })
 * const snapshot = await ctyun.ebs.createSnapshotAndWait({ regionID, diskID, snapshotName: 'nightly-1', retentionPolicy: 'custom', retentionTime: 7 })
 */
export type { CtyunCallOptions, CtyunCallResult, CtyunCaller } from './caller'
export type { CtyunClient, CtyunClientOptions, CtyunClientSettings } from './client'
export { createCtyunClient } from './client'
export { checkCredentialShape } from './credential-shape'
export type { CtyunEndpoints, CtyunService } from './endpoints'
export { CTYUN_SERVICES, DEFAULT_CTYUN_ENDPOINTS, isCtyunService, isRealCtyunEndpoint } from './endpoints'
export type { CtyunEnvelope, CtyunOk, CtyunOrderInProgress, CtyunReply } from './envelope'
export { isOrderInProgressCode, parseReply } from './envelope'
export {
  CtyunApiError,
  CtyunConfigError,
  CtyunError,
  CtyunHttpError,
  CtyunInputError,
  CtyunNetworkError,
  CtyunPagingError,
  CtyunResourceFailedError,
  CtyunTimeoutError,
  CtyunWaitTimeoutError,
} from './errors'
export type { EopCredentials, EopSigner, EopSignerOptions } from './eop-signer'
export { createEopSigner, EMPTY_BODY_SHA256, signEop, signEopAsync, toBase64 } from './eop-signer'
export type { AsyncEopCrypto, Bytes, EopCrypto, SyncEopCrypto } from './crypto'
export { defaultEopCrypto, nodeEopCrypto, webEopCrypto } from './crypto'
export type { QueryParams, QueryValue } from './query-string'
export { canonicalQuery, compareUtf8, goQueryEscape } from './query-string'
export type { EopTimeZone } from './eop-date'
export { formatEopDate, parseEopDate } from './eop-date'
export { isOutcomeUnknown, mayBeStateRefusal } from './call-outcome'
export type { CtyunRetryPolicy, RetryHooks } from './retry'
export {
  DEFAULT_THROTTLE_CODES,
  DEFAULT_THROTTLE_RETRIES,
  THROTTLE_MESSAGE,
  defaultRetryPolicy,
  isRetryable,
  isThrottled,
  isThrottledError,
} from './retry'
export type { Pacer, PacerOptions, PacerStats } from './pacer'
export { BETA, createPacer, CUBIC_C, DEFAULT_INITIAL_RPS, MIN_RPS } from './pacer'
export type { MaxRps } from './max-rps'
export { maxRpsFor, parseMaxRps } from './max-rps'
export type { CtyunLogEvent, CtyunLogger, HttpMethod } from './transport'
export { OFFICIAL_SDK_USER_AGENT } from './transport'
export type { Probe, ProbeResult, ProbeState, WaitOptions } from './wait'
export { pollDelay, waitFor } from './wait'
export type { ElapsedSchedule, ProgressMark } from './poll-schedule'
export {
  BACKUP_PREPARING_SCHEDULE,
  CREATION_SCHEDULE,
  elapsedPollDelay,
  percentOf,
  progressPollDelay,
  RESOURCE_SCHEDULE,
  SHARED_SNAPSHOTS_SCHEDULE,
} from './poll-schedule'
export type { PagingEnd } from './paginate'
export { collect, MAX_PAGES, paginateByPageNo, paginateByToken, paginateByTotal } from './paginate'
export type { Disk, Snapshot, SnapshotCreation, CreateSnapshotParams } from './services/ebs'
export {
  BUSY_SNAPSHOT_STATUSES,
  adoptableSnapshot,
  creationName,
  diskActivity,
  snapshotProbeResult,
} from './services/ebs'
export type { Image, ImageCopyParams, ImageCopyStart } from './services/image'
export { copyMismatch, normalizeImage } from './services/image'
export type {
  BindingVerdict,
  Eip,
  EipAssociateParams,
  EipBindTarget,
  EipOrder,
  TryBindingOptions,
} from './services/eip'
export { bindingVerdict } from './services/eip'
export type { BackupPolicy, BackupSnapshot, BackupTask } from './services/cbr'
export { CBR_PAGE_SIZE, taskProbeResult } from './services/cbr'
export type { CdaGateway } from './services/cda'
export type { Region } from './services/regions'
export type { Instance } from './services/ecs'
export type { OrderStatus } from './services/orders'
export { ORDER_STATUS_NAMES } from './services/orders'
export type { JobInfo } from './services/jobs'
