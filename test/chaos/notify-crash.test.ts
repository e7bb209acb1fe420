import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseNotifyConfig } from '../../lib/config'
import { createEngine } from '../../lib/engine/create-engine'
import { createFileStore } from '../../lib/engine/stores/file-store'
import { notificationsOnEnd } from '../../lib/notify'
import { createNotificationSender } from '../../lib/notify/outbox-sender'
import { startFakeRobot, TEST_WEBHOOK_SECRET, type FakeRobot } from '../../lib/notify/testing/fake-robots'

const CHILD = new URL('./notify-crash.child.ts', import.meta.url).pathname
const TSX = new URL('../../node_modules/tsx/dist/esm/index.mjs', import.meta.url).pathname
const CLAIM_MS = 2_000

let dir: string
let robot: FakeRobot
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctflow-notify-crash-'))
  robot = await startFakeRobot('webhook', { secret: TEST_WEBHOOK_SECRET })
})
afterAll(async () => {
  await robot.close()
  await rm(dir, { recursive: true, force: true })
})

/** Runs the child sender and SIGKILLs it once it says it is between sending and marking; resolves to that id. */
function runUntilBetween(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    let between: string | undefined
    child.stderr.on('data', (chunk) => (err += chunk))
    child.stdout.on('data', (chunk) => {
      out += chunk
      const match = /^between (.+)$/m.exec(out)
      if (match && !between) {
        between = match[1]!
        child.kill('SIGKILL')
      }
    })
    child.on('exit', (_code, signal) =>
      between && signal === 'SIGKILL'
        ? resolve(between)
        : reject(new Error(`child ended without the kill: ${out}${err}`)),
    )
  })
}

describe('a sender SIGKILLed between sending a notification and marking it sent', () => {
  it('repeats that one notification only, with the same webhook-id: one distinct id per run end', async () => {
    const store = createFileStore(dir)
    const notify = JSON.stringify([{ type: 'webhook', url: robot.url, secret: TEST_WEBHOOK_SECRET }])
    const channels = parseNotifyConfig(notify)
    const engine = createEngine({
      store,
      workflows: { failing: { StartAt: 'Fail', States: { Fail: { Type: 'Fail', Error: 'Job.Failed', Cause: 'x' } } } },
      outboxOnEnd: notificationsOnEnd(channels),
    })
    const runIds: string[] = []
    for (let i = 0; i < 3; i++) {
      const { run } = await engine.start({ workflow: 'failing', input: { i } })
      expect((await engine.runToEnd(run.id)).status).toBe('FAILED')
      runIds.push(run.id)
    }

    const killedAt = await runUntilBetween({ CTFLOW_STORE: dir, CTFLOW_NOTIFY: notify, CLAIM_MS: String(CLAIM_MS) })
    expect(robot.accepted).toHaveLength(2) // the first, marked; the second, sent and never marked

    // Another process, once the dead one's claim has expired.
    const later = Date.now() + CLAIM_MS + 1_000
    const pass = await createNotificationSender({
      store,
      channels,
      owner: 'survivor',
      now: () => later,
    }).deliverPending()

    expect(pass).toEqual({ sent: 2, retried: 0, givenUp: 0 })
    const ids = robot.accepted.map((message) => message.headers['webhook-id'] as string)
    expect(ids).toHaveLength(4)
    expect(new Set(ids)).toEqual(new Set(runIds.map((id) => `${id}.end-0`)))
    expect(ids.filter((id) => id === killedAt)).toHaveLength(2)
    for (const id of runIds) expect((await store.outbox(id)).map((e) => e.state)).toEqual(['sent'])
    await store.close()
  })
})
