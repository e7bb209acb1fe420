import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CliIO } from '../command'
import { main } from '../main'
import { startFakeRobot, TEST_DINGTALK_SECRET, type FakeRobot } from '../../lib/notify/testing/fake-robots'

let out: string
let err: string
let robots: FakeRobot[]
const io = (env: Record<string, string>): CliIO => ({
  stdout: (text) => void (out += text),
  stderr: (text) => void (err += text),
  env,
  cwd: process.cwd(),
  signal: new AbortController().signal,
})

beforeEach(async () => {
  out = ''
  err = ''
  robots = [await startFakeRobot('dingtalk', { secret: TEST_DINGTALK_SECRET }), await startFakeRobot('wecom')]
})
afterEach(async () => {
  await Promise.all(robots.map((robot) => robot.close()))
})

const config = (wecomUrl = robots[1]!.url) =>
  JSON.stringify([
    { type: 'dingtalk', url: robots[0]!.url, secret: TEST_DINGTALK_SECRET },
    { type: 'wecom', url: wecomUrl, name: 'ops' },
  ])

describe('ctflow notify test', () => {
  it('sends a test message to each channel and prints what each answered', async () => {
    expect(await main(['notify', 'test'], io({ CTFLOW_NOTIFY: config() }))).toBe(0)

    expect(out).toMatch(
      /^#0 dingtalk 127\.0\.0\.1:\d+: ok — errcode 0 ok\n#1 wecom \(ops\) 127\.0\.0\.1:\d+: ok — errcode 0 ok\n$/,
    )
    expect(robots.map((r) => r.accepted.length)).toEqual([1, 1])
    expect(JSON.stringify(robots[1]!.accepted[0]!.json)).toContain('ctflow test notification')
  })

  it('sends to the one channel --channel names (by name or position), and exits 1 with the robot’s refusal', async () => {
    const wrongKey = robots[1]!.url.replace(robots[1]!.token, 'tokwrong')
    expect(await main(['notify', 'test', '--channel', 'ops'], io({ CTFLOW_NOTIFY: config(wrongKey) }))).toBe(1)
    expect(out).toMatch(/^#1 wecom \(ops\) 127\.0\.0\.1:\d+: FAILED — errcode 93000 invalid webhook url\n$/)
    expect(out + err).not.toContain('tokwrong')

    out = ''
    expect(await main(['notify', 'test', '--channel', '0'], io({ CTFLOW_NOTIFY: config() }))).toBe(0)
    expect(robots[0]!.accepted).toHaveLength(1)
  })

  it('refuses a malformed CTFLOW_NOTIFY naming the channel, and an unknown --channel', async () => {
    expect(await main(['notify', 'test'], io({ CTFLOW_NOTIFY: '[{"type":"wecom"}]' }))).not.toBe(0)
    expect(err).toContain('CTFLOW_NOTIFY: channel #0 (wecom): "url" is required')
    err = ''
    expect(await main(['notify', 'test', '--channel', 'nope'], io({ CTFLOW_NOTIFY: config() }))).toBe(2)
    expect(err).toContain('--channel nope: no such channel (positions 0–1, names ops)')
  })
})
