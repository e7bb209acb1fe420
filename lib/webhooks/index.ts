/**
 * @module lib/webhooks — Standard Webhooks signatures (https://www.standardwebhooks.com), pure and on Web Crypto: what
 * ctflow verifies on its own hooks (functions/http/app.ts) and signs on the notifications it sends (lib/notify), so
 * both speak the one scheme.
 * @example const signature = await signWebhook('whsec_…', 'msg_1', 1700000000, body)
 */
export {
  createWebhookVerifier,
  DEFAULT_TOLERANCE_SECONDS,
  isWebhookSecret,
  parseWebhookSecrets,
  signWebhook,
  WebhookSecretError,
  type WebhookHeaders,
  type WebhookRejection,
  type WebhookVerification,
} from './webhook-signature'
