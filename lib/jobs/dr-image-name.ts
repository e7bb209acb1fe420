import { createHash } from 'node:crypto'

/**
 * Names of the images the dr-copy job makes: `<prefix>-<source key>-<run key>`. The name is how the job recognises its
 * own DR images when it keeps the last N (images carry no owner), and it orders them: the run key is the first 12 hex
 * digits of the run's UUIDv7 id, its creation time in ms, so a later run's name sorts after an earlier one's.
 * - source key: 8 hex of SHA-256 of the source disk's id (disk ids of one region may share their first characters);
 * - IMS image name rule (§3.4): 2–32 characters of A-Z a-z 0-9 -, starting with a letter, not ending with `-`; the
 *   prefix takes at most 10 (10 + 1 + 8 + 1 + 12 = 32). The same name is a valid EBS snapshot name.
 */
const PREFIX_RULE = /^[A-Za-z][A-Za-z0-9]{0,9}$/
const RUN_KEY = /^[0-9a-f]{12}$/

export class DrImageNameError extends Error {
  override name = 'DrImageNameError'
}

export function checkDrPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string' || !PREFIX_RULE.test(prefix))
    throw new DrImageNameError(
      `imagePrefix ${JSON.stringify(prefix)} must be 1–10 letters and digits, starting with a letter`,
    )
}

/** 8 hex digits naming a source disk in image names. */
export function drSourceKey(diskID: string): string {
  return createHash('sha256').update(diskID).digest('hex').slice(0, 8)
}

/** The run's key: the creation time its UUIDv7 id starts with (12 hex digits). */
export function drRunKey(runId: string): string {
  const key = runId.replace(/-/g, '').slice(0, 12).toLowerCase()
  if (!RUN_KEY.test(key)) throw new DrImageNameError(`run id ${JSON.stringify(runId)} is not a UUID`)
  return key
}

/** @example drImageName('ctflowdr', '5d0c…', '019a2b3c-4d5e-7…') // 'ctflowdr-1a2b3c4d-019a2b3c4d5e' */
export function drImageName(prefix: string, diskID: string, runId: string): string {
  checkDrPrefix(prefix)
  return `${prefix}-${drSourceKey(diskID)}-${drRunKey(runId)}`
}

/** The run key of a DR image of this source made by this job, or undefined for any other name. */
export function ownDrRunKey(prefix: string, sourceKey: string, name: string): string | undefined {
  const head = `${prefix}-${sourceKey}-`
  if (!name.startsWith(head)) return undefined
  const key = name.slice(head.length)
  return RUN_KEY.test(key) ? key : undefined
}
