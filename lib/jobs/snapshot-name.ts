/**
 * Names of the snapshots the nightly job creates: `<prefix>-<run id>`. The name is how the job recognises its own
 * snapshots when it prunes (CTyun snapshots carry no labels), and it ties each snapshot to the run that made it.
 * A workflow builds it with `States.Format('{}-{}', $.snapshotPrefix, $$.Execution.Name)` (the run id is a UUID).
 * EBS rule: 2–63 characters of [A-Za-z0-9_-], starting with a letter (TF 只能以英文字母开头; CAT also allows a digit,
 * so the stricter rule holds on both: fact sheet §8.10); a UUID takes 36, so the prefix may take 26.
 * workflows/snapshot-then-backup.schema.json states the same pattern.
 */
const PREFIX_RULE = /^[A-Za-z][A-Za-z0-9_-]{0,25}$/
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export class SnapshotNameError extends Error {
  override name = 'SnapshotNameError'
}

export function checkSnapshotPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string' || !PREFIX_RULE.test(prefix)) {
    throw new SnapshotNameError(
      `snapshotPrefix ${JSON.stringify(prefix)} must be 1–26 characters of A-Z a-z 0-9 _ -, starting with a letter`,
    )
  }
}

export function snapshotName(prefix: string, runId: string): string {
  checkSnapshotPrefix(prefix)
  if (!RUN_ID.test(runId)) throw new SnapshotNameError(`run id ${JSON.stringify(runId)} is not a UUID`)
  return `${prefix}-${runId}`
}

/** True when `name` was made by `snapshotName(prefix, …)`: the prefix alone is not enough (`nightly` vs `nightly-x`). */
export function isOwnSnapshotName(prefix: string, name: string): boolean {
  return name.startsWith(`${prefix}-`) && RUN_ID.test(name.slice(prefix.length + 1))
}
