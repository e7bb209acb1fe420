import { isTerminal, type RunRecord } from '../engine'
import type { OutboxClaim, RunStore } from '../engine/stores'
import { channelDrivers, type RateLimitCodes } from './channels/drivers'
import type { ChannelDriver } from './channels/channel-driver'
import { maskSecrets } from './mask-secrets'
import { runEndedNotification, type RunEndedNotification } from './notification'
import { NOTIFY_TOPIC, notificationId, type NotifyPayload } from './notify-on-end'
import { describeChannel, type ChannelType, type NotifyChannel } from '../config'
import { DeliveryError, sendNotification } from './send-notification'

/** One line the sender wants logged (never a secret in it). */
export interface NotifyLogEntry {
  level: 'info' | 'warn' | 'error'
  msg: string
  runId?: string
  channel?: string
  notificationId?: string
  attempt?: number
}

export interface NotificationSenderOptions {
  store: RunStore
  channels: readonly NotifyChannel[]
  /** Who claims (distinct per process), like the engine's lease owner. */
  owner: string
  /** CTFLOW_PUBLIC_URL: messages link to `<url>/runs/<id>`. */
  publicUrl?: string
  fetch?: typeof fetch
  now?: () => number
  log?: (entry: NotifyLogEntry) => void
  /** A notification still failing this long after its run ended is given up, and logged (default 6 h). */
  giveUpAfterMs?: number
  /** Sent and given-up notifications are deleted from the outbox this long after they were settled (default 7 days). */
  keepSettledMs?: number
  /** How often a sender prunes them (default hourly; at its first pass, then again while a batch comes back full). */
  pruneEveryMs?: number
  /** Deleted per prune (default 500): one pass stays short; a backlog goes over the next passes. */
  pruneBatch?: number
  /** How long a claim holds a notification for this sender (default 60 s; a send takes at most ~35 s). */
  claimMs?: number
  /** Claimed per pass (default 20). */
  batch?: number
  /** Waits between tries of one notification: 30 s, doubling, at most this (default 10 min). */
  maxBackoffMs?: number
  /** Per request (default 10 s). */
  timeoutMs?: number
  rateLimitCodes?: RateLimitCodes
  /** For tests: the quick retries' sleep within one send. */
  sleep?: (ms: number) => Promise<void>
}

export interface DeliveryPass {
  sent: number
  retried: number
  givenUp: number
  /** Settled notifications older than the retention this pass deleted (absent: none). */
  pruned?: number
}

/**
 * Delivers the outbox's pending notifications (what outboxOnEnd wrote with each run's end): claims a batch, sends each
 * to its channel, and settles it — sent; tried again later with a growing wait (429, 5xx, network, a robot's rate
 * limit); or given up and logged when a retry cannot help (a wrong signature, an invalid key) or it has failed for
 * `giveUpAfterMs`. At least once: a process that dies between sending and settling leaves the claim to expire, and
 * the next sender sends it again with the same id. Runs never wait for any of it. After delivering, a pass deletes
 * what was settled more than `keepSettledMs` ago (store.pruneOutbox; hourly, in batches).
 * @example const sender = createNotificationSender({ store, channels, owner }); await sender.deliverPending()
 */
export function createNotificationSender(options: NotificationSenderOptions) {
  const {
    store,
    channels,
    owner,
    now = () => Date.now(),
    log = () => {},
    giveUpAfterMs = 6 * HOUR_MS,
    keepSettledMs = 7 * 24 * HOUR_MS,
    pruneEveryMs = HOUR_MS,
    pruneBatch = 500,
    claimMs = 60_000,
    batch = 20,
    maxBackoffMs = 10 * 60 * 1000,
    timeoutMs = 10_000,
  } = options
  const drivers: Record<ChannelType, ChannelDriver> = channelDrivers(options.rateLimitCodes)
  const mask = (text: string) => maskSecrets(text, channels)
  let nextPruneAt = Number.NEGATIVE_INFINITY

  /** Housekeeping after delivering: never fails the pass (what it could not delete, a later pass does). */
  async function prune(pass: DeliveryPass): Promise<void> {
    if (now() < nextPruneAt) return
    try {
      const settledBefore = new Date(now() - keepSettledMs)
      const pruned = await store.pruneOutbox({ topic: NOTIFY_TOPIC, settledBefore, limit: pruneBatch })
      // A full batch: more may be left, so the next pass prunes again.
      if (pruned < pruneBatch) nextPruneAt = now() + pruneEveryMs
      if (pruned === 0) return
      pass.pruned = pruned
      log({ level: 'info', msg: `pruned ${pruned} notification(s) settled before ${settledBefore.toISOString()}` })
    } catch (thrown) {
      nextPruneAt = now() + pruneEveryMs
      const error = mask(thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown))
      log({ level: 'warn', msg: `pruning settled notifications failed (tried again later): ${error}` })
    }
  }

  async function deliver(
    claim: OutboxClaim,
    pass: DeliveryPass,
    deadline: number,
    runs: Map<string, Promise<RunRecord | undefined>>,
  ): Promise<void> {
    const payload = claim.payload as NotifyPayload
    const id = notificationId(claim.runId, claim.id)
    const channel = channels[payload?.channel]
    const context = { runId: claim.runId, notificationId: id, attempt: claim.attempts }
    const settle = (outcome: Parameters<RunStore['settleOutbox']>[1]) => store.settleOutbox(claim, outcome)
    const giveUp = async (error: string) => {
      await settle({ result: 'given-up', now: new Date(now()), error })
      pass.givenUp += 1
      log({ level: 'error', msg: `notification given up: ${error}`, ...context })
    }
    if (!channel || channel.type !== payload.type)
      return giveUp(`channel #${payload?.channel} (${payload?.type}) is no longer configured (CTFLOW_NOTIFY changed)`)
    if (!runs.has(claim.runId)) runs.set(claim.runId, store.get(claim.runId))
    const run = await runs.get(claim.runId)!
    if (!run || !isTerminal(run.status)) return giveUp(`run ${claim.runId} is not in the store as a finished run`)
    const notification = notificationOf(run, payload)
    const name = describeChannel(channel)
    try {
      const answer = await sendNotification(channel, notification, {
        id,
        driver: drivers[channel.type],
        ...(options.fetch ? { fetch: options.fetch } : {}),
        now: () => new Date(now()),
        timeoutMs: Math.max(1_000, Math.min(timeoutMs, deadline - now())),
        ...(options.sleep ? { sleep: options.sleep } : {}),
      })
      await settle({ result: 'sent', now: new Date(now()) })
      pass.sent += 1
      log({ level: 'info', msg: `notification sent to ${name}: ${answer}`, channel: name, ...context })
    } catch (thrown) {
      const error = mask(thrown instanceof Error ? thrown.message : String(thrown))
      const retryable = thrown instanceof DeliveryError ? thrown.retryable : false
      const at = now()
      const ended = run.updatedAt.getTime()
      if (!retryable || at - ended >= giveUpAfterMs) {
        await settle({ result: 'given-up', now: new Date(at), error })
        pass.givenUp += 1
        const why = retryable ? `still failing after ${Math.round(giveUpAfterMs / 60_000)} min` : 'the robot refused it'
        log({ level: 'error', msg: `notification to ${name} given up (${why}): ${error}`, channel: name, ...context })
        return
      }
      const backoff = Math.min(maxBackoffMs, 30_000 * 2 ** Math.max(0, claim.attempts - 1))
      const retryAfter = thrown instanceof DeliveryError ? (thrown.retryAfterMs ?? 0) : 0
      const notBefore = new Date(at + Math.max(backoff, retryAfter))
      await settle({ result: 'retry', now: new Date(at), notBefore, error })
      pass.retried += 1
      log({
        level: 'warn',
        msg: `notification to ${name} failed, trying again at ${notBefore.toISOString()}: ${error}`,
        channel: name,
        ...context,
      })
    }
  }

  /** The message about a finished run, from its record (which never changes once the run ended). */
  function notificationOf(run: RunRecord, payload: NotifyPayload): RunEndedNotification {
    return runEndedNotification(
      {
        id: run.id,
        workflow: run.workflow,
        input: run.input,
        status: run.status as RunEndedNotification['status'],
        ...(run.output !== undefined ? { output: run.output } : {}),
        ...(run.error !== undefined ? { error: run.error } : {}),
        createdAt: run.createdAt,
        endedAt: run.updatedAt,
        ...(payload.state !== undefined ? { state: payload.state } : {}),
      },
      { ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) },
    )
  }

  return {
    /**
     * Claims and delivers pending notifications until none is due or `deadline` (epoch ms) comes; what a store error
     * interrupts stays claimed until its claim expires, then goes to the next sender.
     */
    async deliverPending({
      deadline = Number.POSITIVE_INFINITY,
      signal,
    }: {
      deadline?: number
      signal?: AbortSignal
    } = {}) {
      const pass: DeliveryPass = { sent: 0, retried: 0, givenUp: 0 }
      while (now() < deadline && !signal?.aborted) {
        const claims = await store.claimOutbox({
          topic: NOTIFY_TOPIC,
          owner,
          leaseMs: claimMs,
          now: new Date(now()),
          limit: batch,
        })
        if (claims.length === 0) break
        // Each notification is its own: one channel being slow does not hold the others. A run is read once a batch.
        const runs = new Map<string, Promise<RunRecord | undefined>>()
        await Promise.all(claims.map((claim) => deliver(claim, pass, deadline, runs)))
      }
      if (now() < deadline && !signal?.aborted) await prune(pass)
      return pass
    },
  }
}

export type NotificationSender = ReturnType<typeof createNotificationSender>

const HOUR_MS = 60 * 60 * 1000
