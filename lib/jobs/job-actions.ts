import type { ActionRegistry } from '../engine'
import type { buildBackupReport } from './backup-report'
import { JobInputError, isRecord } from './job-input-error'
import type { SourceImage } from './plan-image-copies'
import type { createSharedPolicyListings, InstancePolicy } from './instance-policies'
import type { createSharedSnapshotListings, ListedSnapshot } from './prune-plans'
import type { RetainableSnapshot, RetentionRule } from './retention-plan'
import type { SelectableDisk } from './disk-selection'
import type { DiskInfo } from './label-selection'

/**
 * The `ctflow:*` actions: the few steps of the shipped jobs that ASL cannot say (input defaults and checks, date
 * arithmetic for retention, joining results into a report). Everything that touches CTyun goes through the
 * `ctyun:*` actions or, here, through the same client's services. Each step's code loads on its first call (its own
 * chunk in a bundle), so a function's cold start does not pay for jobs it is not running.
 */
export interface JobActionDeps {
  ebs: {
    listDisks(params: { regionID: string; pageSize?: number }): AsyncIterable<SelectableDisk>
    /** One list-ebs page (a page of the nightly job re-reads its range of the listing: page-disks.ts). */
    listDisksPage(params: { regionID: string }, pageNo: number, pageSize: number): Promise<{ items: SelectableDisk[] }>
    /** info-ebs: a label selection reads each candidate's labels here (list-ebs has none, §8.1). */
    getDisk(params: { regionID: string; diskID: string }): Promise<DiskInfo>
    listSnapshots(params: { regionID: string; snapshotName: string }): AsyncIterable<ListedSnapshot>
  }
  cbr: { listPolicies(params: { regionID: string; backupSrcInstanceID?: string }): AsyncIterable<InstancePolicy> }
  image: {
    listImages(params: {
      regionID: string
      imageVisibilityCode: number
      imageName: string
    }): AsyncIterable<{ imageID: string; imageName?: string; imageStatus?: string }>
    getImage(params: { regionID: string; imageID: string }): Promise<SourceImage | undefined>
    listCopyDestinations(params: { regionID: string }): Promise<string[]>
  }
  /** The engine's clock (epoch ms), so retention is decided in the run's time. */
  now: () => number
}

export { JOB_ACTION_NAMES } from './job-action-names'

export function registerJobActions(registry: ActionRegistry, deps: JobActionDeps): ActionRegistry {
  let policyListings: ReturnType<typeof createSharedPolicyListings> | undefined
  let snapshotListings: ReturnType<typeof createSharedSnapshotListings> | undefined
  return registry
    .register('ctflow:backup:prepare', {
      // Reads and computes only: it runs in a plan run too.
      writes: false,
      call: async (input, context) => {
        const { input: jobInput } = expectObject(input, 'ctflow:backup:prepare', ['input'])
        const { prepareBackupPages } = await import('./prepare-backup')
        return prepareBackupPages(jobInput, {
          runId: context.runId,
          listDisks: (params) => deps.ebs.listDisks(params),
          getDisk: (params) => deps.ebs.getDisk(params),
          signal: context.signal,
        })
      },
    })
    .register('ctflow:backup:readPage', {
      // Reads and computes only: it runs in a plan run too.
      writes: false,
      call: async (input, context) => {
        const fields = expectObject(input, 'ctflow:backup:readPage', [
          'regionID',
          'range',
          'snapshotName',
          'snapshotPrefix',
        ])
        const { readPageDisks } = await import('./page-disks')
        const read = await readPageDisks(
          {
            regionID: String(fields.regionID),
            range: fields.range as Parameters<typeof readPageDisks>[0]['range'],
            snapshotName: String(fields.snapshotName),
            snapshotPrefix: String(fields.snapshotPrefix),
            ownNames: fields.ownNames === true,
            ...(isRecord(fields.label) ? { label: fields.label as { key: string; value?: string } } : {}),
          },
          {
            runId: context.runId,
            listDisksPage: (params, pageNo, pageSize) => deps.ebs.listDisksPage(params, pageNo, pageSize),
            getDisk: (params) => deps.ebs.getDisk(params),
            signal: context.signal,
          },
        )
        // The page's state from here on: its item's fields, with its disks, instances and snapshot name.
        const { range: _range, label: _label, ...page } = fields
        return { ...page, disks: read.disks, instances: read.instances, snapshotName: read.snapshotName }
      },
    })
    .register('ctflow:backup:unreadablePage', {
      // Computes only: it runs in a plan run too.
      writes: false,
      call: async (input, context) => {
        const { page, range, error } = expectObject(input, 'ctflow:backup:unreadablePage', ['page', 'range', 'error'])
        const { unreadablePageReport } = await import('./backup-pages')
        return unreadablePageReport({
          page: Number(page),
          runId: context.runId,
          count: Number((range as { count?: unknown }).count ?? 0),
          error: error as { Error: string; Cause?: string },
        })
      },
    })
    .register('ctflow:backup:findPolicies', {
      // Reads and computes only: it runs in a plan run too.
      writes: false,
      call: async (input) => {
        const fields = expectObject(input, 'ctflow:backup:findPolicies', ['regionID', 'instances'])
        const { regionID, instances, job, jobInstances } = fields
        const { findInstancePolicies, createSharedPolicyListings } = await import('./instance-policies')
        const listPolicies: JobActionDeps['cbr']['listPolicies'] = (params) => deps.cbr.listPolicies(params)
        // The pages of one job (`job`: its snapshot name) share one regional listing, up to a page per instance of
        // the job (`jobInstances`), in this process.
        policyListings ??= createSharedPolicyListings({ now: deps.now })
        const listings = policyListings
        const shared =
          typeof job === 'string' && typeof jobInstances === 'number' && jobInstances > 0
            ? () => listings.read(job, String(regionID), jobInstances, listPolicies)
            : undefined
        return findInstancePolicies(
          { regionID: String(regionID), instances: Array.isArray(instances) ? instances.map(String) : [] },
          { listPolicies, ...(shared ? { shared } : {}) },
        )
      },
    })
    .register('ctflow:backup:planRetention', {
      // Reads and computes only: it runs in a plan run too.
      writes: false,
      call: async (input) => {
        const { snapshots, prefix, retention, protect } = expectObject(input, 'ctflow:backup:planRetention', [
          'snapshots',
          'prefix',
          'retention',
        ])
        const { planRetention } = await import('./retention-plan')
        return planRetention(snapshots as RetainableSnapshot[], {
          prefix: String(prefix),
          rule: retention as RetentionRule,
          now: new Date(deps.now()),
          protect: Array.isArray(protect) ? (protect as string[]) : [],
        })
      },
    })
    .register('ctflow:backup:planPrunes', {
      // Reads and computes only: it runs in a plan run too.
      writes: false,
      call: async (input) => {
        const { regionID, prefix, retention, snapshots, snapshotName } = expectObject(
          input,
          'ctflow:backup:planPrunes',
          ['regionID', 'prefix', 'retention', 'snapshots'],
        )
        const { planPrunes, createSharedSnapshotListings } = await import('./prune-plans')
        snapshotListings ??= createSharedSnapshotListings({ now: deps.now })
        const listings = snapshotListings
        const job = (input as { job?: unknown }).job
        return planPrunes(
          {
            regionID: String(regionID),
            prefix: String(prefix),
            retention: retention as RetentionRule,
            snapshots: Array.isArray(snapshots)
              ? (snapshots as Array<{ diskID: string; snapshotID?: string | null }>)
              : [],
            ...(typeof snapshotName === 'string' ? { snapshotName } : {}),
          },
          {
            listSnapshots: (params) => deps.ebs.listSnapshots(params),
            now: new Date(deps.now()),
            // The pages of one job (`job`: its snapshot name) share one listing of the prefix, in this process.
            ...(typeof job === 'string' ? { shared: (list) => listings.read(`${String(regionID)}|${job}`, list) } : {}),
          },
        )
      },
    })
    .register('ctflow:backup:report', {
      // Reads and computes only: it runs in a plan run too.
      writes: false,
      call: async (input, context) => {
        const fields = expectObject(input, 'ctflow:backup:report', ['snapshots'])
        const { buildBackupReport } = await import('./backup-report')
        return buildBackupReport(fields as Parameters<typeof buildBackupReport>[0], { plan: context.plan === true })
      },
    })
    .register('ctflow:backup:pages', {
      // Computes only: it runs in a plan run too.
      writes: false,
      call: async (input) => {
        const { plan } = expectObject(input, 'ctflow:backup:pages', ['plan'])
        const { pageBackupPlan } = await import('./backup-pages')
        return pageBackupPlan(plan as Parameters<typeof pageBackupPlan>[0])
      },
    })
    .register('ctflow:backup:pageReport', {
      // Computes only: it runs in a plan run too.
      writes: false,
      call: async (input, context) => {
        const { page, detail, report } = expectObject(input, 'ctflow:backup:pageReport', ['page', 'detail', 'report'])
        const { pageReport } = await import('./backup-pages')
        return pageReport({
          page: Number(page),
          runId: context.runId,
          detail: detail === true,
          report: report as Parameters<typeof pageReport>[0]['report'],
        })
      },
    })
    .register('ctflow:backup:mergeReports', {
      // Computes only: it runs in a plan run too.
      writes: false,
      call: async (input) => {
        const fields = expectObject(input, 'ctflow:backup:mergeReports', ['pages', 'detail', 'disks'])
        const { mergeBackupReports } = await import('./backup-pages')
        return mergeBackupReports(fields as Parameters<typeof mergeBackupReports>[0])
      },
    })
    .register('ctflow:image:planCopies', {
      // Reads and computes only: it runs in a plan run too.
      writes: false,
      call: async (input) => {
        const { input: jobInput } = expectObject(input, 'ctflow:image:planCopies', ['input'])
        const { planImageCopies } = await import('./plan-image-copies')
        return planImageCopies(jobInput, {
          getImage: (params) => deps.image.getImage(params),
          supportedDestinations: (params) => deps.image.listCopyDestinations(params),
        })
      },
    })
    .register('ctflow:dr:prepare', {
      writes: false,
      call: async (input) => {
        const { input: jobInput, runId } = expectObject(input, 'ctflow:dr:prepare', ['input', 'runId'])
        const { prepareDrCopy } = await import('./dr-prepare')
        return prepareDrCopy(jobInput, {
          runId: String(runId),
          listDisks: (params) => deps.ebs.listDisks(params),
          supportedDestinations: (params) => deps.image.listCopyDestinations(params),
        })
      },
    })
    .register('ctflow:dr:planPrunes', {
      writes: false,
      call: async (input) => {
        const fields = expectObject(input, 'ctflow:dr:planPrunes', [
          'regionID',
          'prefix',
          'sourceKey',
          'keepLast',
          'imageName',
          'copies',
        ])
        const { planDrPrunes } = await import('./dr-prune-plan')
        const regions = await planDrPrunes(fields as Parameters<typeof planDrPrunes>[0], {
          listImages: (params) => deps.image.listImages(params),
        })
        return { regions, deletions: regions.flatMap((r) => r.delete.map((d) => ({ regionID: r.regionID, ...d }))) }
      },
    })
    .register('ctflow:dr:report', {
      writes: false,
      call: async (input, context) => {
        const fields = expectObject(input, 'ctflow:dr:report', ['regionID', 'sources', 'destinations'])
        const { buildDrReport } = await import('./dr-report')
        return buildDrReport(fields as Parameters<typeof buildDrReport>[0], { plan: context.plan === true })
      },
    })
}

/** These actions take what the workflow's Parameters build; a missing field is a workflow bug, named as such. */
function expectObject(input: unknown, action: string, required: string[]): Record<string, unknown> {
  if (!isRecord(input)) throw new JobInputError('', `of ${action} must be an object (check the Task's Parameters)`)
  for (const field of required) {
    if (!(field in input)) throw new JobInputError(field, `is missing from the Parameters of ${action}`)
  }
  return input
}
