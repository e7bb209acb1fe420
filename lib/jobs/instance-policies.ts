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

/** One read of the region's policy listing: the first policy listed for each instance, and whether it was whole. */
export interface PolicyListing {
  byInstance: Map<string, InstancePolicy>
  complete: boolean
}

/** Reads the regional listing, at most `budget` policies. */
export async function readPolicyListing(
  listPolicies: ListPolicies,
  regionID: string,
  budget: number,
): Promise<PolicyListing> {
  const byInstance = new Map<string, InstancePolicy>()
  let read = 0
  for await (const policy of listPolicies({ regionID })) {
    const instanceID = policy.backupSrcInstanceID
    if (instanceID && !byInstance.has(instanceID)) byInstance.set(instanceID, pick(policy))
    if (++read >= budget) return { byInstance, complete: false }
  }
  return { byInstance, complete: true }
}

/**
 * `pageSize`: items per page of `listPolicies` (by default the CBR lists' of lib/ctyun). `shared`: the regional
 * listing as the whole job reads it once (for all its pages, up to a page per instance of the job), instead of one
 * listing per call (see createSharedPolicyListings).
 * @example await findInstancePolicies({ regionID, instances: ['i-1', 'i-2'] }, { listPolicies: (p) => client.cbr.listPolicies(p) })
 */
export async function findInstancePolicies(
  { regionID, instances }: { regionID: string; instances: readonly string[] },
  {
    listPolicies,
    pageSize = CBR_PAGE_SIZE,
    shared,
  }: { listPolicies: ListPolicies; pageSize?: number; shared?: () => Promise<PolicyListing> },
): Promise<InstancePolicies[]> {
  let found = new Map<string, InstancePolicy>()
  let complete = instances.length === 0
  if (instances.length > 0 && shared) {
    ;({ byInstance: found, complete } = await shared())
  } else if (instances.length > 1) {
    // A page per instance at most: past that, filtered lookups are cheaper.
    ;({ byInstance: found, complete } = await readPolicyListing(listPolicies, regionID, instances.length * pageSize))
  }
  found = new Map(found)
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

/** How long a job's shared policy listing is kept (a nightly job's pages look it up within minutes of each other). */
export const SHARED_POLICY_LISTING_MS = 30 * 60_000

/**
 * The policy listings of running jobs, one per job (`key`: the job's snapshot name, which names its run) and region:
 * the pages of one job, in this process, read the region's listing once. In memory only, so an optimisation: in
 * another process a page reads its own. A failed read is not kept.
 * @example const listings = createSharedPolicyListings({ now: Date.now }); await listings.read(key, regionID, 250, listPolicies)
 */
export function createSharedPolicyListings({ now }: { now: () => number }) {
  const listings = new Map<string, { at: number; listing: Promise<PolicyListing> }>()
  return {
    /** `instances`: how many the job backs up (the listing reads up to a page per instance, as a lookup each would cost). */
    read(key: string, regionID: string, instances: number, listPolicies: ListPolicies): Promise<PolicyListing> {
      const at = now()
      for (const [k, entry] of listings) if (entry.at < at - SHARED_POLICY_LISTING_MS) listings.delete(k)
      const id = `${regionID}|${key}`
      const cached = listings.get(id)
      if (cached) return cached.listing
      const listing = readPolicyListing(listPolicies, regionID, instances * CBR_PAGE_SIZE).catch((error: unknown) => {
        listings.delete(id)
        throw error
      })
      listings.set(id, { at, listing })
      return listing
    },
  }
}

/** What RunPolicy needs: the ID to execute, and the name and instance a resumed run matches the task by. */
function pick({ backupPolicyID, backupPolicyName, backupSrcInstanceID }: InstancePolicy): InstancePolicy {
  return {
    backupPolicyID,
    ...(backupPolicyName !== undefined ? { backupPolicyName } : {}),
    ...(backupSrcInstanceID !== undefined ? { backupSrcInstanceID } : {}),
  }
}
