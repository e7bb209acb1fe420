/** Counts calls per operation and keeps the latest few, for `/_sim/calls` ("the job made N calls"). */
export interface SimCall {
  at: string
  operation: string
  method: string
  path: string
  httpStatus: number
  /** errorCode of a 900 reply, or the fault/auth outcome. */
  outcome: string
}

export interface CallLog {
  record(call: SimCall): void
  count(operation?: string): number
  snapshot(): { total: number; byOperation: Record<string, number>; recent: SimCall[] }
  clear(): void
}

/** @example const calls = createCallLog(); calls.record({...}); calls.count('ebs.listDisks') */
export function createCallLog(keep = 500): CallLog {
  let byOperation = new Map<string, number>()
  let total = 0
  let recent: SimCall[] = []
  return {
    record(call) {
      total++
      byOperation.set(call.operation, (byOperation.get(call.operation) ?? 0) + 1)
      recent.push(call)
      if (recent.length > keep * 2) recent = recent.slice(-keep)
    },
    count: (operation) => (operation === undefined ? total : (byOperation.get(operation) ?? 0)),
    snapshot: () => ({ total, byOperation: Object.fromEntries(byOperation), recent: recent.slice(-keep) }),
    clear() {
      byOperation = new Map()
      total = 0
      recent = []
    },
  }
}
