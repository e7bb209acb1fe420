// The scheme lives in lib/webhooks (lib/notify signs with it too); kept here for the files that import it from here.
export {
  createWebhookVerifier,
  DEFAULT_TOLERANCE_SECONDS,
  parseWebhookSecrets,
  signWebhook,
  WebhookSecretError,
  type WebhookHeaders,
  type WebhookRejection,
  type WebhookVerification,
} from '../../lib/webhooks'
