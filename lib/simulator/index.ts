/**
 * @module lib/simulator — the local CTyun: same paths, envelopes and EOP authentication as the cloud
 * (shared/ctyun-api.md), a stateful fixture-seeded cloud with clock-driven lifecycles, faults and `/_sim/` admin.
 * @example
 * const sim = await startSimulator({ port: 0, seed: 7 })
 * // … point the client at sim.url with sim.credentials …
 * await sim.close()
 */
export { createSimulator, SIM_OPERATIONS } from './simulator'
export type { Simulator, SimulatorOptions } from './simulator'
export { startSimulator } from './server'
export type { RunningSimulator, StartSimulatorOptions } from './server'
export { DEMO_CREDENTIALS } from './demo-credentials'
export { FAST_DURATIONS, REALISTIC_DURATIONS } from './durations'
export type { SimDurations } from './durations'
export type { FaultConfig, FaultSpec } from './faults'
export { SimFaultConfigError } from './faults'
export { loadFixture, SimFixtureError } from './fixture'
export { DISKS_PER_INSTANCE, MAX_SCALE_DISKS, withScaleDisks } from './scale-fixture'
export { createRateLimiter, SimRateLimitError } from './rate-limiter'
export type { RateLimitConfig, RateLimiter, ThrottleAnswer } from './rate-limiter'
export type { SimFixture } from './fixture'
export {
  ASSUMED_ERROR_CODES,
  AUTH_ERROR,
  AUTH_ERROR_CODES,
  ERROR as SIM_ERROR,
  ERROR_CODES as SIM_ERROR_CODES,
  isAssumed,
} from './error-codes'
export type { ErrorCodeSpellings, SimErrorCode } from './error-codes'
export { createEopVerifier } from './eop-verifier'
