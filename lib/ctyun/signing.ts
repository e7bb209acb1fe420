/**
 * An entry of lib/ctyun besides its index (ARCHITECTURE.md "Module surfaces"): the EOP signature's pure parts — the
 * signer, the eop-date format, the canonical query, the crypto back ends — for code that signs or checks signatures
 * without calling CTyun (lib/simulator's verifier), so that it does not load the client. Everything here is in the
 * index too.
 * @module
 */
export {
  defaultEopCrypto,
  nodeEopCrypto,
  webEopCrypto,
  type AsyncEopCrypto,
  type Bytes,
  type EopCrypto,
  type SyncEopCrypto,
} from './crypto'
export { formatEopDate, parseEopDate, type EopTimeZone } from './eop-date'
export {
  createEopSigner,
  EMPTY_BODY_SHA256,
  signEop,
  signEopAsync,
  toBase64,
  type EopCredentials,
  type EopSigner,
  type EopSignerOptions,
} from './eop-signer'
export { canonicalQuery, compareUtf8, goQueryEscape, type QueryParams, type QueryValue } from './query-string'
