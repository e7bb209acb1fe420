import { describe, expect, it } from 'vitest'
import { redactText, redactValue } from './redact'

describe('redactText', () => {
  it('masks the known secrets wherever they appear', () => {
    expect(redactText('signed with SK-abcdef1234 by AK-99', ['SK-abcdef1234', 'AK-99'])).toBe('signed with *** by ***')
  })

  it("masks robots' tokens and signatures in URLs, keeping the rest of the URL", () => {
    expect(
      redactText('POST https://oapi.dingtalk.com/robot/send?access_token=0123abcd&timestamp=1&sign=xyz%2B=', []),
    ).toBe('POST https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=1&sign=***')
    expect(redactText('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7x', [])).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***',
    )
  })

  it('masks the tokens Feishu and Slack robot URLs carry in their path', () => {
    expect(redactText('POST https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c-aaaa?x=1', [])).toBe(
      'POST https://open.feishu.cn/open-apis/bot/v2/hook/***?x=1',
    )
    expect(redactText('"https://hooks.slack.com/services/T000/B000/XXXXyyyy"', [])).toBe(
      '"https://hooks.slack.com/services/***"',
    )
  })

  it('masks Authorization headers, Bearer tokens and whsec_ keys', () => {
    expect(redactText('Eop-Authorization: AK1 Headers=x Signature=s', [])).toBe(
      'Eop-Authorization: *** Headers=x Signature=s',
    )
    expect(redactText('{"authorization":"Bearer abc.def"}', [])).toBe('{"authorization":"***"}')
    expect(redactText('sent Bearer t0k3n-1 to the API', [])).toBe('sent Bearer *** to the API')
    expect(redactText('secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', [])).toBe('secret whsec_***')
  })

  it('leaves ordinary text alone, and ignores secrets too short to mask safely', () => {
    expect(redactText('run 42 SUCCEEDED in 3 s', ['42'])).toBe('run 42 SUCCEEDED in 3 s')
  })
})

describe('redactValue', () => {
  it('masks secret-named fields whole, at any depth, but keeps clientToken', () => {
    expect(
      redactValue({ headers: { Authorization: 'x', 'content-type': 'json' }, sk: 's', clientToken: 'c-1', n: 1 }),
    ).toEqual({ headers: { Authorization: '***', 'content-type': 'json' }, sk: '***', clientToken: 'c-1', n: 1 })
  })

  it('writes errors as name and message (masked), and survives cycles and bigints', () => {
    const cyclic: Record<string, unknown> = { size: 10n }
    cyclic.self = cyclic
    expect(redactValue({ error: new Error('bad key SK-abcdef1234'), cyclic }, ['SK-abcdef1234'])).toEqual({
      error: { name: 'Error', message: 'bad key ***' },
      cyclic: { size: '10', self: '[…]' },
    })
  })
})
