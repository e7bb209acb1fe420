/**
 * @module lib/notify — run notifications: CTFLOW_NOTIFY's channels (DingTalk, Feishu, WeCom, Slack, a signed
 * webhook), the engine hook that writes a run's notifications with its final save (the store's outbox), the
 * `ctflow:notify` step (its code loaded on its first call), and what a notification says. `notificationDelivery`
 * loads the sender that delivers the outbox on its first pass (the worker, `ctflow serve`). Two files are entries of
 * their own: `outbox-sender.ts` (the sender itself, `import()` only) and `test-message.ts` (`ctflow notify test`).
 * The channels are parsed and checked with the other settings: lib/config's parseNotifyConfig and loadNotifySettings.
 * @example createEngine({ store, workflows, outboxOnEnd: notificationsOnEnd(parseNotifyConfig(env.CTFLOW_NOTIFY)) })
 */
export { maskSecrets, maskUrl } from './mask-secrets'
export {
  runEndedNotification,
  runLink,
  type MessageNotification,
  type Notification,
  type ReportTable,
  type RunEndedNotification,
} from './notification'
export { NOTIFY_TOPIC, notificationId, notificationsOnEnd, type NotifyPayload } from './notify-on-end'
export { NOTIFY_RESOURCE, registerLazyNotifyAction } from './notify-resource'
export {
  deliverySettings,
  notificationDelivery,
  type DeliveryPass,
  type NotificationDelivery,
  type NotifyLogEntry,
} from './notification-delivery'
