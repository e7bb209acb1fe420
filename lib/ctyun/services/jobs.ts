/**
 * Jobs → resource id (ctecs host): the general job query `/v4/job/info` (a later snapshot's `snapshotJobID`, ECS
 * stop/start) and the ECS async result (shared/ctyun-api.md §3.1).
 */
import type { CtyunCaller } from '../caller'
import { TF_WAITS } from '../poll-schedule'
import type { ProbeResult, ProbeState, WaitOptions } from '../wait'
import { DEFAULT_WAIT_MS, waitFor } from '../wait'
import { requireParams } from './require-params'

export interface JobInfo {
  jobID: string
  /** 0 执行中 / 1 成功 / 2 失败 (int) — normalised from `status` or `jobStatus`. */
  state: ProbeState
  /** The status as CTyun sent it (`0`, `executing`, …). */
  status: string
  /** The resource the job produced: `ID` or `resourceId` (TF ctecs_query_job_info_v41_api.go; SDK job_show.go). */
  resourceID?: string
  raw: Record<string, unknown>
}

/**
 * Job status: an int 0/1/2 (`status`, TF/SDK) or a string (`jobStatus` executing/success/fail; the CLI example of
 * query-async-result shows `"running"`). Sources disagree, so both are read.
 */
export function jobStateOf(raw: Record<string, unknown>): { state: ProbeState; status: string } {
  const value = raw.status ?? raw.jobStatus
  const text = String(value ?? '')
    .trim()
    .toLowerCase()
  if (text === '1' || text === 'success' || text === 'succeeded' || text === 'done')
    return { state: 'done', status: String(value) }
  if (text === '2' || text === 'fail' || text === 'failed' || text === 'error')
    return { state: 'failed', status: String(value) }
  if (text === '0' || text === 'executing' || text === 'running' || text === 'pending' || text === 'init')
    return { state: 'pending', status: String(value) }
  // An unknown status is a failure (TF JobLoop), not an endless wait.
  return { state: 'failed', status: text ? String(value) : 'missing' }
}

function jobOf(jobID: string, raw: Record<string, unknown> | undefined): JobInfo {
  const data = raw ?? {}
  const id = data.ID ?? data.resourceId ?? data.resourceID
  return {
    jobID,
    ...jobStateOf(data),
    resourceID: id === undefined || id === null || id === '' ? undefined : String(id),
    raw: data,
  }
}

export function createJobsService(caller: CtyunCaller) {
  /** GET `/v4/job/info` (doc api 5865). */
  async function jobInfo(params: { regionID: string; jobID: string }): Promise<JobInfo> {
    requireParams('jobs.jobInfo', params, ['regionID', 'jobID'])
    const raw = await caller.request<Record<string, unknown>>({
      service: 'ecs',
      method: 'GET',
      path: '/v4/job/info',
      query: { regionID: params.regionID, jobID: params.jobID },
    })
    return jobOf(params.jobID, raw)
  }

  /** GET `/v4/ecs/query-async-result` (doc api 5543). */
  async function asyncResult(params: { regionID: string; jobID: string }): Promise<JobInfo> {
    requireParams('jobs.asyncResult', params, ['regionID', 'jobID'])
    const raw = await caller.request<Record<string, unknown>>({
      service: 'ecs',
      method: 'GET',
      path: '/v4/ecs/query-async-result',
      query: { regionID: params.regionID, jobID: params.jobID },
    })
    return jobOf(params.jobID, raw)
  }

  async function probeJob(params: { regionID: string; jobID: string }): Promise<ProbeResult<JobInfo>> {
    const job = await jobInfo(params)
    return { state: job.state, status: job.status, value: job }
  }

  return {
    jobInfo,
    asyncResult,
    probeJob,
    waitForJob: (params: { regionID: string; jobID: string }, options?: WaitOptions) =>
      waitFor(() => probeJob(params), `job ${params.jobID} → resource id`, {
        initialDelayMs: 2_000,
        maxDelayMs: 10_000,
        timeoutMs: Math.max(DEFAULT_WAIT_MS, TF_WAITS.jobMs),
        ...options,
      }),
  }
}
