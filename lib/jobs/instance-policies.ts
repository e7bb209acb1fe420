import { CBR_PAGE_SIZE } from '../ctyun'

/**
 * The CBR policy of each instance the nightly job backs up (`ctflow:backup:findPolicies`), from as few listings as
 * it can: one regional listing answers for every instance when the region has few policies; in a region with many,
 * reading it all would cost more than one filtered lookup per instance, so it reads at most as many pages as there
 * are instances and looks up the rest one by one. An instance's policy is the first the listing shows for it (as the
 * workflow took `policies[0]` of a per-instance lookup before).
 */
export interface InstancePolicy {
  backupPolicyID: string
  backupPolicyName?: string
  backupSrcInstanceID?: string
}

export interface InstancePolicies {
  instanceID: string
  /** The instance's policy, or none (the backup is skipped). */
  policies: InstancePolicy[]
}

type ListPolicies = (params: { regionID: string; backupSrcInstanceID?: string }) => AsyncIterable<InstancePolicy>

/**
 * `pageSize`: items per page of `listPolicies` (by default the CBR lists' of lib/ctyun).
 * @example await findInstancePolicies({ regionID, instances: ['i-1', 'i-2'] }, { listPolicies: (p) => client.cbr.listPolicies(p) })
 */
export async function findInstancePolicies(
  { regionID, instances }: { regionID: string; instances: readonly string[] },
  { listPolicies, pageSize = CBR_PAGE_SIZE }: { listPolicies: ListPolicies; pageSize?: number },
): Promise<InstancePolicies[]> {
  const found = new Map<string, InstancePolicy>()
  const wanted = new Set(instances)
  let complete = instances.length === 0
  if (instances.length > 1) {
    // A page per instance at most: past that, filtered lookups are cheaper.
    const budget = instances.length * pageSize
    let read = 0
    complete = true
    for await (const policy of listPolicies({ regionID })) {
      const instanceID = policy.backupSrcInstanceID
      if (instanceID && wanted.has(instanceID) && !found.has(instanceID)) found.set(instanceID, pick(policy))
      if (++read >= budget) {
        complete = false
        break
      }
    }
  }
  const unanswered = complete ? [] : instances.filter((id) => !found.has(id))
  for (const instanceID of unanswered) {
    for await (const policy of listPolicies({ regionID, backupSrcInstanceID: instanceID })) {
      found.set(instanceID, pick(policy))
      break
    }
  }
  return instances.map((instanceID) => {
    const policy = found.get(instanceID)
    return { instanceID, policies: policy ? [policy] : [] }
  })
}

/** What RunPolicy needs: the ID to execute, and the name and instance a resumed run matches the task by. */
function pick({ backupPolicyID, backupPolicyName, backupSrcInstanceID }: InstancePolicy): InstancePolicy {
  return {
    backupPolicyID,
    ...(backupPolicyName !== undefined ? { backupPolicyName } : {}),
    ...(backupSrcInstanceID !== undefined ? { backupSrcInstanceID } : {}),
  }
}
