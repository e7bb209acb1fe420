import pRetry from 'p-retry'
import type { ChannelDriver } from './channels/channel-driver'
import { maskSecrets } from './mask-secrets'
import type { Notification } from './notification'
import type { NotifyChannel } from '../config'

/** A delivery that did not succeed: `retryable` when a later try may (429, 5xx, network, a robot's rate limit). */
export class DeliveryError extends Error {
  override name = 'DeliveryError'
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message)
  }
}

export interface SendOptions {
  /** The notification's stable id (the webhook channel's `webhook-id`). */
  id: string
  driver: ChannelDriver
  fetch?: typeof fetch
  now?: () => Date
  /** Per request (default 10 s). */
  timeoutMs?: number
  /** Quick retries within this send (default 2), for a robot that hiccups; longer waits are the outbox's. */
  retries?: number
  /** Longest wait between them, Retry-After included (default 5 s): beyond it, the send fails and is tried later. */
  maxDelayMs?: number
  sleep?: (ms: number) => Promise<void>
  signal?: AbortSignal
}

/**
 * Sends one notification to one channel (signed afresh for each attempt, as the platforms' timestamps require), with
 * p-retry for what a retry may cure. Returns the robot's answer in a line; throws DeliveryError, its message free of
 * secrets (the channel's URL, token and secret are masked).
 * @example await sendNotification(channel, notification, { id: 'run-1:end-0', driver: channelDrivers().wecom })
 */
export async function sendNotification(
  channel: NotifyChannel,
  notification: Notification,
  options: SendOptions,
): Promise<string> {
  const {
    driver,
    fetch: fetchImpl = globalThis.fetch,
    now = () => new Date(),
    timeoutMs = 10_000,
    retries = 2,
    maxDelayMs = 5_000,
    sleep = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    signal,
  } = options
  const mask = (text: string) => maskSecrets(text, [channel])
  const attempt = async (): Promise<string> => {
    const request = await driver.request(channel, notification, { id: options.id, now: now() })
    let response: Response
    let body: string
    try {
      response = await fetchImpl(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      })
      body = await response.text()
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      throw new DeliveryError(mask(`network: ${text}${cause ? ` (${cause})` : ''}`), true)
    }
    const answer = driver.answer({ status: response.status, headers: response.headers, body })
    if (answer.ok) return mask(answer.summary)
    throw new DeliveryError(mask(answer.summary), answer.retryable, answer.retryAfterMs)
  }
  return pRetry(attempt, {
    retries,
    // The delay is ours (Retry-After, a cap, an injectable sleep): p-retry's own timer stays at 0.
    minTimeout: 0,
    maxTimeout: 0,
    randomize: false,
    ...(signal ? { signal } : {}),
    shouldRetry: async ({ error, retriesConsumed }) => {
      if (!(error instanceof DeliveryError) || !error.retryable) return false
      const delay = Math.max(500 * 2 ** retriesConsumed, error.retryAfterMs ?? 0)
      if (delay > maxDelayMs) return false
      await sleep(delay)
      return true
    },
  })
}
