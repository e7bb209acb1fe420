import type { ActionRegistry } from '../engine'
import { channelDrivers } from './channels/drivers'
import { maskSecrets } from './mask-secrets'
import { runLink, type MessageNotification } from './notification'
import { describeChannel, findChannel, type NotifyChannel } from '../config'
import { NOTIFY_RESOURCE } from './notify-resource'
import { sendNotification } from './send-notification'

/** A `ctflow:notify` input the step cannot send: the message names the field. ASL error `Notify.InvalidInput`. */
export class NotifyInputError extends Error {
  override name = 'Notify.InvalidInput'
}

/** A channel refused or could not be reached (after quick retries); ASL error `Notify.DeliveryFailed` (Retry it). */
export class NotifyDeliveryError extends Error {
  override name = 'Notify.DeliveryFailed'
}

/**
 * Registers `ctflow:notify`: `{ "channel": 0 | "name" (absent: every channel), "title"?: "…", "message": "…" }` sends
 * the message at once to that channel (or each) and returns `{ sent: [{ channel, answer }] }`. The id a receiver sees
 * is the call's clientToken (stable when the call is made again after a crash), so a repeat can be dropped.
 * @example registerNotifyAction(registry, channels, { publicUrl })
 */
export function registerNotifyAction(
  registry: ActionRegistry,
  channels: readonly NotifyChannel[],
  options: { publicUrl?: string; fetch?: typeof fetch } = {},
): void {
  const drivers = channelDrivers()
  registry.register(NOTIFY_RESOURCE, {
    async call(input, ctx) {
      const { selected, title, message } = readInput(input, channels)
      const notification: MessageNotification = {
        kind: 'message',
        title,
        text: message,
        runId: ctx.runId,
        state: ctx.state,
      }
      const link = runLink(options.publicUrl, ctx.runId)
      if (link) notification.link = link
      const sent: Array<{ channel: string; answer: string }> = []
      for (const channel of selected) {
        try {
          const answer = await sendNotification(channel, notification, {
            id: `${ctx.clientToken}.${channel.index}`,
            driver: drivers[channel.type],
            signal: ctx.signal,
            ...(options.fetch ? { fetch: options.fetch } : {}),
          })
          sent.push({ channel: describeChannel(channel), answer })
        } catch (error) {
          const text = maskSecrets(error instanceof Error ? error.message : String(error), channels)
          throw new NotifyDeliveryError(`${describeChannel(channel)}: ${text}`)
        }
      }
      return { sent }
    },
  })
}

function readInput(
  input: unknown,
  channels: readonly NotifyChannel[],
): { selected: NotifyChannel[]; title: string; message: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new NotifyInputError('the input must be an object: { "channel"?, "title"?, "message" }')
  const { channel, title, message } = input as Record<string, unknown>
  if (typeof message !== 'string' || message.length === 0)
    throw new NotifyInputError('"message" must be a non-empty string')
  if (title !== undefined && typeof title !== 'string') throw new NotifyInputError('"title" must be a string')
  if (channels.length === 0) throw new NotifyInputError('no channel is configured (CTFLOW_NOTIFY)')
  let selected: NotifyChannel[]
  if (channel === undefined) selected = [...channels]
  else if (typeof channel === 'number' || typeof channel === 'string') {
    const found = findChannel(channels, channel)
    if (!found)
      throw new NotifyInputError(
        `"channel": no channel ${JSON.stringify(channel)} (positions 0–${channels.length - 1}${channels.some((c) => c.name) ? ` or names ${channels.flatMap((c) => (c.name ? [c.name] : [])).join(', ')}` : ''})`,
      )
    selected = [found]
  } else throw new NotifyInputError('"channel" must be a position (number) or a name (string)')
  return { selected, title: (title as string | undefined) ?? 'ctflow', message }
}
