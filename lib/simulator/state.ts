/**
 * The simulated cloud's resources, held in memory. Statuses that change over time are stored as lifecycles and
 * turned into API objects by the views in `views.ts`, at read time.
 */
import type { Lifecycle } from './lifecycle'

export interface RegionRecord {
  regionID: string
  regionName: string
  regionCode: string
  regionParent: string
  regionType: string
  zoneList: string[]
  /** Regions a private image can be copied to (`/v4/image/list-supported-dest-crr-regions`). */
  copyDestinations: string[]
  /**
   * Whether the region (资源池) supports labels: info-ebs returns `labels` "only where the pool supports labels"
   * (shared/ctyun-api.md §8.1); where it does not, the field is absent. Not an API field of the region itself.
   */
  labelsSupported: boolean
}

export interface InstanceRecord {
  instanceID: string
  regionID: string
  instanceName: string
  displayName: string
  instanceStatus: string
  azName: string
  privateIP: string
  osType: number
  image: { imageID: string; imageName: string }
  flavor: { flavorID: string; flavorName: string; flavorCPU: number; flavorRAM: number }
  createdTime: string
}

export interface DiskRecord {
  diskID: string
  regionID: string
  diskName: string
  diskSize: number
  diskType: string
  diskMode: string
  diskStatus: string
  isSystemVolume: boolean
  instanceID: string | null
  azName: string
  labels: Array<{ key: string; value: string; labelId: string }>
  createTime: number
  /** The first snapshot of a disk goes through an order; later ones through a job (§3.2). */
  snapshotServiceOpened: boolean
}

export interface SnapshotRecord {
  snapshotID: string
  regionID: string
  diskID: string
  snapshotName: string
  snapshotType: 'manu' | 'timer'
  retentionPolicy: string
  retentionTime: number
  description: string
  createdAt: number
  lifecycle: Lifecycle
  deleted?: { at: number; lifecycle: Lifecycle }
}

/**
 * An ECS (云主机) snapshot: only what create-from-ecs-snapshot needs (doc api 18057 takes its id, not an EBS snapshot's;
 * §8.8). The simulator serves no ECS snapshot API; they come from the fixture.
 */
export interface EcsSnapshotRecord {
  snapshotID: string
  regionID: string
  instanceID: string
  snapshotName: string
  status: string
  createdAt: number
}

export interface ImageRecord {
  imageID: string
  regionID: string
  imageName: string
  imageVisibility: 'private' | 'public' | 'shared'
  imageType: string | null
  imageSource: string
  osType: string
  osDistro: string
  osVersion: string
  architecture: string
  diskSize: number
  imageSize: number
  sourceServerID: string | null
  description: string
  createdAt: number
  lifecycle: Lifecycle
  /** Set on copies: lets "one in-flight copy per source per destination" be checked. */
  copiedFrom?: { imageID: string; regionID: string }
}

export interface EipRecord {
  eipID: string
  regionID: string
  name: string
  eipAddress: string
  bandwidth: number
  createdAt: number
  /** The order that creates it; before it completes the EIP shows as UPDATING. */
  orderID?: string
  /** The latest binding change; its lifecycle passes through BANDING_OR_UNBANGDING. */
  binding: { associationID: string | null; associationType: string | null; lifecycle: Lifecycle }
  deleted?: boolean
}

export interface BackupRepositoryRecord {
  backupStorageID: string
  regionID: string
  backupStorageName: string
  capacityGB: number
  usedGB: number
  createdAt: number
  expireAt: number
}

export interface BackupPolicyRecord {
  backupPolicyID: string
  regionID: string
  backupPolicyName: string
  backupSrcInstanceID: string
  backupStorageID: string
  enabled: boolean
  backupDirs: string[]
}

export interface BackupTaskRecord {
  backupTaskID: string
  regionID: string
  backupPolicyID: string
  backupSnapID: string
  backupMode: number
  createdAt: number
  lifecycle: Lifecycle
}

export interface BackupSnapshotRecord {
  backupSnapID: string
  regionID: string
  backupPolicyID: string
  snapName: string
  backupMode: number
  createdAt: number
  /** A snapshot made by a task is listed once its task has completed. */
  visibleFrom: number
  finishedAt: number
  sizeBytes: number
}

export interface CdaGatewayRecord {
  vrfName: string
  regionID: string
  displayName: string
  account: string
  [field: string]: unknown
}

export interface OrderRecord {
  masterOrderID: string
  masterOrderNO: string
  regionID: string
  resourceType: string
  resourceIDs: string[]
  createdAt: number
  readyAt: number
  failed: boolean
}

export interface JobRecord {
  jobID: string
  regionID: string
  taskName: string
  resourceID: string
  createdAt: number
  readyAt: number
  failed: boolean
}

export interface SimState {
  regions: Map<string, RegionRecord>
  instances: Map<string, InstanceRecord>
  disks: Map<string, DiskRecord>
  snapshots: Map<string, SnapshotRecord>
  ecsSnapshots: Map<string, EcsSnapshotRecord>
  images: Map<string, ImageRecord>
  eips: Map<string, EipRecord>
  backupRepositories: Map<string, BackupRepositoryRecord>
  backupPolicies: Map<string, BackupPolicyRecord>
  backupTasks: Map<string, BackupTaskRecord>
  backupSnapshots: Map<string, BackupSnapshotRecord>
  cdaGateways: Map<string, CdaGatewayRecord>
  orders: Map<string, OrderRecord>
  jobs: Map<string, JobRecord>
}

export function emptyState(): SimState {
  return {
    regions: new Map(),
    instances: new Map(),
    disks: new Map(),
    snapshots: new Map(),
    ecsSnapshots: new Map(),
    images: new Map(),
    eips: new Map(),
    backupRepositories: new Map(),
    backupPolicies: new Map(),
    backupTasks: new Map(),
    backupSnapshots: new Map(),
    cdaGateways: new Map(),
    orders: new Map(),
    jobs: new Map(),
  }
}
