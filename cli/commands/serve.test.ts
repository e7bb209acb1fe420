import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEngine } from '../../lib/engine/create-engine'
import { createFileStore } from '../../lib/engine/stores/file-store'
import { parseNotifyConfig } from '../../lib/config'
import { notificationsOnEnd } from '../../lib/notify'
import { startFakeRobot } from '../../lib/notify/testing/fake-robots'
import type { CliIO } from '../command'
import { UsageError } from '../command'
import { main } from '../main'
import serve, { notifyLine } from './serve'

function io(env: Record<string, string> = {}) {
  const out: string[] = []
  const err: string[] = []
  const controller = new AbortController()
  const value: CliIO = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    cwd: process.cwd(),
    signal: controller.signal,
  }
  return { io: value, out, err, controller }
}

describe('ctflow serve', () => {
  it('prints its usage with --help', async () => {
    const { io: cli, out } = io()
    expect(await serve(['--help'], cli)).toBe(0)
    expect(out.join('')).toContain('ctflow serve [--port 8080]')
  })

  it.each([[['--port', 'abc']], [['--port', '70000']], [['--verbose']]])(
    'refuses %o as a usage error',
    async (argv) => {
      await expect(serve(argv, io().io)).rejects.toBeInstanceOf(UsageError)
    },
  )

  it('reports a configuration mistake before starting anything', async () => {
    await expect(serve(['--port', '0'], io({ CTFLOW_API_TOKEN: 'short' }).io)).rejects.toThrow(/CTFLOW_API_TOKEN/)
  })

  it('with --json writes every line as one JSON object, from listening to stopped', async () => {
    const { io: cli, out, err, controller } = io({ CTFLOW_STORE: 'memory' })
    let listening!: () => void
    const started = new Promise<void>((resolve) => {
      listening = resolve
    })
    cli.stderr = (text) => {
      err.push(text)
      if (text.includes('listening')) listening()
    }
    const exit = main(['serve', '--port', '0', '--json'], cli)
    await started
    controller.abort()
    expect(await exit).toBe(0)
    expect(out.join('')).toBe('')
    const lines = err
      .join('')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'ctflow serve: listening', webhooks: false, runsApi: false })
    expect(lines[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'ctflow serve: stopped' })
  })

  it('says in one line that the port is taken and exits 1', async () => {
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const taken = (holder.address() as AddressInfo).port
    try {
      const { io: cli, out, err } = io({ CTFLOW_STORE: 'memory' })
      expect(await main(['serve', '--port', String(taken)], cli)).toBe(1)
      expect(err.join('')).toBe(
        `ctflow serve: cannot listen on 127.0.0.1:${taken}: the port is already in use (choose another with --port, or stop what holds it)\n`,
      )
      expect(out.join('')).toBe('')
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
  })

  it("without --json writes the notification sender's lines as text, the run named and no token", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ctflow-serve-'))
    const robot = await startFakeRobot('wecom')
    try {
      const failing = { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Job.Failed', Cause: 'boom' } } }
      const notify = JSON.stringify([{ type: 'wecom', url: robot.url }])
      const store = createFileStore(join(dir, 'store'))
      const outboxOnEnd = notificationsOnEnd(parseNotifyConfig(notify))
      const engine = createEngine({ store, workflows: { failing: failing as never }, outboxOnEnd })
      const { run } = await engine.start({ workflow: 'failing', input: {} })
      await engine.advance(run.id, { deadline: Date.now() + 5_000 })
      await store.close()

      const {
        io: cli,
        err,
        controller,
      } = io({
        CTFLOW_STORE: join(dir, 'store'),
        CTFLOW_NOTIFY: notify,
      })
      let sent!: () => void
      const delivered = new Promise<void>((resolve) => {
        sent = resolve
      })
      cli.stderr = (text) => {
        err.push(text)
        if (text.includes('notification sent')) sent()
      }
      const exit = main(['serve', '--port', '0'], cli)
      await delivered
      controller.abort()
      expect(await exit).toBe(0)

      const line = err
        .join('')
        .split('\n')
        .find((text) => text.includes('notification sent'))
      expect(line).toMatch(new RegExp(`^ctflow serve: notification sent to .* \\(run ${run.id}\\)$`))
      expect(err.join('')).not.toContain('{')
      expect(err.join('')).not.toContain(robot.token)
      expect(robot.accepted).toHaveLength(1)
    } finally {
      await robot.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('notifyLine names the run and the attempt when the entry has them', () => {
    expect(notifyLine({ level: 'error', msg: 'notification to ops failed', runId: 'r1', attempt: 2 })).toBe(
      'ctflow serve: notification to ops failed (run r1, attempt 2)',
    )
    expect(notifyLine({ level: 'info', msg: 'pruned 3 notification(s)' })).toBe(
      'ctflow serve: pruned 3 notification(s)',
    )
  })
})
