/**
 * Resources as the API returns them, computed at `now` from the stored records and their lifecycles. Field names
 * follow shared/ctyun-api.md §3; where sources disagree (image status/visibility/size) both spellings are returned.
 */
import { lifecycleAt } from './lifecycle'
import { orderStatusAt } from './runtime'
import type {
  BackupPolicyRecord,
  BackupSnapshotRecord,
  BackupTaskRecord,
  DiskRecord,
  EipRecord,
  ImageRecord,
  InstanceRecord,
  SimState,
  SnapshotRecord,
} from './state'

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19)

export function eipStatusAt(eip: EipRecord, state: SimState, now: number): string {
  if (eip.orderID) {
    const order = state.orders.get(eip.orderID)
    if (order && orderStatusAt(order, now) === '14') return 'UPDATING'
    if (order && orderStatusAt(order, now) === '5') return 'ERROR'
  }
  return lifecycleAt(eip.binding.lifecycle, now).status
}

export function instanceView(instance: InstanceRecord, state: SimState, now: number) {
  const disks = [...state.disks.values()].filter((d) => d.instanceID === instance.instanceID)
  const eip = [...state.eips.values()].find(
    (e) => !e.deleted && e.binding.associationID === instance.instanceID && eipStatusAt(e, state, now) === 'ACTIVE',
  )
  const fixed = { addr: instance.privateIP, version: 4, type: 'fixed', isMaster: true, macAddress: 'fa:16:3e:00:00:01' }
  const floating = eip
    ? [{ addr: eip.eipAddress, version: 4, type: 'floating', isMaster: false, macAddress: fixed.macAddress }]
    : []
  return {
    instanceID: instance.instanceID,
    displayName: instance.displayName,
    instanceName: instance.instanceName,
    instanceStatus: instance.instanceStatus,
    resourceID: instance.instanceID,
    projectID: '0',
    azName: instance.azName,
    regionID: instance.regionID,
    attachedVolume: disks.map((d) => d.diskID),
    addresses: [{ vpcName: 'vpc-default', addressList: [fixed, ...floating] }],
    osType: instance.osType,
    createdTime: instance.createdTime,
    updatedTime: instance.createdTime,
    expiredTime: null,
    secGroupList: [{ securityGroupID: 'sg-default', securityGroupName: 'default' }],
    privateIP: instance.privateIP,
    image: instance.image,
    flavor: instance.flavor,
    onDemand: true,
    vpcID: 'vpc-default',
    vpcName: 'vpc-default',
    fixedIPList: [instance.privateIP],
    floatingIP: eip?.eipAddress ?? '',
    subnetIDList: ['subnet-default'],
    keypairName: '',
    deletionProtection: false,
  }
}

/**
 * A disk as `GET /v4/ebs/list-ebs` lists it: no `labels` (the list's columns end `…snapshotPolicyID, iops,
 * throughput, backupTotalCount, backupSize, onDemand`; TF's list struct has none; shared/ctyun-api.md §8.1).
 */
export function diskListView(disk: DiskRecord, state: SimState) {
  const instance = disk.instanceID ? state.instances.get(disk.instanceID) : undefined
  return {
    diskID: disk.diskID,
    diskName: disk.diskName,
    diskSize: disk.diskSize,
    diskType: disk.diskType,
    diskMode: disk.diskMode,
    diskStatus: disk.diskStatus,
    createTime: disk.createTime,
    updateTime: disk.createTime,
    expireTime: null,
    isSystemVolume: disk.isSystemVolume,
    isPackaged: disk.isSystemVolume,
    instanceID: disk.instanceID,
    instanceName: instance?.instanceName ?? null,
    instanceStatus: instance?.instanceStatus ?? null,
    multiAttach: false,
    attachments: instance
      ? [
          {
            instanceID: instance.instanceID,
            attachmentID: `att-${disk.diskID.slice(0, 8)}`,
            device: disk.isSystemVolume ? '/dev/vda' : '/dev/vdb',
          },
        ]
      : [],
    projectID: '0',
    isEncrypt: false,
    onDemand: true,
    cycleType: null,
    cycleCount: null,
    regionID: disk.regionID,
    azName: disk.azName,
    diskFreeze: false,
    snapshotPolicyID: null,
    deleteSnapWithEbs: false,
  }
}

/**
 * A disk as `GET /v4/ebs/info-ebs` shows it: the list's fields plus `labels`, which are "returned only where the
 * resource pool supports labels" (标签信息。资源池支持标签功能才返回, CAT evs api 7336; §8.1). In a region without label
 * support the field is absent, not an empty array.
 */
export function diskInfoView(disk: DiskRecord, state: SimState) {
  const view = diskListView(disk, state)
  const labelsSupported = state.regions.get(disk.regionID)?.labelsSupported !== false
  return labelsSupported ? { ...view, labels: disk.labels } : view
}

export function snapshotStatusAt(snapshot: SnapshotRecord, now: number): string {
  if (snapshot.deleted) return lifecycleAt(snapshot.deleted.lifecycle, now).status
  return lifecycleAt(snapshot.lifecycle, now).status
}

export function snapshotView(snapshot: SnapshotRecord, state: SimState, now: number) {
  const disk = state.disks.get(snapshot.diskID)
  return {
    snapshotID: snapshot.snapshotID,
    snapshotName: snapshot.snapshotName,
    snapshotStatus: snapshotStatusAt(snapshot, now),
    snapshotType: snapshot.snapshotType,
    diskID: snapshot.diskID,
    volumeName: disk?.diskName ?? '',
    volumeSize: disk?.diskSize ?? 0,
    volumeType: disk?.diskType ?? '',
    volumeAttr: disk?.isSystemVolume ? 'system' : 'data',
    volumeStatus: disk?.diskStatus ?? '',
    azName: disk?.azName ?? 'default',
    regionID: snapshot.regionID,
    createTime: iso(snapshot.createdAt),
    updateTime: iso(snapshot.createdAt),
    expireTime:
      snapshot.retentionPolicy === 'forever' ? null : iso(snapshot.createdAt + snapshot.retentionTime * 86_400_000),
    retentionPolicy: snapshot.retentionPolicy,
    retentionTime: snapshot.retentionTime,
    freezing: false,
    isEncryted: false,
    isMaz: false,
    isTalkOrder: false,
    description: snapshot.description,
  }
}

const VISIBILITY_CODE = { private: 0, public: 1, shared: 2 } as const

export function imageView(image: ImageRecord, now: number) {
  const life = lifecycleAt(image.lifecycle, now)
  const createdSeconds = Math.floor(image.createdAt / 1000)
  return {
    imageID: image.imageID,
    imageName: image.imageName,
    // Doc catalog names and old SDK names (shared/ctyun-api.md §3.4 "Naming discrepancy"): both.
    imageStatus: life.status,
    status: life.status,
    imageVisibility: image.imageVisibility,
    visibility: image.imageVisibility,
    imageVisibilityCode: VISIBILITY_CODE[image.imageVisibility],
    imageType: image.imageType,
    imageSource: image.imageSource,
    imageSize: image.imageSize,
    size: image.imageSize,
    diskSize: image.diskSize,
    diskFormat: 'qcow2',
    architecture: image.architecture,
    bootMode: 'bios',
    osType: image.osType,
    osDistro: image.osDistro,
    osVersion: image.osVersion,
    sourceServerID: image.sourceServerID,
    projectID: '0',
    regionID: image.regionID,
    createdTime: createdSeconds,
    createdTimeStr: beijing(image.createdAt),
    updatedTime: createdSeconds,
    taskProgress: life.done
      ? 100
      : Math.floor(((life.phase + life.progress) / Math.max(1, image.lifecycle.phases.length)) * 100),
    description: image.description,
  }
}

export function eipView(eip: EipRecord, state: SimState, now: number) {
  const status = eipStatusAt(eip, state, now)
  const bound = status === 'ACTIVE' || (status === 'BANDING_OR_UNBANGDING' && eip.binding.associationID !== null)
  return {
    ID: eip.eipID,
    name: eip.name,
    description: '',
    eipAddress: eip.eipAddress,
    associationID: bound ? eip.binding.associationID : '',
    associationType: bound ? eip.binding.associationType : '',
    privateIpAddress: bound ? (state.instances.get(eip.binding.associationID ?? '')?.privateIP ?? '') : '',
    bandwidth: eip.bandwidth,
    bandwidthID: `bandwidth-${eip.eipID.slice(4)}`,
    bandwidthType: 'standalone',
    status,
    tags: '',
    lineType: 'bgp',
    projectID: '0',
    portID: bound ? `port-${eip.eipID.slice(4)}` : '',
    isPackaged: false,
    billingMethod: 'on_demand',
    createdAt: iso(eip.createdAt),
    updatedAt: iso(eip.createdAt),
    expiredAt: null,
  }
}

export function backupPolicyView(policy: BackupPolicyRecord, state: SimState) {
  const instance = state.instances.get(policy.backupSrcInstanceID)
  const repository = state.backupRepositories.get(policy.backupStorageID)
  return {
    backupPolicyID: policy.backupPolicyID,
    backupPolicyName: policy.backupPolicyName,
    backupSrcInstanceID: policy.backupSrcInstanceID,
    backupSrcInstanceName: instance?.instanceName ?? '',
    backupStorageID: policy.backupStorageID,
    backupStorageName: repository?.backupStorageName ?? '',
    statusCode: policy.enabled ? 'CreateSuccess' : 'Stop',
    statusDesc: policy.enabled ? '启用' : '停用',
    periodDesc: '每天',
    retentionDesc: '保留7天',
    startTimeDesc: '02:00',
    backupDirs: policy.backupDirs,
    policyType: 0,
  }
}

const TASK_STATUS_DESC: Record<string, string> = {
  Preparing: '准备中',
  Executing: '执行中',
  Completed: '已完成',
  Failed: '失败',
}

export function backupTaskView(task: BackupTaskRecord, state: SimState, now: number) {
  const life = lifecycleAt(task.lifecycle, now)
  const policy = state.backupPolicies.get(task.backupPolicyID)
  const instance = policy ? state.instances.get(policy.backupSrcInstanceID) : undefined
  const repository = policy ? state.backupRepositories.get(policy.backupStorageID) : undefined
  const percent =
    life.status === 'Completed' ? 100 : life.status === 'Executing' ? Math.min(99, Math.floor(life.progress * 100)) : 0
  return {
    backupTaskID: task.backupTaskID,
    backupTaskName: `${policy?.backupPolicyName ?? 'backup'}-${task.backupTaskID.slice(0, 8)}`,
    backupTaskStatus: TASK_STATUS_DESC[life.status] ?? life.status,
    backupTaskStatusCode: life.status,
    backupTaskPercent: percent,
    backupTaskStartTime: beijing(task.createdAt),
    backupTaskDoneTime: life.done ? beijing(life.endsAt) : '',
    backupTaskErrMsg: life.status === 'Failed' ? 'backup agent reported an error (simulated)' : '',
    backupTaskRate: life.status === 'Executing' ? '12.5 MB/s' : '',
    backupFileCount: life.done ? 1280 : Math.floor((1280 * percent) / 100),
    backupPaths: policy?.backupDirs ?? [],
    backupSnapID: life.status === 'Completed' ? task.backupSnapID : '',
    backupSnapName: life.status === 'Completed' ? (state.backupSnapshots.get(task.backupSnapID)?.snapName ?? '') : '',
    backupPolicyName: policy?.backupPolicyName ?? '',
    backupSrcInstanceID: policy?.backupSrcInstanceID ?? '',
    backupSrcInstanceName: instance?.instanceName ?? '',
    backupStorageID: policy?.backupStorageID ?? '',
    backupStorageName: repository?.backupStorageName ?? '',
  }
}

export function backupSnapshotView(snapshot: BackupSnapshotRecord, state: SimState) {
  const policy = state.backupPolicies.get(snapshot.backupPolicyID)
  const instance = policy ? state.instances.get(policy.backupSrcInstanceID) : undefined
  const repository = policy ? state.backupRepositories.get(policy.backupStorageID) : undefined
  return {
    backupSnapID: snapshot.backupSnapID,
    snapName: snapshot.snapName,
    statusCode: 'Available',
    statusDesc: '可用',
    backupPolicyID: snapshot.backupPolicyID,
    backupPolicyName: policy?.backupPolicyName ?? '',
    backupSrcInstanceID: policy?.backupSrcInstanceID ?? '',
    backupSrcInstanceName: instance?.instanceName ?? '',
    backupStorageID: policy?.backupStorageID ?? '',
    backupStorageName: repository?.backupStorageName ?? '',
    dirs: policy?.backupDirs ?? [],
    createTimeDesc: beijing(snapshot.createdAt),
    finishTimeDesc: beijing(snapshot.finishedAt),
    backupSnapSize: snapshot.sizeBytes,
    backupSnapDataSize: snapshot.sizeBytes,
    backupClientVersion: '2.3.0',
    backupSnapIsNew: true,
    backupMode: snapshot.backupMode,
  }
}
