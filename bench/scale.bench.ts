/**
 * The nightly job at scale (issue 17): `ctflow sim --disks N --rate-limit 20` and the snapshot-then-backup workflow in
 * pages (lib/jobs/backup-pages.ts), on PostgreSQL with 1 and 4 workers, in virtual time (bench/scale-job.ts), one
 * smaller run in real time, then 10,000 disks in virtual time to show how time and calls grow.
 *
 * Held to:
 * - job time against the floor: the larger of (a) the cloud-side critical path — listDisks, the slowest creation
 *   (order or job) + snapshot, then the slowest CBR task (preparing + executing) — and (b) the calls the busiest
 *   service needs ÷ the rate limit. Target ≤ 1.2×. Also shown against the floor with the job's dependencies: every
 *   label read and create on the ebs service (they share its limit) before the last snapshot can start, then that
 *   snapshot and its instance's CBR task: (reads + creates) ÷ rate + creation + snapshot + CBR.
 * - API calls against the minimum: listDisks pages + one info-ebs per candidate (a label selection) + per disk one
 *   create + per page one shared snapshot listing (creation and `available` seen from it) + per instance one CBR
 *   execute and one task poll + the policy listing's pages + per page one listing of this job's snapshots for pruning
 *   + one delete per disk whose plan prunes. Target ≤ 1.3×.
 * - throttled answers ≤ 5% of calls; 0 disks or runs failed; peak RSS (of the bench process: the workers share it);
 *   the parent run's history events and the largest child run's.
 */
import { randomUUID } from 'node:crypto'
import { PG_URL, withClient } from '../lib/engine/testing/pg-schemas'
import { DEMO_DURATIONS } from '../cli/commands/demo'
import { REALISTIC_DURATIONS, type SimDurations } from '../lib/simulator/durations'
import { DISKS_PER_INSTANCE } from '../lib/simulator/scale-fixture'
import type { BenchReport, BenchRow } from './report'
import { runScaleJob, type ScaleJobOptions, type ScaleJobResult } from '../test/scale/scale-job'

const RATE = 20
/** The default fixture's disks in the first region, all labelled backup=nightly by the generator's or the fixture. */
const FIXTURE_REGION_DISKS = 3

interface Scenario {
  label: string
  disks: number
  workers: number
  store: 'memory' | 'postgres'
  maxRpsPerWorker?: number
  realTime?: boolean
  durations: Partial<SimDurations> | 'realistic'
}

function floorOf(result: ScaleJobResult, scenario: Scenario) {
  const d = { ...REALISTIC_DURATIONS, ...(scenario.durations === 'realistic' ? {} : scenario.durations) }
  const report = result.run.output as { summary?: { disks: number; snapshots: number; backups: number } } | undefined
  const disks = scenario.disks + FIXTURE_REGION_DISKS
  const instances = Math.ceil(scenario.disks / DISKS_PER_INSTANCE) + 2
  const pages = Math.ceil(disks / 100)
  const listPages = Math.ceil((disks + 3) / 100)
  const ebsCalls = listPages + disks + disks + pages + pages + 1
  const cbrCalls = Math.ceil((instances + 2) / 50) + 2 * instances
  const criticalMs = Math.max(d.orderMs, d.jobMs) + d.snapshotMs + d.backupPreparingMs + d.backupExecutingMs
  const callsMs = (Math.max(ebsCalls, cbrCalls) / RATE) * 1000
  const dependentMs =
    ((listPages + 2 * disks) / RATE) * 1000 +
    Math.max(d.orderMs, d.jobMs) +
    d.snapshotMs +
    d.backupPreparingMs +
    d.backupExecutingMs
  return {
    floorMs: Math.max(criticalMs, callsMs),
    dependentMs,
    minimumCalls: ebsCalls + cbrCalls,
    snapshots: report?.summary?.snapshots ?? 0,
  }
}

interface Measured {
  rows: BenchRow[]
  jobMs: number
  calls: number
}

async function measure(scenario: Scenario): Promise<Measured> {
  const schema = `ctflow_bench_scale_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  const options: ScaleJobOptions = {
    disks: scenario.disks,
    workers: scenario.workers,
    rateLimit: RATE,
    maxRpsPerWorker: scenario.maxRpsPerWorker,
    durations: scenario.durations,
    realTime: scenario.realTime,
    store: scenario.store === 'memory' ? 'memory' : { pgUrl: PG_URL, schema },
  }
  const result = await runScaleJob(options)
  try {
    const { floorMs, dependentMs, minimumCalls, snapshots } = floorOf(result, scenario)
    const summary = (result.run.output as { summary?: Record<string, number> } | undefined)?.summary
    const failedDisks = summary ? summary.failed : scenario.disks
    const name = `${scenario.label}`
    const succeeded = result.run.status === 'SUCCEEDED'
    const timeRatio = result.jobMs / floorMs
    const callRatio = result.calls / minimumCalls
    const throttledShare = result.throttled / result.calls
    const rows: BenchRow[] = [
      {
        name: `${name}: job time${scenario.realTime ? ' (real)' : ' (virtual)'}`,
        median: result.jobMs / 1000,
        unit: 's',
        ratio: { against: `floor ${(floorMs / 1000).toFixed(0)} s`, value: timeRatio },
        target: '≤ 1.2× floor',
        pass: succeeded && timeRatio <= 1.2,
        detail: {
          status: result.run.status,
          dependentFloorS: Math.round(dependentMs / 1000),
          vsDependentFloor: Number((result.jobMs / dependentMs).toFixed(2)),
          wallS: Number((result.wallMs / 1000).toFixed(1)),
          spans: result.spans,
        },
      },
      {
        name: `${name}: CTyun API calls`,
        median: result.calls,
        unit: 'calls',
        ratio: { against: `minimum ${minimumCalls}`, value: callRatio },
        target: '≤ 1.3× minimum',
        pass: succeeded && callRatio <= 1.3,
        detail: { byOperation: result.byOperation },
      },
      {
        name: `${name}: throttled answers`,
        median: throttledShare * 100,
        unit: '%',
        target: '≤ 5% of calls',
        pass: throttledShare <= 0.05,
        detail: { throttled: result.throttled, byOperation: result.throttledByOperation },
      },
      {
        name: `${name}: disks failed, run status ${result.run.status}`,
        median: failedDisks,
        unit: 'disks',
        target: '0, run SUCCEEDED, a snapshot on every disk',
        pass:
          failedDisks === 0 && result.run.status === 'SUCCEEDED' && snapshots === scenario.disks + FIXTURE_REGION_DISKS,
      },
      {
        name: `${name}: peak RSS (the bench process, ${scenario.workers} worker${scenario.workers > 1 ? 's' : ''})`,
        median: result.peakRssMb,
        unit: 'MB',
      },
      {
        name: `${name}: history events, parent run`,
        median: result.parentHistoryEvents,
        unit: 'events',
        target: '≤ 25,000 (largest child run too)',
        pass: result.parentHistoryEvents <= 25_000 && result.maxHistoryEvents <= 25_000,
        detail: { childRuns: result.childRuns, largestRun: result.maxHistoryEvents },
      },
      {
        name: `${name}: largest payload seen (a state's input or output, any run)`,
        median: result.maxEventBytes / 1024,
        unit: 'KiB',
        target: '≤ 256 KiB',
        pass: result.maxEventBytes <= 256 * 1024,
      },
    ]
    return { rows, jobMs: result.jobMs, calls: result.calls }
  } finally {
    await result.close()
    if (scenario.store === 'postgres')
      await withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).catch(() => {})
  }
}

export async function run(): Promise<BenchReport> {
  const only = process.env.SCALE_ONLY // label prefixes, `|` between: "1,000 disks, 1 worker|10,000"
  const scenarios: Scenario[] = [
    { label: '1,000 disks, 1 worker, PostgreSQL', disks: 1000, workers: 1, store: 'postgres', durations: 'realistic' },
    {
      label: '1,000 disks, 4 workers, PostgreSQL, CTYUN_MAX_RPS=5 each',
      disks: 1000,
      workers: 4,
      store: 'postgres',
      maxRpsPerWorker: RATE / 4,
      durations: 'realistic',
    },
    {
      label: '1,000 disks, 4 workers, PostgreSQL, adaptation alone',
      disks: 1000,
      workers: 4,
      store: 'postgres',
      durations: 'realistic',
    },
    {
      label: '100 disks, 1 worker, PostgreSQL, real time, demo durations',
      disks: 100,
      workers: 1,
      store: 'postgres',
      realTime: true,
      durations: DEMO_DURATIONS,
    },
    { label: '10,000 disks, 1 worker, memory', disks: 10_000, workers: 1, store: 'memory', durations: 'realistic' },
  ]
  const rows: BenchRow[] = []
  const notes: string[] = [
    `simulator: --rate-limit ${RATE} per access key per service; ${DISKS_PER_INSTANCE} disks an instance, a CBR policy each; realistic durations (order 8 s, job 10 s, snapshot 45 s, CBR 15 + 180 s) unless said`,
    'floor = max(cloud critical path, busiest service calls ÷ rate); the dependent floor (detail) adds that every label read and create share the ebs limit before the last snapshot',
  ]
  const measured = new Map<Scenario, Measured>()
  for (const scenario of scenarios) {
    if (only && !only.split('|').some((prefix) => scenario.label.startsWith(prefix))) continue
    process.stderr.write(`bench scale: ${scenario.label} …\n`)
    try {
      const m = await measure(scenario)
      measured.set(scenario, m)
      rows.push(...m.rows)
    } catch (error) {
      notes.push(`${scenario.label}: did not finish: ${(error as Error).message}`)
    }
  }
  // Growth: 10,000 disks against 1,000 (1 worker each; the store differs, memory vs PostgreSQL, in virtual time).
  const small = measured.get(scenarios[0]!)
  const large = measured.get(scenarios.at(-1)!)
  if (small && large) {
    for (const [what, a, b] of [
      ['job time', small.jobMs, large.jobMs],
      ['API calls', small.calls, large.calls],
    ] as const) {
      const ratio = b / a
      rows.push({
        name: `10,000 vs 1,000 disks: ${what}`,
        median: ratio,
        unit: '×',
        target: '≤ 10.5× (linear)',
        pass: ratio <= 10.5,
      })
    }
  }
  return { area: 'the nightly job at scale (virtual time unless said)', rows, notes }
}
