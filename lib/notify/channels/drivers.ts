import type { ChannelType } from '../../config'
import type { ChannelDriver } from './channel-driver'
import { dingtalkDriver } from './dingtalk'
import { feishuDriver } from './feishu'
import { slackDriver } from './slack'
import { webhookDriver } from './webhook'
import { wecomDriver } from './wecom'

/**
 * The robots' rate-limit answers to retry, per platform, when they differ from the defaults (each driver's
 * `*_RATE_LIMIT_CODES`, several of them assumed): configurable because the platforms do not all document them.
 */
export type RateLimitCodes = Partial<Record<'dingtalk' | 'feishu' | 'wecom', readonly number[]>>

/** One driver per channel type. */
export function channelDrivers(rateLimitCodes: RateLimitCodes = {}): Record<ChannelType, ChannelDriver> {
  return {
    dingtalk: dingtalkDriver(rateLimitCodes.dingtalk),
    feishu: feishuDriver(rateLimitCodes.feishu),
    wecom: wecomDriver(rateLimitCodes.wecom),
    slack: slackDriver(),
    webhook: webhookDriver(),
  }
}
