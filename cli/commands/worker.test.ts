import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine } from '../../lib/engine/create-engine'
import { createFileStore } from '../../lib/engine/stores/file-store'
import { main } from '../main'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctflow-worker-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const definition = { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'resumed', End: true } } }

describe('ctflow worker', () => {
  it('--once advances a due run to the end; cancel aborts a suspended one', async () => {
    await mkdir(join(dir, 'workflows'))
    await writeFile(join(dir, 'workflows', 'job.json'), JSON.stringify(definition))
    await writeFile(join(dir, 'workflows', 'sleepy.json'), JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 86400, End: true } } }))
    const store = createFileStore(join(dir, 'store'))
    const engine = createEngine({ store, workflows: { job: definition as never } })
    const { run } = await engine.start({ workflow: 'job', input: {} })
    const sleepyEngine = createEngine({ store, workflows: { sleepy: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 86400, End: true } } } as never } })
    const sleepy = (await sleepyEngine.start({ workflow: 'sleepy', input: {} })).run
    await sleepyEngine.advance(sleepy.id, { deadline: Date.now() + 1000 })
    await store.close()

    const err: string[] = []
    const io = { stdout: () => {}, stderr: (t: string) => void err.push(t), env: { CTFLOW_STORE: join(dir, 'store') }, cwd: dir, signal: new AbortController().signal }
    expect(await main(['worker', '--once'], io)).toBe(0)
    const out: string[] = []
    expect(await main(['runs', 'show', run.id, '--json'], { ...io, stdout: (t: string) => void out.push(t) })).toBe(0)
    expect(JSON.parse(out.join('')).run).toMatchObject({ status: 'SUCCEEDED', output: 'resumed' })

    const cancelled: string[] = []
    expect(await main(['runs', 'cancel', sleepy.id], { ...io, stdout: (t: string) => void cancelled.push(t) })).toBe(0)
    expect(cancelled.join('')).toMatch(/ABORTED/)
  })

  it('--concurrency advances several due runs at once, each by one lane only', async () => {
    const waiting = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, Next: 'P' }, P: { Type: 'Pass', Result: 'woke', End: true } } }
    await mkdir(join(dir, 'workflows'))
    await writeFile(join(dir, 'workflows', 'waiting.json'), JSON.stringify(waiting))
    const store = createFileStore(join(dir, 'store'))
    const engine = createEngine({ store, workflows: { waiting: waiting as never } })
    const ids = await Promise.all([1, 2, 3, 4].map(async () => (await engine.start({ workflow: 'waiting', input: {} })).run.id))
    await store.close()

    const io = { stdout: () => {}, stderr: () => {}, env: { CTFLOW_STORE: join(dir, 'store') }, cwd: dir, signal: new AbortController().signal }
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
    const err: string[] = []
    const io = { stdout: () => {}, stderr: (t: string) => void err.push(t), env: { CTFLOW_STORE: 'memory' }, cwd: dir, signal: new AbortController().signal }
    expect(await main(['worker', '--concurrency', '0'], io)).toBe(2)
    expect(err.join('')).toMatch(/--concurrency must be a whole number from 1 to 64/)
  })

  it('stops on the abort signal (SIGINT/SIGTERM)', async () => {
    const controller = new AbortController()
    const io = { stdout: () => {}, stderr: () => {}, env: { CTFLOW_STORE: 'memory' }, cwd: dir, signal: controller.signal }
    const running = main(['worker', '--interval', '10'], io)
    setTimeout(() => controller.abort(), 50)
    expect(await running).toBe(0)
  })
})
