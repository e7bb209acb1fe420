/**
 * Errors the run stores raise besides `LeaseLostError` (which lives with the interface in run-store.ts).
 * Messages name the run, file, field or setting at fault and never carry a password or a run's input.
 */
export class RunStoreError extends Error {
  override name = 'RunStoreError'
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
