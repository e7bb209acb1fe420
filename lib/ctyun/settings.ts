/**
 * An entry of lib/ctyun besides its index (ARCHITECTURE.md "Module surfaces"): what reading and checking CTyun
 * settings needs — the services and their endpoints, the credential check, the throttle codes' default, the
 * configuration error — without the client. lib/config imports this, so that a cold start that only reads its
 * settings does not load the client (the function bundles load it on the first Task call). Everything here is in
 * the index too.
 * @module
 */
export type { CtyunClientSettings } from './client'
export { maxRpsFor, parseMaxRps, type MaxRps } from './max-rps'
export { checkCredentialShape } from './credential-shape'
export {
  CTYUN_SERVICES,
  DEFAULT_CTYUN_ENDPOINTS,
  isCtyunService,
  isRealCtyunEndpoint,
  type CtyunEndpoints,
  type CtyunService,
} from './endpoints'
export type { EopTimeZone } from './eop-date'
export type { EopCredentials } from './eop-signer'
export { CtyunConfigError } from './errors'
export { DEFAULT_THROTTLE_CODES, DEFAULT_THROTTLE_RETRIES } from './throttle-defaults'
