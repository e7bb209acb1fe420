import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { main } from '../main'

const run = promisify(execFile)

function capture() {
  const out: string[] = []
  const err: string[] = []
  const io = {
    stdout: (t: string) => void out.push(t),
    stderr: (t: string) => void err.push(t),
    env: {},
    cwd: process.cwd(),
    signal: new AbortController().signal,
  }
  return { io, out: () => out.join(''), err: () => err.join('') }
}

describe('ctflow demo', () => {
  it('runs the nightly job against the simulator with live progress and a report', async () => {
    const { io, out, err } = capture()
    // Clean output: no process warning either (a leaked listener once printed MaxListenersExceededWarning).
    const warnings: string[] = []
    const onWarning = (warning: Error) => void warnings.push(`${warning.name}: ${warning.message}`)
    process.on('warning', onWarning)
    try {
      expect(await main(['demo', '--fast'], io)).toBe(0)
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings).toEqual([])
    // Page 0 (the one child run of DiskPages), branch 0 (the snapshots), disk 2.
    expect(err()).toMatch(/Snapshot\[0\.0\.2\] +→ ctyun:ebs:createSnapshot\.sync/)
    expect(err()).toContain('run SUCCEEDED')
    expect(out()).toMatch(/run SUCCEEDED in [\d.]+ s, \d+ CTyun API calls/)
    expect(out()).toContain('3/3 disks ok · 3 snapshots · 2 CBR backups · 2 old snapshots pruned')
    // 华东1 has 6 disks, all candidates of the label selection: one info-ebs call each.
    expect(out()).toContain(
      'selection: 3 of 6 listed disks · labels of 6 candidate disks read with 6 info-ebs calls (list-ebs carries no labels)',
    )
  })

  it('prints the report as JSON, with faults injected it still succeeds', async () => {
    const { io, out, err } = capture()
    expect(await main(['demo', '--fast', '--faults', '--json'], io)).toBe(0)
    // Every line is one JSON object: the report on stdout, the log lines (not the progress) on stderr.
    const lines = err()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; runId?: string; parentId?: string })
    // One start and one end per run: the job's, and each of its distributed Map's child runs (with their parentId).
    const started = lines.filter((line) => line.msg === 'run started')
    const ended = lines.filter((line) => line.msg === 'run ended')
    expect(started.filter((line) => !line.parentId)).toHaveLength(1)
    expect(ended.map((line) => line.runId).sort()).toEqual(started.map((line) => line.runId).sort())
    expect(lines.some((line) => line.msg === 'task call')).toBe(true)
    expect(out().trimEnd().split('\n')).toHaveLength(1)
    const result = JSON.parse(out()) as { status: string; report: { summary: { failed: number }; selection: unknown } }
    expect(result.status).toBe('SUCCEEDED')
    expect(result.report.summary.failed).toBe(0)
    expect(result.report.selection).toEqual({ listed: 6, candidates: 6, infoEbsCalls: 6, selected: 3 })
  })

  it('shows the plan of the nightly job with --plan, and writes nothing', async () => {
    const { io, out } = capture()
    expect(await main(['demo', '--fast', '--plan'], io)).toBe(0)
    expect(out()).toContain(
      'PLAN (dry run, nothing was written): would create 3 snapshots, run 2 CBR backups, delete 2 old snapshots',
    )
    expect(out()).toMatch(/5d0c1e2f-0004-4c7a-8e4b-a1b2c3d4e504: snapshot · CBR policy \w+ · delete 9e8d7c6b-/)
    expect(out()).not.toContain('old snapshots pruned') // nothing was
  })

  it('names an unknown option', async () => {
    const { io, err } = capture()
    expect(await main(['demo', '--nope'], io)).toBe(2)
    expect(err()).toContain('unknown option --nope')
  })
})

describe('ctflow demo, as a process', () => {
  // Warnings go to the process's stderr, past the captured io: only a child process shows what a user sees.
  it('prints no warning and no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctflow-demo-'))
    try {
      const entry = join(dir, 'entry.mts')
      writeFileSync(
        entry,
        `import { main } from ${JSON.stringify(fileURLToPath(new URL('../main.ts', import.meta.url)))}\nprocess.exitCode = await main(process.argv.slice(2))\n`,
      )
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
      const { stdout, stderr } = await run(process.execPath, ['--import', tsx, entry, 'demo', '--fast'], {
        cwd: dir,
        timeout: 60_000,
      })
      expect(stdout).toContain('run SUCCEEDED')
      expect(stderr).not.toMatch(/Warning|\n\s+at .+:\d+:\d+\)?\n/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 70_000)
})
