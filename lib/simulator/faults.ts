/**
 * Fault injection per operation (`ebs.createSnapshot`, or `*` for all): HTTP 5xx, throttling, latency with jitter,
 * dropped connections, and lifecycles that end in `error`. Every decision draws from one seeded PRNG, so a failing
 * test replays under the same seed (given the same order of calls).
 */
import type { Prng } from './prng'

export interface FaultSpec {
  /** Share of calls answered with HTTP `serverErrorStatus` (default 503), 0..1. */
  serverErrorRate?: number
  serverErrorStatus?: number
  /** Share of calls throttled, 0..1. */
  throttleRate?: number
  /** `http429`: HTTP 429 + Retry-After; `errorCode`: HTTP 200 + 900 `Openapi.RequestLimitExceeded`; `both`: either, at random. */
  throttleMode?: 'http429' | 'errorCode' | 'both'
  retryAfterSeconds?: number
  /** Added latency in ms, plus a uniform random 0..jitterMs. */
  latencyMs?: number
  jitterMs?: number
  /** Share of calls whose connection is closed without a reply, before the server acts, 0..1. */
  dropRate?: number
  /**
   * Share of calls the server carries out but whose reply is lost (the connection closes after it acted), 0..1: the
   * caller cannot tell a write that happened from one that did not, and must look before sending it again.
   */
  lostReplyRate?: number
  /**
   * Every business error of this operation (HTTP 200, statusCode 900, no order) carries this errorCode instead: a
   * cloud that spells its codes otherwise, to show that no decision rests on an assumed code (§8.3).
   */
  businessErrorCode?: string
  /** Share of lifecycles started by this operation (orders, jobs, snapshots, images, backups, EIP bindings) that end in error. */
  lifecycleErrorRate?: number
  /** Stop injecting error faults (5xx, throttle, drop, lost reply) after this many — "fail twice, then succeed". */
  times?: number
}

export type FaultConfig = Record<string, FaultSpec>

export type FaultAction = 'none' | 'drop' | 'lostReply' | 'serverError' | 'throttle429' | 'throttleCode'

export interface FaultDecision {
  action: FaultAction
  delayMs: number
  status?: number
  retryAfterSeconds?: number
}

export class SimFaultConfigError extends Error {
  override name = 'SimFaultConfigError'
}

const RATE_FIELDS = ['serverErrorRate', 'throttleRate', 'dropRate', 'lostReplyRate', 'lifecycleErrorRate'] as const
const MS_FIELDS = ['latencyMs', 'jitterMs', 'retryAfterSeconds', 'times'] as const

/** Checks a fault config, naming the first bad field. @example validateFaults({ '*': { serverErrorRate: 0.1 } }) */
export function validateFaults(config: unknown): FaultConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new SimFaultConfigError('faults must be an object of operation → spec')
  for (const [operation, spec] of Object.entries(config)) {
    const at = `faults["${operation}"]`
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
      throw new SimFaultConfigError(`${at} must be an object`)
    for (const [field, value] of Object.entries(spec)) {
      if ((RATE_FIELDS as readonly string[]).includes(field)) {
        if (typeof value !== 'number' || !(value >= 0 && value <= 1))
          throw new SimFaultConfigError(`${at}.${field} must be a number in [0, 1]`)
      } else if ((MS_FIELDS as readonly string[]).includes(field)) {
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
          throw new SimFaultConfigError(`${at}.${field} must be a number ≥ 0`)
      } else if (field === 'serverErrorStatus') {
        if (!Number.isInteger(value) || (value as number) < 500 || (value as number) > 599)
          throw new SimFaultConfigError(`${at}.serverErrorStatus must be an HTTP status 500-599`)
      } else if (field === 'businessErrorCode') {
        if (typeof value !== 'string' || !value.trim())
          throw new SimFaultConfigError(`${at}.businessErrorCode must be a non-empty string`)
      } else if (field === 'throttleMode') {
        if (!['http429', 'errorCode', 'both'].includes(value as string))
          throw new SimFaultConfigError(`${at}.throttleMode must be http429, errorCode or both`)
      } else {
        throw new SimFaultConfigError(`${at}.${field} is not a fault setting`)
      }
    }
  }
  return config as FaultConfig
}

export interface FaultController {
  /** The current config (a copy). */
  get(): FaultConfig
  /** Replaces the whole config. */
  set(config: unknown): void
  /** Decides what happens to one call of `operation`. */
  decide(operation: string): FaultDecision
  /** The errorCode this operation's business errors carry instead of their own (`businessErrorCode`), if set. */
  businessErrorCode(operation: string): string | undefined
  /** Whether a lifecycle started by `operation` ends in error. */
  lifecycleFails(operation: string): boolean
  /** Restarts the random sequence from the seed (keeps the config), so a scenario replays after a reset. */
  rewind(): void
}

/** @example const faults = createFaultController(() => createPrng(1), { 'ebs.listDisks': { serverErrorRate: 1, times: 2 } }) */
export function createFaultController(makeRandom: () => Prng, initial: unknown = {}): FaultController {
  let random = makeRandom()
  let config = validateFaults(initial)
  let injected = new Map<string, number>()
  const specFor = (operation: string): FaultSpec | undefined => {
    const all = config['*']
    const own = config[operation]
    return all && own ? { ...all, ...own } : (own ?? all)
  }
  return {
    get: () => structuredClone(config),
    set(next) {
      config = validateFaults(next)
      injected = new Map()
    },
    decide(operation) {
      const spec = specFor(operation)
      if (!spec) return { action: 'none', delayMs: 0 }
      const delayMs = (spec.latencyMs ?? 0) + (spec.jitterMs ? random.next() * spec.jitterMs : 0)
      const count = injected.get(operation) ?? 0
      if (spec.times !== undefined && count >= spec.times) return { action: 'none', delayMs }
      const inject = (decision: FaultDecision): FaultDecision => {
        injected.set(operation, count + 1)
        return decision
      }
      if (spec.dropRate && random.next() < spec.dropRate) return inject({ action: 'drop', delayMs })
      if (spec.lostReplyRate && random.next() < spec.lostReplyRate) return inject({ action: 'lostReply', delayMs })
      if (spec.serverErrorRate && random.next() < spec.serverErrorRate) {
        return inject({ action: 'serverError', delayMs, status: spec.serverErrorStatus ?? 503 })
      }
      if (spec.throttleRate && random.next() < spec.throttleRate) {
        const mode = spec.throttleMode ?? 'http429'
        const http = mode === 'http429' || (mode === 'both' && random.next() < 0.5)
        return inject({
          action: http ? 'throttle429' : 'throttleCode',
          delayMs,
          retryAfterSeconds: spec.retryAfterSeconds ?? 1,
        })
      }
      return { action: 'none', delayMs }
    },
    businessErrorCode: (operation) => specFor(operation)?.businessErrorCode,
    rewind() {
      random = makeRandom()
      injected = new Map()
    },
    lifecycleFails(operation) {
      const spec = specFor(operation)
      const rate = spec?.lifecycleErrorRate
      if (rate === undefined || rate <= 0) return false
      // `times` caps lifecycle failures too ("the first snapshot ends in error, the rest succeed"), counted apart
      // from the request faults of the same operation.
      const key = `${operation}#lifecycle`
      const count = injected.get(key) ?? 0
      if (spec!.times !== undefined && count >= spec!.times) return false
      if (random.next() >= rate) return false
      injected.set(key, count + 1)
      return true
    },
  }
}
