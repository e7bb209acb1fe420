import { copyJson } from './json-copy'
import type {
  OutboxClaim,
  OutboxClaimOptions,
  OutboxEntry,
  OutboxItem,
  OutboxOutcome,
  OutboxPruneOptions,
  OutboxState,
} from './run-store'

/**
 * The outbox rules the memory and file stores share (PostgreSQL states the same rules in SQL), on items kept as plain
 * JSON (times in epoch ms, so a run file holds them without revival). The functions mutate in place and are called
 * with the store's lock held.
 */
export interface StoredOutbox {
  id: string
  topic: string
  payload: unknown
  runId: string
  state: OutboxState
  createdAt: number
  notBefore: number
  attempts: number
  lastError?: string
  settledAt?: number
  /** Who holds it until when (absent: nobody). */
  claim?: { owner: string; expiresAt: number }
}

export function newStoredOutbox(runId: string, item: OutboxItem, now: Date): StoredOutbox {
  return {
    id: item.id,
    topic: item.topic,
    payload: copyJson(item.payload),
    runId,
    state: 'pending',
    createdAt: now.getTime(),
    notBefore: now.getTime(),
    attempts: 0,
  }
}

/** The save's items the run does not hold yet, ready to keep: an id the run has already written is skipped (OutboxItem.id). */
export function newStoredItems(
  runId: string,
  items: readonly OutboxItem[] | undefined,
  now: Date,
  has: (id: string) => boolean,
): StoredOutbox[] {
  const added: StoredOutbox[] = []
  for (const item of items ?? [])
    if (!has(item.id) && !added.some((stored) => stored.id === item.id)) added.push(newStoredOutbox(runId, item, now))
  return added
}

/** Pending, of the topic, due, and nobody holds a live claim on it. */
export function isClaimable(stored: StoredOutbox, options: Pick<OutboxClaimOptions, 'topic' | 'now'>): boolean {
  const now = options.now.getTime()
  return (
    stored.state === 'pending' &&
    stored.topic === options.topic &&
    stored.notBefore <= now &&
    (stored.claim === undefined || stored.claim.expiresAt <= now)
  )
}

export function claimStoredOutbox(stored: StoredOutbox, { owner, leaseMs, now }: OutboxClaimOptions): OutboxClaim {
  stored.attempts += 1
  stored.claim = { owner, expiresAt: now.getTime() + leaseMs }
  return { ...outboxEntryOf(stored), owner, claimExpiresAt: new Date(stored.claim.expiresAt) }
}

/** Applies a settled outcome if `claim` is still the item's latest; false (nothing changed) otherwise. */
export function settleStoredOutbox(
  stored: StoredOutbox | undefined,
  claim: OutboxClaim,
  outcome: OutboxOutcome,
): boolean {
  if (stored?.state !== 'pending' || stored.attempts !== claim.attempts) return false
  if (stored.claim?.owner !== claim.owner) return false
  delete stored.claim
  if (outcome.result === 'retry') {
    stored.notBefore = outcome.notBefore.getTime()
    stored.lastError = outcome.error
    return true
  }
  stored.state = outcome.result
  stored.settledAt = outcome.now.getTime()
  if (outcome.result === 'given-up') stored.lastError = outcome.error
  return true
}

/** Sent or given up, of the topic, and settled before the cut-off (RunStore.pruneOutbox); never a pending item. */
export function isPrunable(stored: StoredOutbox, { topic, settledBefore }: Omit<OutboxPruneOptions, 'limit'>): boolean {
  return (
    stored.state !== 'pending' &&
    stored.topic === topic &&
    stored.settledAt !== undefined &&
    stored.settledAt < settledBefore.getTime()
  )
}

/** A fresh entry for a caller. */
export function outboxEntryOf(stored: StoredOutbox): OutboxEntry {
  const entry: OutboxEntry = {
    id: stored.id,
    topic: stored.topic,
    payload: copyJson(stored.payload),
    runId: stored.runId,
    state: stored.state,
    createdAt: new Date(stored.createdAt),
    notBefore: new Date(stored.notBefore),
    attempts: stored.attempts,
  }
  if (stored.lastError !== undefined) entry.lastError = stored.lastError
  if (stored.settledAt !== undefined) entry.settledAt = new Date(stored.settledAt)
  return entry
}

/** Claimable items first by notBefore, then by id (what each store's claimOutbox orders by). */
export function byNotBefore(a: StoredOutbox, b: StoredOutbox): number {
  return a.notBefore - b.notBefore || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** Claims up to `limit` of `items` that are claimable, oldest notBefore first (updating them in place). */
export function claimStoredItems(
  items: Iterable<StoredOutbox>,
  options: OutboxClaimOptions,
  limit = options.limit,
): OutboxClaim[] {
  return [...items]
    .filter((stored) => isClaimable(stored, options))
    .sort(byNotBefore)
    .slice(0, limit)
    .map((stored) => claimStoredOutbox(stored, options))
}

/** Up to `limit` of `items` that pruneOutbox deletes, in their order. */
export function prunableItems<T extends StoredOutbox>(
  items: Iterable<T>,
  options: Omit<OutboxPruneOptions, 'limit'>,
  limit: number,
): T[] {
  const found: T[] = []
  for (const stored of items) {
    if (found.length >= limit) break
    if (isPrunable(stored, options)) found.push(stored)
  }
  return found
}
