import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findChannel, NotifyConfigError, parseNotifyConfig } from './notify-config'
import { loadNotifySettings, NotifySettingsError } from './notify-settings'

const DING = 'https://oapi.dingtalk.com/robot/send?access_token=ding-token-never-shown'
const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-never-shown'
const WHSEC = `whsec_${Buffer.from('a-secret-of-at-least-16-bytes').toString('base64')}`

function refused(value: unknown): string {
  try {
    parseNotifyConfig(typeof value === 'string' ? value : JSON.stringify(value))
  } catch (error) {
    expect(error).toBeInstanceOf(NotifyConfigError)
    const message = (error as Error).message
    for (const secret of ['ding-token-never-shown', 'wecom-key-never-shown', WHSEC, 'SECsecret-never-shown'])
      expect(message).not.toContain(secret)
    return message
  }
  throw new Error('expected a NotifyConfigError')
}

describe('CTFLOW_NOTIFY', () => {
  it('reads channels with the default ends (FAILED, TIMED_OUT, ABORTED), names, filters and secrets', () => {
    const channels = parseNotifyConfig(
      JSON.stringify([
        { type: 'dingtalk', url: DING, secret: 'SECsecret-never-shown' },
        { type: 'wecom', url: WECOM, on: ['SUCCEEDED', 'FAILED'], workflows: ['snapshot-then-backup'], name: 'ops' },
        { type: 'webhook', url: 'https://hooks.example.com/ctflow', secret: WHSEC },
      ]),
    )
    expect(channels.map((c) => [c.index, c.type, c.on, c.workflows, c.name])).toEqual([
      [0, 'dingtalk', ['FAILED', 'TIMED_OUT', 'ABORTED'], undefined, undefined],
      [1, 'wecom', ['SUCCEEDED', 'FAILED'], ['snapshot-then-backup'], 'ops'],
      [2, 'webhook', ['FAILED', 'TIMED_OUT', 'ABORTED'], undefined, undefined],
    ])
    expect(findChannel(channels, 'ops')?.index).toBe(1)
    expect(findChannel(channels, '2')?.type).toBe('webhook')
    expect(findChannel(channels, 0)?.type).toBe('dingtalk')
    expect(parseNotifyConfig(undefined)).toEqual([])
    expect(parseNotifyConfig('  ')).toEqual([])
  })

  it.each([
    ['not JSON', `[{"type":"wecom","url":"${WECOM}"`, /^CTFLOW_NOTIFY: not JSON/],
    ['not an array', { type: 'wecom', url: WECOM }, /expected a JSON array of channels/],
    ['an unknown type', [{ type: 'teams', url: WECOM }], /channel #0: "type" must be one of dingtalk, feishu/],
    ['no url', [{ type: 'slack' }], /channel #0 \(slack\): "url" is required/],
    [
      'a URL without its token',
      [{ type: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send' }],
      /channel #0 \(dingtalk\): "url" has no access_token=/,
    ],
    [
      'a wrong "on"',
      [
        { type: 'wecom', url: WECOM },
        { type: 'wecom', url: WECOM, on: ['FAILD'] },
      ],
      /channel #1 \(wecom\): "on" must be a non-empty array of SUCCEEDED, FAILED/,
    ],
    [
      'an empty workflows filter',
      [{ type: 'wecom', url: WECOM, workflows: [] }],
      /channel #0 \(wecom\): "workflows" must be/,
    ],
    ['a typo in a field', [{ type: 'wecom', url: WECOM, secrte: 'x' }], /channel #0 \(wecom\): unknown field "secrte"/],
    [
      'a secret on a robot that does not sign',
      [{ type: 'wecom', url: WECOM, secret: 'x' }],
      /"secret": wecom robots do not sign/,
    ],
    [
      'a webhook without its whsec_ secret',
      [{ type: 'webhook', url: 'https://h.example.com' }],
      /channel #0 \(webhook\): "secret" is required/,
    ],
    [
      'a malformed whsec_ secret',
      [{ type: 'webhook', url: 'https://h.example.com', secret: 'SECsecret-never-shown' }],
      /"secret" must be "whsec_"/,
    ],
    [
      'a name used twice',
      [
        { type: 'wecom', url: WECOM, name: 'ops' },
        { type: 'wecom', url: WECOM, name: 'ops' },
      ],
      /channel #1: "name" "ops" is used twice/,
    ],
  ])('refuses %s, naming the channel by position and the field, echoing no secret', (_what, value, message) => {
    expect(refused(value)).toMatch(message)
  })

  it('reads @path/to/file.json relative to the working directory, and says when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctflow-notify-'))
    writeFileSync(join(dir, 'notify.json'), JSON.stringify([{ type: 'wecom', url: WECOM }]))

    expect(loadNotifySettings({ CTFLOW_NOTIFY: '@notify.json' }, { cwd: dir }).channels).toHaveLength(1)
    expect(() => loadNotifySettings({ CTFLOW_NOTIFY: '@missing.json' }, { cwd: dir })).toThrow(
      /CTFLOW_NOTIFY: cannot read missing.json \(ENOENT\)/,
    )
  })

  it('reads CTFLOW_PUBLIC_URL without its trailing slash, and refuses one that is not http(s)', () => {
    expect(loadNotifySettings({ CTFLOW_PUBLIC_URL: 'https://ctflow.example.com/' }).publicUrl).toBe(
      'https://ctflow.example.com',
    )
    expect(() => loadNotifySettings({ CTFLOW_PUBLIC_URL: 'ctflow.example.com' })).toThrow(NotifySettingsError)
  })

  it('reads CTFLOW_NOTIFY_GIVE_UP_HOURS and CTFLOW_NOTIFY_RETENTION_DAYS (default 6 h, 7 days), and refuses a non-positive one', () => {
    expect(loadNotifySettings({})).toMatchObject({ giveUpAfterMs: 6 * 3_600_000, keepSettledMs: 7 * 86_400_000 })
    expect(
      loadNotifySettings({ CTFLOW_NOTIFY_GIVE_UP_HOURS: '0.5', CTFLOW_NOTIFY_RETENTION_DAYS: ' 30 ' }),
    ).toMatchObject({ giveUpAfterMs: 1_800_000, keepSettledMs: 30 * 86_400_000 })
    for (const bad of ['0', '-1', 'six', '1e3'])
      expect(() => loadNotifySettings({ CTFLOW_NOTIFY_GIVE_UP_HOURS: bad })).toThrow(
        /CTFLOW_NOTIFY_GIVE_UP_HOURS must be a positive number/,
      )
    expect(() => loadNotifySettings({ CTFLOW_NOTIFY_RETENTION_DAYS: '0' })).toThrow(NotifySettingsError)
  })
})
