/**
 * The errors the run stores raise (lib/engine/errors.ts passes them on to the engine's callers).
 * Messages name the run, file, field or setting at fault and never carry a password or a run's input.
 */
export class RunStoreError extends Error {
  override name = 'RunStoreError'
}

/**
 * A save, renewal or release under a lease the run no longer grants (it expired and another worker took the run, or
 * it was released): the holder must stop; fencing tokens keep the new owner's progress.
 */
export class LeaseLostError extends RunStoreError {
  override name = 'LeaseLostError'
  constructor(readonly runId: string) {
    super(`lease on run ${runId} was lost (expired and taken over, or released)`)
  }
}

/** `create` with an id that is already taken (and no idempotency key that would make it a replay). */
export class RunExistsError extends RunStoreError {
  override name = 'RunExistsError'
  constructor(readonly runId: string) {
    super(`run ${runId} already exists`)
  }
}

/** A `list` cursor that did not come from a previous `list` page. */
export class InvalidCursorError extends RunStoreError {
  override name = 'InvalidCursorError'
  constructor() {
    super('cursor: not a cursor returned by a previous list() page')
  }
}

/** A stored run or history file that cannot be parsed; names the file so an operator can inspect or remove it. */
export class CorruptRunFileError extends RunStoreError {
  override name = 'CorruptRunFileError'
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`corrupt run store file ${file}: ${detail}`)
  }
}

/** The store cannot be opened: bad CTFLOW_STORE value, unreachable server, schema from a newer ctflow. */
export class StoreOpenError extends RunStoreError {
  override name = 'StoreOpenError'
}
