import type { EndedRun } from '../engine'
import type { OutboxItem } from '../engine/stores'
import { runEndedNotification, type Notification } from './notification'
import type { ChannelType, NotifyChannel } from '../config'

/** The outbox topic notifications travel under (RunStore.claimOutbox). */
export const NOTIFY_TOPIC = 'notify'

/** An outbox item's payload: which channel (by position, with its type to notice a changed configuration) and what. */
export interface NotifyPayload {
  channel: number
  type: ChannelType
  notification: Notification
}

/**
 * The engine's `outboxOnEnd`: one notification per channel that asked for this end (`on`) of this workflow
 * (`workflows`), written with the run's final save. A distributed Map's child runs are items of their parent and tell
 * nobody. Each item's id (`end-<channel>`) is stable, so the one notification keeps one id however often it is sent.
 * @example createEngine({ store, workflows, outboxOnEnd: notificationsOnEnd(channels, { publicUrl }) })
 */
export function notificationsOnEnd(
  channels: readonly NotifyChannel[],
  options: { publicUrl?: string } = {},
): ((run: EndedRun) => OutboxItem[]) | undefined {
  if (channels.length === 0) return undefined
  return (run) => {
    if (run.parentId !== undefined) return []
    const chosen = channels.filter(
      (channel) =>
        channel.on.includes(run.status) &&
        (channel.workflows === undefined || channel.workflows.includes(run.workflow)),
    )
    if (chosen.length === 0) return []
    const notification = runEndedNotification(run, options)
    return chosen.map((channel) => ({
      id: `end-${channel.index}`,
      topic: NOTIFY_TOPIC,
      payload: { channel: channel.index, type: channel.type, notification } satisfies NotifyPayload,
    }))
  }
}

/** The id a receiver sees (`webhook-id`): the run and the item, stable across every try. */
export function notificationId(runId: string, itemId: string): string {
  return `${runId}.${itemId}`
}
