import { channelDrivers } from './channels/drivers'
import { maskSecrets } from './mask-secrets'
import type { MessageNotification } from './notification'
import { describeChannel, type NotifyChannel } from '../config'
import { sendNotification } from './send-notification'

export interface TestOutcome {
  channel: string
  ok: boolean
  /** The robot's answer, or why it failed (never a secret). */
  answer: string
}

/**
 * Sends a test message to each channel given, one after the other, and says what each answered (`ctflow notify test`).
 * @example for (const outcome of await sendTestMessages(channels)) console.log(outcome.channel, outcome.answer)
 */
export async function sendTestMessages(
  channels: readonly NotifyChannel[],
  options: { fetch?: typeof fetch; now?: () => Date; host?: string } = {},
): Promise<TestOutcome[]> {
  const drivers = channelDrivers()
  const outcomes: TestOutcome[] = []
  for (const channel of channels) {
    const now = options.now?.() ?? new Date()
    const notification: MessageNotification = {
      kind: 'message',
      title: 'ctflow test notification',
      text: `This is a test from ctflow${options.host ? ` on ${options.host}` : ''} at ${now.toISOString()}: channel ${describeChannel(channel)} works.`,
    }
    try {
      const answer = await sendNotification(channel, notification, {
        id: `test.${now.getTime()}.${channel.index}`,
        driver: drivers[channel.type],
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.now ? { now: options.now } : {}),
      })
      outcomes.push({ channel: describeChannel(channel), ok: true, answer })
    } catch (error) {
      const text = maskSecrets(error instanceof Error ? error.message : String(error), channels)
      outcomes.push({ channel: describeChannel(channel), ok: false, answer: text })
    }
  }
  return outcomes
}
