/** Finding the record a request names, or the API's not-found error for it (one wording for every resource). */
import { SimApiError } from './envelope'
import type { JobRecord, OrderRecord } from './state'

/**
 * The record `id` of `table` in region `regionID`. A record of another region, or one marked `deleted` (snapshots,
 * EIPs), is not found: `error` with "<what> <id> not found".
 */
export function requireInRegion<T extends { regionID: string; deleted?: unknown }>(
  table: ReadonlyMap<string, T>,
  id: string,
  regionID: string,
  error: string,
  what: string,
): T {
  const record = table.get(id)
  if (!record || record.deleted || record.regionID !== regionID) throw new SimApiError(error, `${what} ${id} not found`)
  return record
}

/** The record `id` of `table` in any region, or `error` with "<what> <id> not found" (jobs and orders are looked up by id alone). */
export function requireRecord<T extends JobRecord | OrderRecord>(
  table: ReadonlyMap<string, T>,
  id: string,
  error: string,
  what: string,
): T {
  const record = table.get(id)
  if (!record) throw new SimApiError(error, `${what} ${id} not found`)
  return record
}

/** `/v4/job/info` status as a number: 0 executing, 1 success, 2 fail (shared/ctyun-api.md, general job). */
export function jobStatusAt(job: JobRecord, now: number): 0 | 1 | 2 {
  if (now < job.readyAt) return 0
  return job.failed ? 2 : 1
}
