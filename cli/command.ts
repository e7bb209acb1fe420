/**
 * The shape every `ctflow <command>` implements. Commands write through `io` (not `console`) so tests capture output,
 * and return the process exit code instead of calling `process.exit`.
 */
export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Record<string, string | undefined>
  cwd: string
  /** Aborted on SIGINT/SIGTERM so long-running commands (sim, serve, worker) can shut down cleanly. */
  signal: AbortSignal
}

export type Command = (argv: string[], io: CliIO) => Promise<number>

/** A usage error: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
