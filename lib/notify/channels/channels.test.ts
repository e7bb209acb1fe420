import { afterEach, describe, expect, it } from 'vitest'
import type { RunEndedNotification } from '../notification'
import { parseNotifyConfig, type ChannelType, type NotifyChannel } from '../../config'
import { DeliveryError, sendNotification } from '../send-notification'
import {
  startFakeRobot,
  TEST_DINGTALK_SECRET,
  TEST_FEISHU_SECRET,
  TEST_WEBHOOK_SECRET,
  type FakeRobot,
} from '../testing/fake-robots'
import { channelDrivers } from './drivers'

const SECRETS: Partial<Record<ChannelType, string>> = {
  dingtalk: TEST_DINGTALK_SECRET,
  feishu: TEST_FEISHU_SECRET,
  webhook: TEST_WEBHOOK_SECRET,
}
const TYPES: ChannelType[] = ['dingtalk', 'feishu', 'wecom', 'slack', 'webhook']

const failed: RunEndedNotification = {
  kind: 'run-ended',
  runId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  workflow: 'snapshot-then-backup',
  status: 'FAILED',
  error: 'Backup.DisksFailed',
  cause: '1 of 2 disks failed: d-2 (snapshot: Ctyun.QuotaExceeded: snapshot quota reached)',
  state: 'DisksFailed',
  startedAt: '2026-03-01T18:00:00.000Z',
  endedAt: '2026-03-01T18:03:25.000Z',
  durationMs: 205_000,
  link: 'https://ctflow.example.com/runs/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  report: {
    columns: ['Disk', 'Snapshot', 'Backup', 'Pruned', 'Error'],
    rows: [
      ['d-1 (data)', 's-1', 'completed t-1', '2', '—'],
      ['d-2', '—', 'none: no backup ran (snapshot failed?)', '0', 'snapshot: Ctyun.QuotaExceeded'],
    ],
    summary: '2 disks: 1 ok, 1 failed; 1 snapshots, 1 backups, 2 pruned',
  },
}

const robots: FakeRobot[] = []
afterEach(async () => {
  await Promise.all(robots.splice(0).map((robot) => robot.close()))
})

async function robotAndChannel(type: ChannelType, overrides: { secret?: string; burst?: number } = {}) {
  const robot = await startFakeRobot(type, { ...(SECRETS[type] ? { secret: SECRETS[type] } : {}), ...overrides })
  robots.push(robot)
  const secret = overrides.secret ?? SECRETS[type]
  const [channel] = parseNotifyConfig(JSON.stringify([{ type, url: robot.url, ...(secret ? { secret } : {}) }]))
  return { robot, channel: channel! }
}

const send = (channel: NotifyChannel, notification = failed, id = 'run-1.end-0') =>
  sendNotification(channel, notification, {
    id,
    driver: channelDrivers()[channel.type],
    retries: 0,
  })

/** What a person reads in the accepted message, whatever the platform's format. */
function shown(robot: FakeRobot): string {
  return JSON.stringify(robot.accepted.at(-1)!.json)
}

describe.each(TYPES)('%s channel, against a fake robot that checks it as the platform does', (type) => {
  it('delivers a failed run: workflow, run, status, error and cause, failing state, duration, report rows and link', async () => {
    const { robot, channel } = await robotAndChannel(type)

    await send(channel)

    expect(robot.accepted).toHaveLength(1)
    const text = shown(robot)
    for (const fact of [
      'snapshot-then-backup',
      failed.runId,
      'FAILED',
      'Backup.DisksFailed',
      'snapshot quota reached',
      'DisksFailed',
      's-1',
      'completed t-1',
      'Ctyun.QuotaExceeded',
      failed.link!,
    ])
      expect(text).toContain(fact)
    expect(text).toMatch(type === 'webhook' ? /"durationMs":205000/ : /3m 25s/)
  })

  it('checks the robot’s own answer: a refusal is not retried and names the platform’s code, never the secret', async () => {
    const { robot, channel } = await robotAndChannel(type)
    // The URL the robot gave, with the token wrong (or, for signing robots, the secret wrong).
    const broken: NotifyChannel = SECRETS[type]
      ? {
          ...channel,
          secret:
            type === 'webhook'
              ? `whsec_${Buffer.from('another-secret-of-32-bytes-long!').toString('base64')}`
              : 'SECwrong-secret',
        }
      : { ...channel, url: channel.url.replace(robot.token, 'tokwrong') }

    const error = await send(broken).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(DeliveryError)
    expect((error as DeliveryError).retryable).toBe(false)
    expect((error as Error).message).toMatch(
      {
        dingtalk: /errcode 310000/,
        feishu: /code 19021/,
        wecom: /errcode 93000/,
        slack: /HTTP 404/,
        webhook: /HTTP 401/,
      }[type],
    )
    expect((error as Error).message).not.toContain(robot.token)
    if (broken.secret) expect((error as Error).message).not.toContain(broken.secret)
    expect(robot.accepted).toHaveLength(0)
  })

  it('keeps a huge report inside the platform’s size limit, cut with a note, and the robot accepts it', async () => {
    const { robot, channel } = await robotAndChannel(type)
    const rows = Array.from({ length: 200 }, (_, i) => [
      `d-${i} (数据盘 ${'x'.repeat(40)})`,
      `s-${i}-${'0'.repeat(20)}`,
      'failed: CBR backup task ended in state FAILED after 3 retries',
      '0',
      'backup: Ctyun.TaskFailed: 备份任务失败 '.repeat(3),
    ])
    const huge: RunEndedNotification = { ...failed, cause: 'c'.repeat(10_000), report: { ...failed.report!, rows } }

    await send(channel, huge)

    expect(robot.accepted).toHaveLength(1)
    if (type !== 'webhook') expect(shown(robot)).toMatch(/cut to fit/)
    else expect((robot.accepted[0]!.json.data as RunEndedNotification).report!.rows).toHaveLength(200)
  })
})

describe('rate limits and outages, as each platform answers them', () => {
  it.each(['dingtalk', 'feishu', 'wecom', 'slack'] as const)(
    '%s: the robot’s rate-limit answer is retryable, and a quick retry after it gets through',
    async (type) => {
      const { robot, channel } = await robotAndChannel(type, { burst: 1 })
      let clock = Date.now()
      robot.now = () => clock
      await send(channel)

      const refused = await send(channel).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(DeliveryError)
      expect((refused as DeliveryError).retryable).toBe(true)
      expect((refused as Error).message).toMatch(
        { dingtalk: /errcode 130101/, feishu: /code 9499/, wecom: /errcode 45009/, slack: /HTTP 429/ }[type],
      )

      // With retries: the sleep between them moves the robot's clock past its window.
      await sendNotification(channel, failed, {
        id: 'run-1.end-0',
        driver: channelDrivers()[type],
        now: () => new Date(clock),
        sleep: async (ms) => {
          clock += Math.max(ms, 61_000)
        },
      })
      expect(robot.accepted).toHaveLength(2)
    },
  )

  it('a robot that is down (503) or drops the connection is retryable', async () => {
    const { robot, channel } = await robotAndChannel('wecom')
    robot.down = true
    expect(await send(channel).catch((e: DeliveryError) => [e.retryable, e.message])).toEqual([
      true,
      'HTTP 503: Service Unavailable',
    ])
    robot.down = false
    robot.drop = true
    const dropped = (await send(channel).catch((e: unknown) => e)) as DeliveryError
    expect(dropped.retryable).toBe(true)
    expect(dropped.message).toMatch(/^network: /)
    expect(dropped.message).not.toContain(robot.token)
  })

  it('the webhook channel sends the notification’s stable id as webhook-id, signed, with the event as JSON', async () => {
    const { robot, channel } = await robotAndChannel('webhook')
    await send(channel, failed, 'run-9.end-4')
    await send(channel, failed, 'run-9.end-4')

    expect(robot.accepted.map((m) => m.headers['webhook-id'])).toEqual(['run-9.end-4', 'run-9.end-4'])
    expect(robot.accepted[0]!.json).toMatchObject({
      type: 'run.ended',
      data: { runId: failed.runId, status: 'FAILED' },
    })
  })

  it('feishu: a post message is accepted too', async () => {
    const robot = await startFakeRobot('feishu', { secret: TEST_FEISHU_SECRET })
    robots.push(robot)
    const [channel] = parseNotifyConfig(
      JSON.stringify([{ type: 'feishu', url: robot.url, secret: TEST_FEISHU_SECRET, format: 'post' }]),
    )
    await send(channel!)
    expect(robot.accepted[0]!.json).toMatchObject({ msg_type: 'post' })
    expect(shown(robot)).toContain('"tag":"a"')
  })
})
