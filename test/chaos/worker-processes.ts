import { spawn, type ChildProcess } from 'node:child_process'

export interface WorkerProcessesOptions {
  /** The bundled CLI (bundleCli). */
  cli: string
  /** Arguments after `ctflow`, e.g. ['worker', '--lease-ms', '3000']. */
  args: string[]
  /** The whole environment of each child (nothing is inherited, so no CTYUN_* of the caller leaks in). */
  env: Record<string, string>
  cwd: string
}

/**
 * N real `ctflow worker` processes that can be SIGKILLed and restarted. Keeps the last lines of each one's stderr
 * for diagnostics and counts unexpected exits (a worker that dies on its own is a bug the test should show).
 */
export function startWorkerProcesses(count: number, options: WorkerProcessesOptions) {
  const slots: Array<{ child: ChildProcess; killed: boolean }> = []
  const tails: string[][] = []
  const unexpectedExits: string[] = []
  let starts = 0
  let kills = 0

  const start = (slot: number) => {
    starts += 1
    const child = spawn(process.execPath, [options.cli, ...options.args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    const entry = { child, killed: false }
    slots[slot] = entry
    tails[slot] ??= []
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (text: string) => {
      const lines = tails[slot]!
      lines.push(...text.split('\n').filter(Boolean))
      if (lines.length > 40) lines.splice(0, lines.length - 40)
    })
    child.on('exit', (code, signal) => {
      if (!entry.killed)
        unexpectedExits.push(
          `worker ${slot} (pid ${child.pid}) exited: code ${code}, signal ${signal}; last lines:\n${tails[slot]!.slice(-10).join('\n')}`,
        )
    })
  }
  for (let i = 0; i < count; i++) start(i)

  return {
    get starts() {
      return starts
    },
    get kills() {
      return kills
    },
    unexpectedExits,
    tails,
    /** SIGKILL: no signal handler, no lease released, no last save — the process just vanishes. Returns its pid. */
    async kill(slot: number): Promise<number> {
      const entry = slots[slot]!
      entry.killed = true
      kills += 1
      await stop(entry.child, 'SIGKILL')
      return entry.child.pid!
    },
    restart: start,
    /** SIGTERM all (a clean stop), SIGKILL what has not exited after 5 s. */
    async stopAll() {
      await Promise.all(
        slots.map(async (entry) => {
          entry.killed = true
          await stop(entry.child, 'SIGTERM', 5_000)
        }),
      )
    },
  }
}

async function stop(child: ChildProcess, signal: NodeJS.Signals, graceMs?: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill(signal)
  if (graceMs === undefined) return exited
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}
