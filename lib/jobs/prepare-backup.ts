import {
  type DiskSelector,
  type SelectableDisk,
  DiskSelectorError,
  checkSelector,
  filterCandidates,
} from './disk-selection'
import { JobInputError, isRecord, requireString } from './job-input-error'
import { type GetDisk, selectByLabel } from './label-selection'
import { DETAIL_LIMIT } from './backup-pages'
import { cutDiskRanges, type DiskRange, LIST_PAGE_SIZE } from './disk-ranges'
import { isKnownTimeZone } from './retention-periods'
import type { RetentionRule } from './retention-plan'
import { checkSnapshotPrefix, snapshotName, SnapshotNameError } from './snapshot-name'

/**
 * The nightly job's first step (`ctflow:backup:prepare`): checks the input, fills the defaults, lists the region's
 * disks, narrows them by IDs and volume, and for a label selection reads each remaining disk's labels through
 * info-ebs (list-ebs has none, §8.1; label-selection.ts, at most LABEL_READ_CONCURRENCY calls at a time).
 * Everything the later states need is in its output, with no optional fields, so their paths always match; the
 * info-ebs replies are not kept.
 */
export interface BackupInput {
  regionID: string
  /** Which disks; all of the region's when omitted. */
  disks?: DiskSelector
  /** Marks this job's snapshots: `<prefix>-<run id>`. Default `ctflow-nightly`. */
  snapshotPrefix?: string
  /** What to prune among this job's snapshots. Default `{ maxAgeDays: 7 }`; `{}` prunes nothing. */
  retention?: RetentionRule
  /** Run the CBR policy of each disk's instance. Default true. */
  backup?: boolean
}

export interface PlannedDisk {
  diskID: string
  diskName: string | null
  instanceID: string | null
  isSystemVolume: boolean
}

export interface BackupPlan {
  regionID: string
  snapshotPrefix: string
  snapshotName: string
  retention: RetentionRule
  backup: boolean
  disks: PlannedDisk[]
  missing: string[]
  /** Distinct instances of the chosen disks, in disk order; empty when backup is false. */
  instances: string[]
  /** How the disks were chosen, and what it cost: for the report. */
  selection: SelectionSummary
}

export interface SelectionSummary {
  /** Disks list-ebs returned for the region. */
  listed: number
  /** Those left by the IDs and volume filters. */
  candidates: number
  /** info-ebs calls made to read labels (0 without a label selection). */
  infoEbsCalls: number
  /** The disks chosen. */
  selected: number
}

export const DEFAULT_SNAPSHOT_PREFIX = 'ctflow-nightly'
export const DEFAULT_RETENTION: RetentionRule = { maxAgeDays: 7 }

type ListDisks = (params: { regionID: string; pageSize?: number }) => AsyncIterable<SelectableDisk>

export interface PrepareBackupDeps {
  runId: string
  listDisks: ListDisks
  /** info-ebs, for the labels of a label selection's candidates. */
  getDisk: GetDisk
  /** Stops starting info-ebs calls when the step's time is up. */
  signal?: AbortSignal
}

async function preparePlan(
  raw: unknown,
  deps: PrepareBackupDeps,
  { labelReadLimit = Number.POSITIVE_INFINITY, pageSize }: { labelReadLimit?: number; pageSize?: number } = {},
): Promise<{ plan: BackupPlan; listing: SelectableDisk[]; label?: { key: string; value?: string } }> {
  const { runId, listDisks, getDisk, signal } = deps
  if (!isRecord(raw)) throw new JobInputError('', 'must be a JSON object')
  const input = raw as Record<string, unknown>
  const regionID = requireString(input, 'regionID')
  const snapshotPrefix = input.snapshotPrefix ?? DEFAULT_SNAPSHOT_PREFIX
  try {
    checkSnapshotPrefix(snapshotPrefix)
  } catch (error) {
    if (error instanceof SnapshotNameError)
      throw new JobInputError('snapshotPrefix', error.message.replace(/^snapshotPrefix /, ''))
    throw error
  }
  const retention = readRetention(input.retention)
  if (input.backup !== undefined && typeof input.backup !== 'boolean')
    throw new JobInputError('backup', 'must be true or false')
  if (input.disks !== undefined && !isRecord(input.disks))
    throw new JobInputError(
      'disks',
      'must be an object: { diskIDs } or { label: { key, value } }, optionally with volume',
    )
  const selector = (input.disks ?? {}) as DiskSelector

  try {
    checkSelector(selector) // before the first API call
  } catch (error) {
    if (error instanceof DiskSelectorError) throw new JobInputError(`disks.${error.field}`, error.problem)
    throw error
  }
  const all: SelectableDisk[] = []
  // The pages re-read their ranges at the same page size, so positions in `all` are positions in their reads.
  for await (const disk of listDisks({ regionID, ...(pageSize ? { pageSize } : {}) })) all.push(disk)
  // IDs and volume first, so only the disks that could still be chosen cost an info-ebs call.
  const { candidates, missing } = filterCandidates(all, selector)
  // Past the limit, the pages read their own candidates' labels (page-disks.ts): one step does not read thousands.
  const pageLabels = selector.label !== undefined && candidates.length > labelReadLimit
  const labelled =
    selector.label && !pageLabels
      ? await selectByLabel(candidates, selector.label, { regionID, getDisk, signal })
      : { disks: candidates, infoEbsCalls: 0 }
  const disks = labelled.disks.map((disk) => ({
    diskID: disk.diskID,
    diskName: disk.diskName ?? null,
    instanceID: disk.instanceID || null,
    isSystemVolume: Boolean(disk.isSystemVolume),
  }))
  const backup = input.backup !== false
  const instances = backup ? [...new Set(disks.map((d) => d.instanceID).filter((id): id is string => id !== null))] : []
  const plan: BackupPlan = {
    regionID,
    snapshotPrefix,
    snapshotName: snapshotName(snapshotPrefix, runId),
    retention,
    backup,
    disks,
    missing,
    instances,
    selection: {
      listed: all.length,
      candidates: candidates.length,
      infoEbsCalls: labelled.infoEbsCalls,
      selected: disks.length,
    },
  }
  return { plan, listing: all, ...(pageLabels ? { label: selector.label } : {}) }
}

export async function prepareBackup(raw: unknown, deps: PrepareBackupDeps): Promise<BackupPlan> {
  return (await preparePlan(raw, deps)).plan
}

/** A label selection of more candidates than this reads labels in the pages, not in Prepare. */
export const LABEL_READS_IN_PREPARE = 2_000
/** A job of more disks than this names each page's snapshots after the page's run (its listings stay page-sized). */
export const OWN_NAMES_PAST = 2_000

/** What Prepare hands on: the plan without its disks, and the pages as ranges of the region's listing. */
export type RangePlan = Omit<BackupPlan, 'disks' | 'instances'> & {
  pages: DiskRange[]
  /** Whether each page returns its disk lines (the job has at most DETAIL_LIMIT disks). */
  detail: boolean
  /** Disks in all pages (before a label selection the pages make themselves). */
  disks: number
  /** Instances the job backs up (a page's shared policy listing reads up to a page per instance). */
  instanceCount: number
  /** Pages name their snapshots after their own runs (past OWN_NAMES_PAST disks). */
  ownNames: boolean
  /** The label each page selects by, when Prepare did not read labels. */
  pageLabel: { key: string; value?: string } | null
}

/**
 * `ctflow:backup:prepare`: as prepareBackup, but the disks leave as ranges of the listing (disk-ranges.ts), so a job
 * of any size fits in one payload; a label selection of more than LABEL_READS_IN_PREPARE candidates is left to the
 * pages.
 * @example (await prepareBackupPages({ regionID }, deps)).pages[0] // { page: 1, start: 0, end: 99, picks: [[0, 99]], … }
 */
export async function prepareBackupPages(raw: unknown, deps: PrepareBackupDeps): Promise<RangePlan> {
  const { plan, listing, label } = await preparePlan(raw, deps, {
    labelReadLimit: LABEL_READS_IN_PREPARE,
    pageSize: LIST_PAGE_SIZE,
  })
  const { disks, instances, ...rest } = plan
  const chosenIDs = new Set(disks.map((d) => d.diskID))
  const pages = cutDiskRanges(
    listing,
    listing.map((d) => chosenIDs.has(d.diskID)),
    { backup: plan.backup },
  )
  return {
    ...rest,
    pages,
    detail: disks.length <= DETAIL_LIMIT,
    disks: disks.length,
    instanceCount: instances.length,
    ownNames: disks.length > OWN_NAMES_PAST,
    pageLabel: label ?? null,
  }
}

function readRetention(value: unknown): RetentionRule {
  if (value === undefined) return DEFAULT_RETENTION
  if (!isRecord(value))
    throw new JobInputError(
      'retention',
      'must be an object like { "maxAgeDays": 7, "keepLast": 3 } or { "daily": 7, "weekly": 4, "monthly": 12 }',
    )
  const rule: RetentionRule = {}
  for (const field of RETENTION_COUNTS) {
    const n = value[field]
    if (n === undefined) continue
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      throw new JobInputError(`retention.${field}`, 'must be a whole number ≥ 0')
    rule[field] = n
  }
  if (value.timeZone !== undefined) {
    if (typeof value.timeZone !== 'string' || !isKnownTimeZone(value.timeZone))
      throw new JobInputError('retention.timeZone', 'must be an IANA time zone such as "Asia/Shanghai" or "UTC"')
    rule.timeZone = value.timeZone
  }
  const unknown = Object.keys(value).filter(
    (k) => !(RETENTION_COUNTS as readonly string[]).includes(k) && k !== 'timeZone',
  )
  if (unknown.length)
    throw new JobInputError(
      `retention.${unknown[0]}`,
      `is not a retention setting (use ${RETENTION_COUNTS.join(', ')} and timeZone)`,
    )
  return rule
}

const RETENTION_COUNTS = ['maxAgeDays', 'keepLast', 'daily', 'weekly', 'monthly', 'yearly'] as const
