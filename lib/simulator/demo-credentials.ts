import type { EopCredentials } from '../ctyun/signing'

/**
 * Credentials the simulator accepts when none are given (printed by `ctflow sim`). 32 characters each, like real
 * CTyun keys (SDK credential.go CheckAk/CheckSk). Not a secret: they only open the local simulator.
 */
export const DEMO_CREDENTIALS: EopCredentials = {
  accessKey: 'ctflow-sim-demo-access-key-00001',
  secretKey: 'ctflow-sim-demo-secret-key-00001',
}
