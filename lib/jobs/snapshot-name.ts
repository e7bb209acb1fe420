/**
 * Names of the snapshots the nightly job creates. The name is how the job recognises its own snapshots when it
 * prunes, so the prefix is part of the contract: `<prefix>-<yyyymmddThhmmss>-<disk suffix>`.
 * EBS rule (fact sheet §3.2): 2–63 characters of [A-Za-z0-9_-], starting with a letter or digit.
 */
const NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9_-]{1,62}$/
const PREFIX_RULE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$/

export class SnapshotNameError extends Error {
  override name = 'SnapshotNameError'
}

export function checkSnapshotPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || !PREFIX_RULE.test(prefix)) {
    throw new SnapshotNameError(
      `snapshot name prefix ${JSON.stringify(prefix)} must be 1–30 characters of A-Z a-z 0-9 _ -, starting with a letter or digit`,
    )
  }
}

export function snapshotName(prefix: string, diskID: string, at: Date): string {
  checkSnapshotPrefix(prefix)
  const stamp = at.toISOString().replace(/[-:]/g, '').slice(0, 15) // 20261123T021500
  const disk = diskID.replace(/[^A-Za-z0-9]/g, '').slice(-16)
  const name = `${prefix}-${stamp}-${disk}`
  if (!NAME_RULE.test(name)) throw new SnapshotNameError(`snapshot name ${JSON.stringify(name)} breaks the EBS naming rule`)
  return name
}

/** True when `name` was made by `snapshotName(prefix, …)`: the prefix alone is not enough (`nightly` vs `nightly-x`). */
export function isOwnSnapshotName(prefix: string, name: string): boolean {
  if (!name.startsWith(`${prefix}-`)) return false
  return /^\d{8}T\d{6}-[A-Za-z0-9]{1,16}$/.test(name.slice(prefix.length + 1))
}
