import type { EndedRun } from '../engine'
import type { OutboxItem } from '../engine/stores'
import type { ChannelType, NotifyChannel } from '../config'

/** The outbox topic notifications travel under (RunStore.claimOutbox). */
export const NOTIFY_TOPIC = 'notify'

/**
 * An outbox item's payload: which channel (by position, with its type to notice a changed configuration), and the
 * state the run ended in. What the message says is read from the run itself when it is sent (a finished run's record
 * never changes): the final save stays as small as it was, and nothing is kept twice.
 */
export interface NotifyPayload {
  channel: number
  type: ChannelType
  state?: string
}

/**
 * The engine's `outboxOnEnd`: one notification per channel that asked for this end (`on`) of this workflow
 * (`workflows`), written with the run's final save. A distributed Map's child runs are items of their parent and tell
 * nobody. Each item's id (`end-<channel>`) is stable, so the one notification keeps one id however often it is sent.
 * @example createEngine({ store, workflows, outboxOnEnd: notificationsOnEnd(channels) })
 */
export function notificationsOnEnd(channels: readonly NotifyChannel[]): ((run: EndedRun) => OutboxItem[]) | undefined {
  if (channels.length === 0) return undefined
  return (run) => {
    if (run.parentId !== undefined) return []
    const chosen = channels.filter(
      (channel) =>
        channel.on.includes(run.status) &&
        (channel.workflows === undefined || channel.workflows.includes(run.workflow)),
    )
    return chosen.map((channel) => ({
      id: `end-${channel.index}`,
      topic: NOTIFY_TOPIC,
      payload: {
        channel: channel.index,
        type: channel.type,
        ...(run.state !== undefined ? { state: run.state } : {}),
      } satisfies NotifyPayload,
    }))
  }
}

/** The id a receiver sees (`webhook-id`): the run and the item, stable across every try. */
export function notificationId(runId: string, itemId: string): string {
  return `${runId}.${itemId}`
}
