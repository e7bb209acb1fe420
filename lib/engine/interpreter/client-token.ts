import { sha256Hex } from '../sha256'

/**
 * The clientToken of one Task invocation: derived from the run, the frame, the frame's step and the attempt, so a
 * run resumed after a crash re-issues exactly the token it used before (CTyun and the simulator return the same
 * resource for the same token), and a retry or a loop iteration gets a new one.
 *
 * 32 hex characters (a SHA-256 prefix): short, opaque, and free of the run's data.
 *
 * @example
 * deriveClientToken('run-1', 'root', 3, 0) // always the same 32 hex characters
 */
export function deriveClientToken(runId: string, frameId: string, step: number, attempt: number): string {
  return sha256Hex(`${runId}\u0000${frameId}\u0000${step}\u0000${attempt}`).slice(0, 32)
}
