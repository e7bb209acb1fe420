import type { NewHistoryEvent } from '../run'

/**
 * What the interpreter asks the runner to do (commands) and what the runner reports back (outcomes). Both are data,
 * so the interpreter stays free of clocks, networks and stores.
 */
export type Command = InvokeCommand | ProbeCommand

/** Call a Task's action (for `.sync` resources: start the operation). */
export interface InvokeCommand {
  type: 'invoke'
  frameId: string
  state: string
  resource: string
  input: unknown
  clientToken: string
  /** When the attempt was first scheduled (saved with it, so the same on a re-issue). */
  scheduledAt?: number
  /** Epoch ms after which the call counts as timed out (TimeoutSeconds / HeartbeatSeconds); absent = no limit. */
  deadline?: number
  /** Which error a missed deadline raises. */
  deadlineError?: string
}

/** Poll a `.sync` operation's probe once. */
export interface ProbeCommand {
  type: 'probe'
  frameId: string
  state: string
  resource: string
  handle: unknown
  clientToken: string
  polls: number
  deadline?: number
  deadlineError?: string
}

export type Outcome =
  | { type: 'succeeded'; frameId: string; clientToken: string; output: unknown }
  | { type: 'failed'; frameId: string; clientToken: string; error: string; cause: string }
  /** A `.sync` start returned its handle; the first probe is due at `pollAt`. */
  | { type: 'started'; frameId: string; clientToken: string; handle: unknown; pollAt: number }
  /** A probe said pending; poll again at `pollAt`. */
  | { type: 'pending'; frameId: string; clientToken: string; status: string; pollAt: number; handle?: unknown }

/** What one interpreter step produced. */
export interface StepResult {
  events: NewHistoryEvent[]
  /** Calls to make now. */
  commands: Command[]
  /** The earliest future instant something is due (a Wait, a retry interval, a poll, a timeout); absent = nothing. */
  wakeAt?: number
  /** Whether any frame is ready to run right away (another step is needed without waiting). */
  runnable: boolean
  /** About how many bytes of JSON the payloads in `events` take (the runner saves before a batch grows too large). */
  payloadBytes: number
}
