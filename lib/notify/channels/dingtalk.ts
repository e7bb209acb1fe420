import { messageParts, renderMarkdown } from '../message-parts'
import { answerCode, answerToStatus, hmacSha256Base64, type ChannelDriver } from './channel-driver'

/**
 * DingTalk (钉钉) custom robot: a markdown message POSTed to the robot's URL (`…/robot/send?access_token=…`). With
 * 加签 (a secret starting SEC…), the URL also carries `timestamp` (ms) and `sign` = URL-encoded base64 of
 * HMAC-SHA256(key = secret, message = timestamp + "\n" + secret); DingTalk refuses a timestamp more than an hour off.
 * Success is `errcode: 0` in the answer, whatever the HTTP status says.
 */
export const DINGTALK_MAX_BYTES = 20_000 // assumed: DingTalk documents a 20,000-byte message; kept under it

/**
 * Assumed, not in DingTalk's robot page itself: the answers it gives a robot over its 20-messages-a-minute limit
 * (130101 "send too fast", 410100 in the newer error table). Retried later; any other errcode is a refusal.
 */
export const DINGTALK_RATE_LIMIT_CODES: readonly number[] = [130101, 410100]

export async function dingtalkSign(timestampMs: number, secret: string): Promise<string> {
  return encodeURIComponent(await hmacSha256Base64(secret, `${timestampMs}\n${secret}`))
}

export function dingtalkDriver(rateLimitCodes = DINGTALK_RATE_LIMIT_CODES): ChannelDriver {
  return {
    async request(channel, notification, { now }) {
      let url = channel.url
      if (channel.secret) {
        const timestamp = now.getTime()
        url += `${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${await dingtalkSign(timestamp, channel.secret)}`
      }
      const parts = messageParts(notification)
      const text = renderMarkdown(parts, { maxBytes: DINGTALK_MAX_BYTES, platform: 'DingTalk' })
      return {
        url,
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body: JSON.stringify({ msgtype: 'markdown', markdown: { title: parts.title.slice(0, 64), text } }),
      }
    },
    answer: (response) => answerToStatus(response) ?? answerCode(response.body, 'errcode', rateLimitCodes, 'errmsg'),
  }
}
