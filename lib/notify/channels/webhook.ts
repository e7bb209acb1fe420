import { signWebhook } from '../../webhooks'
import { answerToStatus, type ChannelDriver } from './channel-driver'

/**
 * Any HTTP endpoint: the notification as a JSON event (`{ type, timestamp, data }`) POSTed with Standard Webhooks
 * headers — `webhook-id` (the notification's stable id: a receiver drops a repeat by it), `webhook-timestamp` (Unix
 * seconds) and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of "id.timestamp.body" with the `whsec_` key): the
 * scheme ctflow verifies on its own hooks (lib/webhooks). Any 2xx is success.
 */
export function webhookDriver(): ChannelDriver {
  return {
    async request(channel, notification, { id, now }) {
      const timestamp = Math.floor(now.getTime() / 1000)
      const type = notification.kind === 'run-ended' ? 'run.ended' : 'message'
      const body = JSON.stringify({ type, timestamp: now.toISOString(), data: notification })
      return {
        url: channel.url,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': await signWebhook(channel.secret!, id, timestamp, body),
        },
        body,
      }
    },
    answer: (response) => answerToStatus(response) ?? { ok: true, summary: `HTTP ${response.status}` },
  }
}
