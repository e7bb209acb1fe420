import type { SimReply } from './envelope'
import type { OperationInput } from './runtime'

export type SimService = 'ctecs' | 'ebs' | 'ctimage' | 'ctvpc' | 'ctcbr' | 'cda'

/** One simulated API operation: where it is served and what it does. */
export interface SimOperation {
  /** `<service>.<operation>`, e.g. `ebs.createSnapshot`; calls and faults are keyed by it. */
  name: string
  /** The `<svc>-global.ctapi.ctyun.cn` host it belongs to (the path alone also decides). */
  service: SimService
  methods: ReadonlyArray<'GET' | 'POST'>
  path: string
  /**
   * Whether a replayed `clientToken` returns the first reply instead of acting again (the same token with another body
   * is an error). `'orders'`: only when the first reply was an order (it carries a masterOrderID) — CTyun promises
   * clientToken idempotency on the order flow alone ("只有通过订单流程创建快照时，clientToken才会保证幂等性",
   * create-ebs-snap; TF describes the EIP tokens as order idempotency; shared/ctyun-api.md §8.2), so a replay of a
   * write that went through a job, or of one that is no order at all, acts again. `true`: any success is replayed.
   * Absent: the token is ignored.
   */
  idempotent?: boolean | 'orders'
  handle(input: OperationInput): SimReply
}
