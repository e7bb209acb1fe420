import type { CaughtError } from './backup-report'
import type { DrPlan, DrSource } from './dr-prepare'
import type { DrPruneRegion } from './dr-prune-plan'

/**
 * The dr-copy job's report (`ctflow:dr:report`): per source, and per destination of each source, what was made,
 * copied, kept and deleted. Pure; the workflow passes in the per-source Map results as they are, caught errors
 * included. A destination fails for a source when its copy failed, when CTyun does not copy there from this region
 * (`unsupported`), or when the source failed before its copies; the run fails at the end naming every such
 * destination (and any source that failed or was not found).
 */
export interface DrSourceOutcome extends Partial<DrSource> {
  sourceID: string
  snapshotID?: string
  imageID?: string
  copies?: Array<{ regionID: string; imageID?: string; error?: CaughtError }>
  prunes?: { regions: DrPruneRegion[] } | CaughtError
  deleted?: Array<{ regionID: string; imageID: string; imageName?: string; error?: CaughtError }>
  error?: CaughtError
}

export interface DrDestinationLine {
  regionID: string
  status: 'copied' | 'planned' | 'failed' | 'unsupported'
  imageID: string | null
  /** DR images of this source deleted there (names), and kept (newest first). */
  deleted: string[]
  kept: string[]
  error?: string
}

export interface DrSourceReport {
  sourceID: string
  kind: 'disk' | 'instance'
  diskID: string | null
  instanceID: string | null
  snapshotID: string | null
  imageName: string | null
  imageID: string | null
  destinations: DrDestinationLine[]
  /** The source region's DR images of this source: deleted and kept. */
  sourceRegion: { deleted: string[]; kept: string[] }
  errors: string[]
  ok: boolean
}

export interface DrReport {
  sources: DrSourceReport[]
  missing: DrPlan['missing']
  /** Destinations that failed for at least one source. */
  failedDestinations: string[]
  summary: { sources: number; succeeded: number; failed: number; images: number; copies: number; deleted: number }
  /** A plan run (dry run): nothing was made, copied or deleted; what the run would do, per source. */
  plan?: {
    sources: Array<{
      sourceID: string
      createSnapshot: string | null
      createImage: string | null
      copyTo: string[]
      delete: Array<{ regionID: string; imageName: string }>
    }>
    wouldCreate: number
    wouldCopy: number
    wouldDelete: number
  }
}

export function buildDrReport(
  input: {
    regionID: string
    sources: DrSourceOutcome[]
    destinations: string[]
    unsupported?: string[]
    missing?: DrPlan['missing']
  },
  options: { plan?: boolean } = {},
): { report: DrReport; failed: boolean; cause: string } {
  const unsupported = input.unsupported ?? []
  const failedDestinations = new Set<string>(input.sources.length > 0 ? unsupported : [])
  const lines = input.sources.map((outcome): DrSourceReport => {
    const errors: string[] = []
    if (outcome.error) errors.push(`source: ${describe(outcome.error)}`)
    const pruneError = caught(outcome.prunes)
    if (pruneError) errors.push(`keeping the last images: ${describe(pruneError)}`)
    const plans = pruneError || !outcome.prunes ? [] : (outcome.prunes as { regions: DrPruneRegion[] }).regions
    const deletedIn = (regionID: string) =>
      (outcome.deleted ?? []).filter((d) => d.regionID === regionID && !d.error).map((d) => d.imageName ?? d.imageID)
    for (const d of outcome.deleted ?? [])
      if (d.error) errors.push(`deleting ${d.imageName ?? d.imageID} in ${d.regionID}: ${describe(d.error)}`)
    const keptIn = (regionID: string) => plans.find((p) => p.regionID === regionID)?.kept ?? []
    const destinations: DrDestinationLine[] = [
      ...input.destinations.map((regionID): DrDestinationLine => {
        const copy = outcome.copies?.find((c) => c.regionID === regionID)
        const base = { regionID, deleted: deletedIn(regionID), kept: keptIn(regionID) }
        if (copy?.imageID && !copy.error)
          return { ...base, status: options.plan ? 'planned' : 'copied', imageID: copy.imageID }
        const why = copy?.error ? describe(copy.error) : 'not copied: the source failed before its copies'
        errors.push(`copy to ${regionID}: ${why}`)
        failedDestinations.add(regionID)
        return { ...base, status: 'failed', imageID: null, error: why }
      }),
      ...unsupported.map((regionID): DrDestinationLine => {
        const why = `CTyun does not copy images from ${input.regionID} to ${regionID} (list-supported-dest-crr-regions)`
        errors.push(`copy to ${regionID}: ${why}`)
        return { regionID, status: 'unsupported', imageID: null, deleted: [], kept: [], error: why }
      }),
    ]
    return {
      sourceID: outcome.sourceID,
      kind: outcome.kind ?? 'disk',
      diskID: outcome.diskID ?? null,
      instanceID: outcome.instanceID ?? null,
      snapshotID: outcome.snapshotID ?? null,
      imageName: outcome.imageName ?? null,
      imageID: outcome.imageID ?? null,
      destinations,
      sourceRegion: { deleted: deletedIn(input.regionID), kept: keptIn(input.regionID) },
      errors,
      ok: errors.length === 0,
    }
  })
  const missing = input.missing ?? []
  const failedSources = lines.filter((l) => !l.ok)
  const report: DrReport = {
    sources: lines,
    missing,
    failedDestinations: [...failedDestinations],
    summary: {
      sources: lines.length + missing.length,
      succeeded: lines.length - failedSources.length,
      failed: failedSources.length + missing.length,
      images: lines.filter((l) => l.imageID).length,
      copies: lines.reduce((n, l) => n + l.destinations.filter((d) => d.imageID).length, 0),
      deleted: lines.reduce(
        (n, l) => n + l.sourceRegion.deleted.length + l.destinations.reduce((m, d) => m + d.deleted.length, 0),
        0,
      ),
    },
    ...(options.plan ? { plan: planOf(input.sources, lines) } : {}),
  }
  const problems = [
    ...(report.failedDestinations.length
      ? [
          `destinations failed: ${report.failedDestinations
            .map((regionID) => {
              const sources = lines.filter((l) => l.destinations.some((d) => d.regionID === regionID && !d.imageID))
              return `${regionID} (${sources.map((s) => s.sourceID).join(', ')})`
            })
            .join(', ')}`,
        ]
      : []),
    ...failedSources
      .filter((l) => l.errors.some((e) => !e.startsWith('copy to ')))
      .map((l) => `source ${l.sourceID}: ${l.errors.filter((e) => !e.startsWith('copy to ')).join('; ')}`),
    ...missing.map((m) => `${m.kind} ${m.sourceID}: ${m.reason}`),
  ]
  const failed = problems.length > 0
  const cause = failed ? `${problems.join('; ')}. Report: ${JSON.stringify(report)}` : ''
  return { report, failed, cause }
}

function planOf(outcomes: DrSourceOutcome[], lines: DrSourceReport[]): NonNullable<DrReport['plan']> {
  const sources = lines.map((line, index) => {
    const outcome = outcomes[index]!
    const plans =
      caught(outcome.prunes) || !outcome.prunes ? [] : (outcome.prunes as { regions: DrPruneRegion[] }).regions
    return {
      sourceID: line.sourceID,
      createSnapshot: line.snapshotID ? line.imageName : null,
      createImage: line.imageID ? line.imageName : null,
      copyTo: line.destinations.filter((d) => d.imageID).map((d) => d.regionID),
      delete: plans.flatMap((p) => p.delete.map((d) => ({ regionID: p.regionID, imageName: d.imageName }))),
    }
  })
  return {
    sources,
    wouldCreate: sources.filter((s) => s.createImage).length,
    wouldCopy: sources.reduce((n, s) => n + s.copyTo.length, 0),
    wouldDelete: sources.reduce((n, s) => n + s.delete.length, 0),
  }
}

function caught(value: unknown): CaughtError | undefined {
  return typeof value === 'object' && value !== null && typeof (value as CaughtError).Error === 'string'
    ? (value as CaughtError)
    : undefined
}

function describe(error: CaughtError): string {
  return error.Cause ? `${error.Error}: ${error.Cause}` : error.Error
}
