import { describe, expect, it } from 'vitest'
import { parseNotifyConfig } from '../config'
import { maskSecrets, maskUrl } from './mask-secrets'

describe('maskUrl', () => {
  it.each([
    [
      'https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1&sign=xyz',
      'https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=1&sign=***',
    ],
    [
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***',
    ],
    ['https://open.feishu.cn/open-apis/bot/v2/hook/8b9c-token', 'https://open.feishu.cn/open-apis/bot/v2/hook/***'],
    ['https://hooks.slack.com/services/T0/B0/XXXX', 'https://hooks.slack.com/services/***'],
  ])('masks the robot token in %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked)
  })
})

describe('maskSecrets', () => {
  it('takes every channel’s URL, token and secret out of a text, however they appear', () => {
    const channels = parseNotifyConfig(
      JSON.stringify([
        { type: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=tok+en/1', secret: 'SECabcdef' },
        { type: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/feishu-token-123' },
      ]),
    )
    const text =
      'fetch https://oapi.dingtalk.com/robot/send?access_token=tok+en/1 failed; tok%2Ben%2F1; SECabcdef; feishu-token-123'
    const masked = maskSecrets(text, channels)
    for (const secret of ['tok+en/1', 'tok%2Ben%2F1', 'SECabcdef', 'feishu-token-123'])
      expect(masked).not.toContain(secret)
  })
})
