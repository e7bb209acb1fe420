import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine } from '../../lib/engine/create-engine'
import { createMachine } from '../../lib/engine/interpreter/machine'
import { createFileStore } from '../../lib/engine/stores/file-store'
import { main } from '../main'
import { startFakeRobot } from '../../lib/notify/testing/fake-robots'
import { bundleCli } from '../../test/chaos/cli-bundle'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctflow-worker-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const definition = { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'resumed', End: true } } }

/** Writes `workflows/<name>.json` under the test's directory, as `ctflow worker` reads them. */
async function writeWorkflows(workflows: Record<string, unknown>): Promise<void> {
  await mkdir(join(dir, 'workflows'))
  for (const [name, workflow] of Object.entries(workflows))
    await writeFile(join(dir, 'workflows', `${name}.json`), JSON.stringify(workflow))
}

/** The CLI's I/O in the test's directory: stderr kept in `err`, stdout dropped. */
function cliIO(env: Record<string, string>, signal = new AbortController().signal) {
  const err: string[] = []
  return { err, io: { stdout: () => {}, stderr: (t: string) => void err.push(t), env, cwd: dir, signal } }
}

describe('ctflow worker', () => {
  it('--once resumes a due run to its failed end, then sends its notification', async () => {
    const robot = await startFakeRobot('wecom')
    try {
      const failing = { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Job.Failed', Cause: 'boom' } } }
      await writeWorkflows({ failing })
      const store = createFileStore(join(dir, 'store'))
      const { run } = await createEngine({ store, workflows: { failing: failing as never } }).start({
        workflow: 'failing',
        input: {},
      })
      await store.close()
      const { err, io } = cliIO({
        CTFLOW_STORE: join(dir, 'store'),
        CTFLOW_NOTIFY: JSON.stringify([{ type: 'wecom', url: robot.url }]),
      })

      expect(await main(['worker', '--once', '--quiet'], io)).toBe(0)

      expect(robot.accepted).toHaveLength(1)
      expect((robot.accepted[0]!.json.markdown as { content: string }).content).toContain(run.id)
      expect(err.join('')).not.toContain(robot.token)
    } finally {
      await robot.close()
    }
  })

  it('--once advances a due run to the end; cancel aborts a suspended one', async () => {
    await writeWorkflows({
      job: definition,
      sleepy: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 86400, End: true } } },
    })
    const store = createFileStore(join(dir, 'store'))
    const engine = createEngine({ store, workflows: { job: definition as never } })
    const { run } = await engine.start({ workflow: 'job', input: {} })
    const sleepyEngine = createEngine({
      store,
      workflows: { sleepy: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 86400, End: true } } } as never },
    })
    const sleepy = (await sleepyEngine.start({ workflow: 'sleepy', input: {} })).run
    await sleepyEngine.advance(sleepy.id, { deadline: Date.now() + 1000 })
    await store.close()

    const { io } = cliIO({ CTFLOW_STORE: join(dir, 'store') })
    expect(await main(['worker', '--once'], io)).toBe(0)
    const out: string[] = []
    expect(await main(['runs', 'show', run.id, '--json'], { ...io, stdout: (t: string) => void out.push(t) })).toBe(0)
    expect(JSON.parse(out.join('')).run).toMatchObject({ status: 'SUCCEEDED', output: 'resumed' })

    const cancelled: string[] = []
    expect(await main(['runs', 'cancel', sleepy.id], { ...io, stdout: (t: string) => void cancelled.push(t) })).toBe(0)
    expect(cancelled.join('')).toMatch(/ABORTED/)
  })

  it('--json writes only JSON lines: its own messages and the run it advanced, ended', async () => {
    await writeWorkflows({ job: definition })
    const store = createFileStore(join(dir, 'store'))
    const { run } = await createEngine({ store, workflows: { job: definition as never } }).start({
      workflow: 'job',
      input: {},
    })
    await store.close()
    const { err, io } = cliIO({ CTFLOW_STORE: join(dir, 'store') })
    expect(await main(['worker', '--once', '--json'], io)).toBe(0)
    const lines = err
      .join('')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines).toMatchObject([
      { level: 'info', msg: expect.stringMatching(/^1 workflow\(s\), 1 lane\(s\)/) },
      { level: 'info', msg: 'run ended', runId: run.id, workflow: 'job', status: 'SUCCEEDED' },
      { level: 'info', msg: 'stopped' },
    ])
  })

  it('--concurrency advances several due runs at once, each by one lane only', async () => {
    const waiting = {
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 1, Next: 'P' }, P: { Type: 'Pass', Result: 'woke', End: true } },
    }
    await writeWorkflows({ waiting })
    const store = createFileStore(join(dir, 'store'))
    const engine = createEngine({ store, workflows: { waiting: waiting as never } })
    const ids = await Promise.all(
      [1, 2, 3, 4].map(async () => (await engine.start({ workflow: 'waiting', input: {} })).run.id),
    )
    await store.close()

    const { io } = cliIO({ CTFLOW_STORE: join(dir, 'store') })
    const started = Date.now()
    expect(await main(['worker', '--once', '--concurrency', '4', '--quiet'], io)).toBe(0)
    // One lane would sleep through the four 1 s waits one after the other.
    expect(Date.now() - started).toBeLessThan(3_000)
    const reopened = createFileStore(join(dir, 'store'))
    for (const id of ids) {
      expect(await reopened.get(id)).toMatchObject({ status: 'SUCCEEDED', output: 'woke' })
      // Each run was leased once: no two lanes drove the same run.
      expect((await reopened.history(id)).filter((event) => event.type === 'ExecutionSucceeded')).toHaveLength(1)
    }
    await reopened.close()
  })

  it('refuses a bad --concurrency', async () => {
    const { err, io } = cliIO({ CTFLOW_STORE: 'memory' })
    expect(await main(['worker', '--concurrency', '0'], io)).toBe(2)
    expect(err.join('')).toMatch(/--concurrency must be a whole number from 1 to 64/)
  })

  it('stops on the abort signal (SIGINT/SIGTERM)', async () => {
    const controller = new AbortController()
    const { io } = cliIO({ CTFLOW_STORE: 'memory' }, controller.signal)
    const running = main(['worker', '--interval', '10'], io)
    setTimeout(() => controller.abort(), 50)
    expect(await running).toBe(0)
  })

  it('a worker process with runs due that break their advance fails those runs, keeps running and finishes the others', async () => {
    const waitFor = {
      StartAt: 'W',
      States: { W: { Type: 'Wait', SecondsPath: '$.s', Next: 'P' }, P: { Type: 'Pass', Result: 'woke', End: true } },
    }
    await writeWorkflows({ job: definition, 'wait-for': waitFor })
    const storeDir = join(dir, 'store')
    const store = createFileStore(storeDir)
    const engine = createEngine({ store, workflows: { job: definition as never, 'wait-for': waitFor as never } })
    // Due first: a wait of 1e300 seconds (once a RangeError outside the interpreter), and a machine the engine cannot read.
    const astronomical = (await engine.start({ workflow: 'wait-for', input: { s: 1e300 } })).run
    const past = new Date(Date.now() - 60_000)
    await store.create({
      id: 'unreadable',
      workflow: 'job',
      input: {},
      machine: { format: 1, status: 'running', frames: null },
      resumeAt: past,
      now: past,
      events: [],
    })
    const good = (await engine.start({ workflow: 'job', input: {} })).run
    await store.close()

    const cli = await bundleCli()
    const worker = spawn(process.execPath, [cli, 'worker', '--interval', '50', '--quiet'], {
      cwd: dir,
      env: { ...process.env, CTFLOW_STORE: storeDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    worker.stderr.on('data', (chunk) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)))
    const reader = createFileStore(storeDir)
    try {
      const deadline = Date.now() + 20_000
      let statuses: Array<string | undefined> = []
      while (Date.now() < deadline && worker.exitCode === null) {
        statuses = await Promise.all(
          [astronomical.id, 'unreadable', good.id].map(async (id) => (await reader.get(id))?.status),
        )
        if (statuses.every((status) => status !== 'RUNNING')) break
        await new Promise((resolve) => setTimeout(resolve, 50))
      }

      expect(worker.exitCode, stderr).toBeNull() // still running
      expect(statuses).toEqual(['FAILED', 'FAILED', 'SUCCEEDED'])
      expect((await reader.get(astronomical.id))?.error).toEqual({
        error: 'States.Runtime',
        cause:
          'SecondsPath $.s is the number 1e+300, not a whole number of seconds from 0 to 31,536,000 (a year) (state "W")',
      })
      expect((await reader.get('unreadable'))?.error?.cause).toMatch(
        /^ctflow could not advance the run and stopped it \(an engine error, not the workflow's\): TypeError/,
      )
    } finally {
      await reader.close()
      worker.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
    expect(stderr).toMatch(/ctflow worker: stopped/)
  }, 60_000)

  it('waits out a store it cannot read (pausing between tries, saying why) and goes on once it can', async () => {
    await writeWorkflows({ job: definition })
    const storeDir = join(dir, 'store')
    const reader = createFileStore(storeDir)
    const soon = new Date(Date.now() + 1_000) // due once the store has been broken below
    await reader.create({
      id: 'later',
      workflow: 'job',
      input: {},
      machine: createMachine('P', {}, Date.now()),
      resumeAt: soon,
      now: new Date(),
      events: [],
    })

    const controller = new AbortController()
    const err: string[] = []
    const io = {
      stdout: () => {},
      stderr: (t: string) => void err.push(t),
      env: { CTFLOW_STORE: storeDir },
      cwd: dir,
      signal: controller.signal,
    }
    const until = async (done: () => boolean | Promise<boolean>) => {
      for (let i = 0; i < 400 && !(await done()); i++) await new Promise((resolve) => setTimeout(resolve, 25))
    }
    const running = main(['worker', '--interval', '10', '--quiet'], io)
    try {
      await until(() => err.join('').includes('lane(s)'))
      // The store's due index cannot be listed: every claim fails (ENOTDIR; ENOENT if a claim falls between the two
      // steps below), as with the disk or the database gone.
      await rename(join(storeDir, 'due'), join(storeDir, 'due.away'))
      await writeFile(join(storeDir, 'due'), '')
      await until(() => err.join('').split('claiming due runs failed').length > 2)
      expect(err.join('')).toMatch(
        /ctflow worker: claiming due runs failed \(Error: EN(?:OTDIR|OENT)[^)]*\); trying again in 20 ms\n[\s\S]*trying again in 40 ms/,
      )

      await rm(join(storeDir, 'due'))
      await rename(join(storeDir, 'due.away'), join(storeDir, 'due'))
      await until(async () => (await reader.get('later'))?.status === 'SUCCEEDED')
      expect(await reader.get('later')).toMatchObject({ status: 'SUCCEEDED', output: 'resumed' })
    } finally {
      controller.abort()
    }
    expect(await running).toBe(0)
    await reader.close()
  }, 30_000)
})
