import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from '../command'
import { UsageError } from '../command'
import { createCliLogging } from '../json-log'
import { progressPrinter } from '../progress'
import type { DemoConsole } from './demo-console'
import { createCtyunClient, CTYUN_SERVICES, type CtyunEndpoints } from '../../lib/ctyun'
import { loadWorkflowFile } from '../../lib/engine'
import { createEngine } from '../../lib/engine/create-engine'
import { openStore } from '../../lib/engine/stores'
import type { BackupReport } from '../../lib/jobs'
import { createProductActions } from '../../lib/jobs/product-actions'
import { startSimulator, type SimDurations } from '../../lib/simulator'

const HELP = `Usage: ctflow demo [--realistic] [--faults] [--plan] [--json] [--console [--port N]]

Runs the nightly job (workflows/snapshot-then-backup.json) against an in-process CTyun simulator: the disks labelled
backup=nightly in 华东1 are snapshotted, their instances backed up by CBR, and the job's snapshots older than 7 days
pruned — with live progress, then the report. As on the real cloud, disk lists carry no labels, so the job reads each
disk's labels through info-ebs; the report says how many calls that cost. Nothing reaches the real cloud, whatever
CTYUN_* says.

  --realistic   cloud-like durations (snapshots ~45 s, backups ~3 min); default: a few seconds each
  --faults      inject throttling and server errors (about 1 call in 8) to watch the retries
  --json        print the report as one JSON line on stdout, and JSON log lines on stderr instead of the
                progress (run start and end, each Task call, each retry; CTFLOW_LOG_LEVEL)
  --fast        the simulator's test durations (a fraction of a second each)
  --plan        the job's plan (a dry run): what it would snapshot, back up and delete; nothing is written
  --console     serve the run console while the job runs and after it ends (until Ctrl-C); prints its URL and a
                one-time sign-in link (no token in it)
  --port N      the console's port (default 8080; 0: any free one)
`

/** A few seconds per lifecycle: long enough to watch the polls, short enough for a first look. */
export const DEMO_DURATIONS: Partial<SimDurations> = {
  orderMs: 1_500,
  jobMs: 1_500,
  snapshotMs: 3_000,
  backupPreparingMs: 1_000,
  backupExecutingMs: 4_000,
}

export const DEMO_INPUT = {
  regionID: 'bb9fdb42056f11eda1610242ac110002',
  disks: { label: { key: 'backup', value: 'nightly' } },
  snapshotPrefix: 'ctflow-nightly',
  retention: { maxAgeDays: 7, keepLast: 1 },
}

const command: Command = async (argv, io) => {
  let realistic = false
  let faults = false
  let json = false
  let fast = false
  let plan = false
  let withConsole = false
  let port = 8080
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--console') withConsole = true
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const text = arg === '--port' ? argv[++i] : arg.slice('--port='.length)
      port = Number(text)
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw new UsageError(`--port must be a port number (0–65535), got "${text ?? ''}".`)
    } else if (arg === '-h' || arg === '--help') {
      io.stdout(HELP)
      return 0
    } else if (arg === '--realistic') realistic = true
    else if (arg === '--faults') faults = true
    else if (arg === '--json') json = true
    else if (arg === '--fast') fast = true
    else if (arg === '--plan') plan = true
    else throw new UsageError(`unknown option ${arg}\n\n${HELP}`)
  }

  const workflow = await loadWorkflowFile(workflowPath(io.cwd))
  const sim = await startSimulator({
    port: 0,
    durations: realistic ? 'realistic' : fast ? 'fast' : DEMO_DURATIONS,
    seed: 2026,
    ...(faults
      ? { faults: { '*': { throttleRate: 0.07, throttleMode: 'both', retryAfterSeconds: 1, serverErrorRate: 0.06 } } }
      : {}),
  })
  let served: DemoConsole | undefined
  try {
    const endpoints = Object.fromEntries(CTYUN_SERVICES.map((service) => [service, sim.url])) as CtyunEndpoints
    const logging = json ? createCliLogging(io) : undefined
    const client = createCtyunClient({
      credentials: sim.credentials,
      endpoints,
      ...(logging ? { log: logging.ctyunLog } : {}),
    })
    const startedAt = Date.now()
    const engine = createEngine({
      store: await openStore({ kind: 'memory' }),
      actions: createProductActions(client),
      workflows: [workflow],
      ...(logging
        ? { hooks: logging.hooks }
        : {
            onEvents: progressPrinter(
              (line) => io.stderr(`${line}\n`),
              () => startedAt,
            ),
          }),
    })
    // Loaded only with --console: the plain demo does not pay for the HTTP server.
    served = withConsole ? await (await import('./demo-console')).serveDemoConsole(engine, port, io) : undefined
    if (!logging) {
      io.stderr(
        `ctflow demo: ${workflow.name}${plan ? ' --plan (nothing is written)' : ''} against the CTyun simulator at ${sim.url}${faults ? ' (with faults)' : ''}\n`,
      )
      io.stderr(`input: ${JSON.stringify(DEMO_INPUT)}\n\n`)
    }
    const { run } = await engine.start({ workflow: workflow.name, input: DEMO_INPUT, ...(plan ? { plan } : {}) })
    const done = await engine.runToEnd(run.id, io.signal)
    const calls = sim.simulator.calls.snapshot()
    const report = done.status === 'SUCCEEDED' ? (done.output as BackupReport) : reportFromCause(done.error?.cause)

    if (json) io.stdout(`${JSON.stringify({ status: done.status, report, error: done.error ?? null })}\n`)
    else io.stdout(`\n${describeRun(done.status, report, done.error, Date.now() - startedAt, calls.total)}`)
    await served?.serveUntilStopped()
    return done.status === 'SUCCEEDED' ? 0 : 1
  } finally {
    await served?.close()
    await sim.close()
  }
}
export default command

/** The workflow in the working directory if there is one (a user's edited copy), else the one shipped with ctflow. */
function workflowPath(cwd: string): string {
  const candidates = [resolve(cwd, 'workflows/snapshot-then-backup.json')]
  // From dist/*.mjs the package root is one level up; from cli/commands/*.ts (tests), two.
  for (const up of ['../workflows/', '../../workflows/'])
    candidates.push(fileURLToPath(new URL(`${up}snapshot-then-backup.json`, import.meta.url)))
  const found = candidates.find((path) => existsSync(path))
  if (!found) throw new Error(`workflows/snapshot-then-backup.json not found (looked in ${candidates.join(', ')})`)
  return found
}

/** A FAILED nightly run carries the report in its cause (`… Report: {…}`). */
function reportFromCause(cause: string | undefined): BackupReport | undefined {
  const at = cause?.indexOf('Report: ') ?? -1
  if (at < 0) return undefined
  try {
    return JSON.parse(cause!.slice(at + 'Report: '.length)) as BackupReport
  } catch {
    return undefined
  }
}

/** A plan run's report: nothing was written; what the run would do, per disk. */
function describePlan(plan: NonNullable<BackupReport['plan']>): string[] {
  const lines = [
    '',
    `PLAN (dry run, nothing was written): would create ${plan.wouldCreate} snapshots, run ${plan.wouldBackUp} CBR backups, delete ${plan.wouldDelete} old snapshots`,
  ]
  for (const disk of plan.disks) {
    const parts = [
      disk.createSnapshot ? 'snapshot' : 'no snapshot',
      disk.runBackupPolicy ? `CBR policy ${disk.runBackupPolicy}` : 'no backup',
      disk.deleteSnapshots.length ? `delete ${disk.deleteSnapshots.join(', ')}` : 'delete nothing',
    ]
    lines.push(`  ${disk.diskID}: ${parts.join(' · ')}`)
  }
  return lines
}

/** What choosing the disks cost: list-ebs has no labels, so a label selection reads each candidate with info-ebs. */
function describeSelection(selection: NonNullable<BackupReport['selection']>): string {
  const { listed, candidates, infoEbsCalls, selected } = selection
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const cost =
    infoEbsCalls > 0
      ? `labels of ${plural(candidates, 'candidate disk')} read with ${plural(infoEbsCalls, 'info-ebs call')} (list-ebs carries no labels)`
      : 'no info-ebs calls'
  return `selection: ${selected} of ${listed} listed disks · ${cost}`
}

function describeRun(
  status: string,
  report: BackupReport | undefined,
  error: { error: string; cause?: string } | undefined,
  ms: number,
  calls: number,
): string {
  const lines = [`run ${status} in ${(ms / 1000).toFixed(1)} s, ${calls} CTyun API calls`]
  if (report) {
    lines.push('', `${'disk'.padEnd(54)} snapshot                               backup       pruned  errors`)
    for (const disk of report.disks) {
      lines.push(
        [
          `${disk.diskID} ${disk.diskName ? `(${disk.diskName})` : ''}`.padEnd(54),
          (disk.snapshotID ?? '—').padEnd(38),
          disk.backup.result.padEnd(12),
          String(disk.pruned.length).padEnd(7),
          disk.errors.join('; ') || '—',
        ].join(' '),
      )
    }
    const s = report.summary
    // A plan's summary is its PLAN section below: nothing was made, run or pruned.
    if (!report.plan)
      lines.push(
        '',
        `${s.succeeded}/${s.disks} disks ok · ${s.snapshots} snapshots · ${s.backups} CBR backups · ${s.pruned} old snapshots pruned`,
      )
    if (report.selection) lines.push(describeSelection(report.selection))
    if (report.plan) lines.push(...describePlan(report.plan))
  } else if (error) {
    lines.push(`${error.error}: ${error.cause ?? ''}`)
  }
  return `${lines.join('\n')}\n`
}
