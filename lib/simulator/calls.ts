/** Counts calls per operation and keeps the latest few, for `/_sim/calls` ("the job made N calls"). */
export interface SimCall {
  at: string
  operation: string
  method: string
  path: string
  httpStatus: number
  /** errorCode of a 900 reply, or the fault/auth outcome. */
  outcome: string
  /** Answered "slow down" (HTTP 429 or the throttle errorCode), by the rate limit or a fault. */
  throttled?: boolean
}

export interface CallLog {
  record(call: SimCall): void
  count(operation?: string): number
  /** Throttled answers, in all or for one operation. */
  throttled(operation?: string): number
  snapshot(): {
    total: number
    byOperation: Record<string, number>
    throttled: number
    throttledByOperation: Record<string, number>
    recent: SimCall[]
  }
  clear(): void
}

/** @example const calls = createCallLog(); calls.record({...}); calls.count('ebs.listDisks') */
export function createCallLog(keep = 500): CallLog {
  let byOperation = new Map<string, number>()
  let total = 0
  let throttledByOperation = new Map<string, number>()
  let throttled = 0
  let recent: SimCall[] = []
  return {
    record(call) {
      total++
      byOperation.set(call.operation, (byOperation.get(call.operation) ?? 0) + 1)
      if (call.throttled) {
        throttled++
        throttledByOperation.set(call.operation, (throttledByOperation.get(call.operation) ?? 0) + 1)
      }
      recent.push(call)
      if (recent.length > keep * 2) recent = recent.slice(-keep)
    },
    count: (operation) => (operation === undefined ? total : (byOperation.get(operation) ?? 0)),
    throttled: (operation) => (operation === undefined ? throttled : (throttledByOperation.get(operation) ?? 0)),
    snapshot: () => ({
      total,
      byOperation: Object.fromEntries(byOperation),
      throttled,
      throttledByOperation: Object.fromEntries(throttledByOperation),
      recent: recent.slice(-keep),
    }),
    clear() {
      byOperation = new Map()
      throttledByOperation = new Map()
      throttled = 0
      total = 0
      recent = []
    },
  }
}
