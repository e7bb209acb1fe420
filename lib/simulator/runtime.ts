/**
 * What every operation handler gets: the state, the lifecycle clock, durations, ID generator and faults, plus
 * helpers that start orders and jobs (the two async-completion primitives, shared/ctyun-api.md §3.1).
 */
import type { SimClock } from './clock'
import type { SimDurations } from './durations'
import { SimApiError } from './envelope'
import { ERROR } from './error-codes'
import type { FaultController } from './faults'
import type { SimParams } from './params'
import type { Prng } from './prng'
import type { JobRecord, OrderRecord, RegionRecord, SimState } from './state'

export interface SimRuntime {
  state: SimState
  clock: SimClock
  durations: SimDurations
  ids: Prng
  faults: FaultController
}

export interface OperationInput {
  params: SimParams
  runtime: SimRuntime
  /** The operation name, e.g. `ebs.createSnapshot` (faults are keyed by it). */
  operation: string
  now: number
}

export function regionOf(runtime: SimRuntime, params: SimParams, name = 'regionID'): RegionRecord {
  const regionID = params.required(name)
  const region = runtime.state.regions.get(regionID)
  if (!region) throw new SimApiError(ERROR.regionNotFound, `${name} "${regionID}" is not a region of this cloud`)
  return region
}

/** An order that completes after `durations.orderMs` (or fails, under a lifecycle fault). */
export function startOrder(
  input: OperationInput,
  regionID: string,
  resourceType: string,
  resourceIDs: string[],
): OrderRecord {
  const { runtime, now } = input
  const order: OrderRecord = {
    masterOrderID: `${runtime.ids.hex(8)}-${runtime.ids.hex(4)}-${runtime.ids.hex(4)}-${runtime.ids.hex(4)}-${runtime.ids.hex(12)}`,
    masterOrderNO: `2026${runtime.ids.hex(12).replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10))}`,
    regionID,
    resourceType,
    resourceIDs,
    createdAt: now,
    readyAt: now + runtime.durations.orderMs,
    failed: runtime.faults.lifecycleFails(input.operation),
  }
  runtime.state.orders.set(order.masterOrderID, order)
  return order
}

/** A `/v4/job/info` job that completes after `durations.jobMs`. */
export function startJob(
  input: OperationInput,
  regionID: string,
  taskName: string,
  resourceID: string,
  failed = false,
): JobRecord {
  const { runtime, now } = input
  const job: JobRecord = {
    jobID: runtime.ids.uuid(),
    regionID,
    taskName,
    resourceID,
    createdAt: now,
    readyAt: now + runtime.durations.jobMs,
    failed,
  }
  runtime.state.jobs.set(job.jobID, job)
  return job
}

/** Order status as the API spells it: a string of an int; 14 开通中, 3 完成, 5 施工失败 (§3.1). */
export function orderStatusAt(order: OrderRecord, now: number): '14' | '3' | '5' {
  if (now < order.readyAt) return '14'
  return order.failed ? '5' : '3'
}
