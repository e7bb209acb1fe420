import { afterEach, describe, expect, it } from 'vitest'
import { parseNotifyConfig, type ChannelType, type NotifyChannel } from '../config'
import { createActionRegistry, type WorkflowDefinition } from '../engine'
import { createEngine } from '../engine/create-engine'
import { createMemoryStore } from '../engine/stores/memory-store'
import { createFakeClock } from '../engine/testing/fake-clock'
import { notificationsOnEnd } from './notify-on-end'
import { createNotificationSender, type NotifyLogEntry } from './outbox-sender'
import {
  startFakeRobot,
  TEST_DINGTALK_SECRET,
  TEST_FEISHU_SECRET,
  TEST_WEBHOOK_SECRET,
  type FakeRobot,
} from './testing/fake-robots'

const workflows: Record<string, WorkflowDefinition> = {
  'snapshot-then-backup': {
    StartAt: 'Snapshot',
    States: {
      Snapshot: { Type: 'Task', Resource: 'test:snapshot', Next: 'Done' },
      Done: { Type: 'Succeed' },
    },
  },
  inventory: { StartAt: 'List', States: { List: { Type: 'Pass', Result: { disks: 3 }, End: true } } },
}

const SECRETS: Partial<Record<ChannelType, string>> = {
  dingtalk: TEST_DINGTALK_SECRET,
  feishu: TEST_FEISHU_SECRET,
  webhook: TEST_WEBHOOK_SECRET,
}

const robots: FakeRobot[] = []
afterEach(async () => {
  await Promise.all(robots.splice(0).map((robot) => robot.close()))
})

/**
 * Five robots (one per platform), an engine over a memory store writing their notifications, and a sender on a clock
 * the test moves (the robots check signatures against the same clock).
 */
async function setup(extra: (index: number, type: ChannelType) => Record<string, unknown> = () => ({})) {
  const types: ChannelType[] = ['dingtalk', 'feishu', 'wecom', 'slack', 'webhook']
  const clock = createFakeClock(Date.now())
  for (const type of types) {
    const robot = await startFakeRobot(type, {
      ...(SECRETS[type] ? { secret: SECRETS[type] } : {}),
      now: () => clock.time,
    })
    robots.push(robot)
  }
  const channels = parseNotifyConfig(
    JSON.stringify(
      types.map((type, i) => ({
        type,
        url: robots[i]!.url,
        ...(SECRETS[type] ? { secret: SECRETS[type] } : {}),
        ...extra(i, type),
      })),
    ),
  )
  const store = createMemoryStore()
  const actions = createActionRegistry()
  actions.register('test:snapshot', {
    call: async (input) => {
      if ((input as { fail?: boolean }).fail) throw Object.assign(new Error('quota reached'), { name: 'QuotaExceeded' })
      return {}
    },
  })
  const engine = createEngine({
    store,
    actions,
    workflows,
    clock,
    outboxOnEnd: notificationsOnEnd(channels),
  })
  const logs: NotifyLogEntry[] = []
  const sender = (
    owner = 'sender-1',
    options: { giveUpAfterMs?: number; keepSettledMs?: number; pruneEveryMs?: number; pruneBatch?: number } = {},
  ) =>
    createNotificationSender({
      store,
      channels,
      owner,
      publicUrl: 'https://ctflow.example.com',
      now: () => clock.time,
      log: (entry) => logs.push(entry),
      sleep: async (ms) => clock.advance(ms),
      ...options,
    })
  const runToEnd = async (workflow: string, input: unknown) => {
    const { run } = await engine.start({ workflow, input })
    return engine.runToEnd(run.id)
  }
  return { clock, channels, store, engine, sender, logs, runToEnd }
}

function secretsOf(channels: NotifyChannel[]): string[] {
  return [...channels.flatMap((c) => [c.url, ...(c.secret ? [c.secret] : [])]), ...robots.map((r) => r.token)]
}

describe('the outbox sender', () => {
  it('notifies each channel once about a failed run, with its error, and the run never waited for it', async () => {
    const { sender, runToEnd, store } = await setup()
    const run = await runToEnd('snapshot-then-backup', { fail: true })
    expect(run.status).toBe('FAILED')
    // Written with the final save, nothing sent yet: delivery is off the run's path.
    expect(robots.map((r) => r.requests.length)).toEqual([0, 0, 0, 0, 0])
    expect((await store.outbox(run.id)).map((e) => e.state)).toEqual(Array(5).fill('pending'))

    expect(await sender().deliverPending()).toEqual({ sent: 5, retried: 0, givenUp: 0 })
    expect(await sender('sender-2').deliverPending()).toEqual({ sent: 0, retried: 0, givenUp: 0 })

    expect(robots.map((r) => r.accepted.length)).toEqual([1, 1, 1, 1, 1])
    for (const robot of robots) {
      const text = JSON.stringify(robot.accepted[0]!.json)
      expect(text).toContain(run.id)
      expect(text).toContain('QuotaExceeded')
      expect(text).toContain(`https://ctflow.example.com/runs/${run.id}`)
    }
    expect(robots[4]!.accepted[0]!.headers['webhook-id']).toBe(`${run.id}.end-4`)
    expect((await store.outbox(run.id)).map((e) => e.state)).toEqual(Array(5).fill('sent'))
  })

  it('tells about a SUCCEEDED run only the channels that asked for it, and a workflow only the channels that name it', async () => {
    const { sender, runToEnd } = await setup((i) =>
      i === 1
        ? { on: ['SUCCEEDED', 'FAILED'] }
        : i === 3
          ? { on: ['SUCCEEDED'], workflows: ['snapshot-then-backup'] }
          : {},
    )
    await runToEnd('snapshot-then-backup', {})
    await runToEnd('inventory', {})
    await sender().deliverPending()

    expect(robots.map((r) => r.accepted.length)).toEqual([0, 2, 0, 1, 0])
    expect(JSON.stringify(robots[3]!.accepted[0]!.json)).toContain('snapshot-then-backup')
  })

  it('delivers a notification whose robot was down when the run ended once it is back, after a back-off', async () => {
    const { sender, runToEnd, clock, logs } = await setup()
    for (const robot of robots) robot.down = true
    await runToEnd('snapshot-then-backup', { fail: true })

    expect(await sender().deliverPending()).toEqual({ sent: 0, retried: 5, givenUp: 0 })
    expect(logs.filter((l) => l.level === 'warn')).toHaveLength(5)
    // Not again before its back-off, even with the robots back.
    for (const robot of robots) robot.down = false
    expect(await sender().deliverPending()).toEqual({ sent: 0, retried: 0, givenUp: 0 })

    clock.advance(31_000)
    expect(await sender().deliverPending()).toEqual({ sent: 5, retried: 0, givenUp: 0 })
    expect(robots.map((r) => r.accepted.length)).toEqual([1, 1, 1, 1, 1])
  })

  it('gives up, and logs it, what a retry cannot cure at once, and what keeps failing past the bound', async () => {
    const { sender, runToEnd, clock, logs, store } = await setup()
    robots[2]!.down = true // wecom: a 503 each time
    robots[0]!.secret = 'SECsomething-else' // dingtalk: signatures no longer match (310000)
    const run = await runToEnd('snapshot-then-backup', { fail: true })

    const bounded = { giveUpAfterMs: 60 * 60 * 1000 }
    expect(await sender('s', bounded).deliverPending()).toEqual({ sent: 3, retried: 1, givenUp: 1 })
    for (let i = 0; i < 12 && (await store.outbox(run.id)).some((e) => e.state === 'pending'); i++) {
      clock.advance(10 * 60 * 1000)
      await sender('s', bounded).deliverPending()
    }

    const states = (await store.outbox(run.id)).map((e) => [e.id, e.state])
    expect(states).toEqual([
      ['end-0', 'given-up'],
      ['end-1', 'sent'],
      ['end-2', 'given-up'],
      ['end-3', 'sent'],
      ['end-4', 'sent'],
    ])
    const givenUp = logs.filter((l) => l.level === 'error').map((l) => l.msg)
    expect(givenUp).toEqual([
      expect.stringMatching(/^notification to #0 dingtalk .* given up \(the robot refused it\): errcode 310000/),
      expect.stringMatching(/^notification to #2 wecom .* given up \(still failing after 60 min\): HTTP 503/),
    ])
    expect((await store.get(run.id))!.status).toBe('FAILED')
  })

  it('prunes what was sent or given up longer ago than the retention, never a pending one, then waits before pruning again', async () => {
    const { sender, runToEnd, clock, logs, store } = await setup()
    robots[2]!.down = true // wecom: a 503 each time, so its notification stays pending
    robots[0]!.secret = 'SECsomething-else' // dingtalk: refused at once, given up
    const run = await runToEnd('snapshot-then-backup', { fail: true })
    const day = 24 * 60 * 60 * 1000
    const s = sender('s', { giveUpAfterMs: 30 * day, keepSettledMs: 7 * day, pruneEveryMs: 60 * 60 * 1000 })

    expect(await s.deliverPending()).toEqual({ sent: 3, retried: 1, givenUp: 1 })
    // The quick retries' sleeps moved the clock during the pass: start the week at the earliest settling.
    const settled = (await store.outbox(run.id)).flatMap((e) => (e.settledAt ? [e.settledAt.getTime()] : []))
    const hour = 60 * 60 * 1000
    clock.advance(Math.min(...settled) + 7 * day - hour - clock.time)
    const pending = (e: { state: string }) => e.state === 'pending'
    await s.deliverPending() // pruned nothing: settled a week ago less an hour
    expect((await store.outbox(run.id)).map((e) => e.id)).toEqual(['end-0', 'end-1', 'end-2', 'end-3', 'end-4'])

    clock.advance(2 * hour) // past the retention and the prune interval
    expect((await s.deliverPending()).pruned).toBe(4)
    expect((await store.outbox(run.id)).map((e) => [e.id, e.state])).toEqual([['end-2', 'pending']])
    expect(logs.filter((l) => l.msg.startsWith('pruned '))).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: expect.stringMatching(/^pruned 4 notification\(s\) settled before /),
      }),
    ])
    expect((await store.outbox(run.id)).filter(pending)).toHaveLength(1)
    expect((await store.get(run.id))!.status).toBe('FAILED')
  })

  it('prunes a backlog in batches, one a pass, until a batch comes back short', async () => {
    const { sender, runToEnd, clock, store } = await setup()
    for (let i = 0; i < 2; i++) await runToEnd('snapshot-then-backup', { fail: true })
    const s = sender('s', { keepSettledMs: 1_000, pruneEveryMs: 60 * 60 * 1000, pruneBatch: 4 })
    expect(await s.deliverPending()).toEqual({ sent: 10, retried: 0, givenUp: 0 })
    clock.advance(60 * 60 * 1000) // past the retention and the first pass's prune interval

    const pruned = []
    for (let i = 0; i < 4; i++) pruned.push((await s.deliverPending()).pruned ?? 0)
    expect(pruned).toEqual([4, 4, 2, 0])
    expect(
      await store.claimOutbox({ topic: 'notify', owner: 'x', leaseMs: 1, now: new Date(clock.time), limit: 9 }),
    ).toEqual([])
  })

  it('never sends one notification from two senders at once', async () => {
    const { sender, runToEnd } = await setup()
    for (let i = 0; i < 3; i++) await runToEnd('snapshot-then-backup', { fail: true })

    const passes = await Promise.all([sender('a'), sender('b'), sender('c')].map((s) => s.deliverPending()))

    expect(passes.reduce((n, p) => n + p.sent, 0)).toBe(15)
    expect(robots.map((r) => r.accepted.length)).toEqual([3, 3, 3, 3, 3])
    const ids = robots[4]!.accepted.map((m) => m.headers['webhook-id'])
    expect(new Set(ids).size).toBe(3)
  })

  it('writes no secret, robot token or URL into any log line or kept error', async () => {
    const { sender, runToEnd, clock, logs, store, channels } = await setup()
    robots[1]!.drop = true
    robots[3]!.down = true
    robots[0]!.secret = 'SECanother'
    const run = await runToEnd('snapshot-then-backup', { fail: true })
    await sender().deliverPending()
    clock.advance(7 * 60 * 60 * 1000)
    await sender().deliverPending()

    const kept = (await store.outbox(run.id)).map((e) => e.lastError ?? '')
    const lines = [...logs.map((l) => JSON.stringify(l)), ...kept]
    expect(lines.length).toBeGreaterThan(5)
    for (const secret of secretsOf(channels)) for (const line of lines) expect(line).not.toContain(secret)
  })
})
