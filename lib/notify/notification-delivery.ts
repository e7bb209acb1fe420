import type { NotifyChannel, NotifySettings } from '../config'
import type { DeliveryPass, NotificationSender, NotificationSenderOptions } from './outbox-sender'

export type { DeliveryPass, NotifyLogEntry } from './outbox-sender'

/** Delivers the outbox's pending notifications within a budget (createNotificationSender, loaded on first use). */
export interface NotificationDelivery {
  deliverPending(budget?: { deadline?: number; signal?: AbortSignal }): Promise<DeliveryPass>
}

/**
 * The sender for a process that delivers notifications (`ctflow serve`, `ctflow worker`, the Lambda worker), its code
 * loaded on the first pass; undefined without channels (nothing to deliver). Never throws for one notification: what
 * a pass could not do stays in the outbox for the next.
 * @example const delivery = notificationDelivery({ store, channels, owner, log }); await delivery?.deliverPending({ deadline })
 */
export function notificationDelivery(
  options: Omit<NotificationSenderOptions, 'channels' | 'owner'> & {
    channels: readonly NotifyChannel[]
    owner?: string
  },
): NotificationDelivery | undefined {
  if (options.channels.length === 0) return undefined
  const owner = options.owner ?? `notify-${globalThis.crypto.randomUUID().slice(0, 8)}`
  let sender: Promise<NotificationSender> | undefined
  return {
    async deliverPending(budget = {}) {
      sender ??= import('./outbox-sender').then(
        ({ createNotificationSender }) => createNotificationSender({ ...options, owner }),
        (error: unknown) => {
          sender = undefined
          throw error
        },
      )
      return (await sender).deliverPending(budget)
    },
  }
}

/**
 * What notificationDelivery takes from the resolved settings: the channels, the links' base URL, the give-up bound
 * (CTFLOW_NOTIFY_GIVE_UP_HOURS) and the retention of settled notifications (CTFLOW_NOTIFY_RETENTION_DAYS).
 * @example notificationDelivery({ store, ...deliverySettings(loadNotifySettings(env)), log })
 */
export function deliverySettings({
  channels,
  publicUrl,
  giveUpAfterMs,
  keepSettledMs,
}: NotifySettings): Pick<NotificationSenderOptions, 'channels' | 'publicUrl' | 'giveUpAfterMs' | 'keepSettledMs'> {
  return {
    channels,
    ...(publicUrl ? { publicUrl } : {}),
    ...(giveUpAfterMs !== undefined ? { giveUpAfterMs } : {}),
    ...(keepSettledMs !== undefined ? { keepSettledMs } : {}),
  }
}
