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
  /** A `clientToken` makes it idempotent: same token + same body → same reply; another body → error. */
  idempotent?: boolean
  handle(input: OperationInput): SimReply
}
