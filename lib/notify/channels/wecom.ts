import { messageParts, renderMarkdown } from '../message-parts'
import { answerCode, answerToStatus, type ChannelDriver } from './channel-driver'

/**
 * WeCom (企业微信) group robot: a markdown message POSTed to the robot's URL (`…/cgi-bin/webhook/send?key=…`); the
 * key is the credential (no signature). Success is `errcode: 0`.
 */
export const WECOM_MAX_BYTES = 4096 // WeCom: markdown content at most 4096 bytes, UTF-8

/** 45009: WeCom's "API frequency out of limit" (a robot may send 20 messages a minute); retried later. */
export const WECOM_RATE_LIMIT_CODES: readonly number[] = [45009]

export function wecomDriver(rateLimitCodes = WECOM_RATE_LIMIT_CODES): ChannelDriver {
  return {
    async request(channel, notification) {
      const content = renderMarkdown(messageParts(notification), { maxBytes: WECOM_MAX_BYTES, platform: 'WeCom' })
      return {
        url: channel.url,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }),
      }
    },
    answer: (response) => answerToStatus(response) ?? answerCode(response.body, 'errcode', rateLimitCodes, 'errmsg'),
  }
}
