/**
 * Waits that read the same CTyun listing share it: the snapshots of one nightly run (one name, many disks), the CBR
 * tasks of one region. A probe due now takes a fetch of its group that is in flight or just settled, if it is news to
 * it — started after this wait began, and in the later half of the time since this wait last read — and fetches
 * otherwise. So a listing is read about once per round whatever the number of waits, a wait never sees anything
 * older than half its own poll interval, and never the same result twice.
 *
 * In memory only, so an optimisation: after a crash, in another process or for a wait nobody else polls, each wait
 * fetches on its own, which is what every wait did before.
 */
export interface PollGroups {
  /** The clock the groups keep time by (the engine's, when the actions were given it). */
  now(): number
  /**
   * The group's listing, from a fetch that is news to `member` (see above; `since`: when its wait began). A fetch this
   * starts, or one it joins in flight, gets `member` in its live `members` set, so a fetch that pages can stop once it
   * has found what every member wants.
   */
  read<T, M>(
    key: string,
    options: { since: number; member: M },
    fetch: (members: ReadonlySet<M>) => Promise<T>,
  ): Promise<T>
}

interface SharedFetch {
  seq: number
  startedAt: number
  members: Set<unknown>
  result: Promise<unknown>
}

/** How old, as a fraction of the time since a wait last read, a shared result it takes may be. */
export const MAX_SHARED_AGE = 0.5

/** Fetches and what each member last read are forgotten after this (a wait polls its group far more often). */
const FORGET_AFTER_MS = 10 * 60_000

/**
 * @example
 * const groups = createPollGroups({ now: clock.now })
 * const snapshots = await groups.read(`snapshots|${regionID}|${name}`, { since: createdAt, member: diskID }, () => list())
 */
export function createPollGroups({ now }: { now: () => number }): PollGroups {
  const latest = new Map<string, SharedFetch>()
  const lastRead = new Map<string, { seq: number; at: number }>()
  let seq = 0

  function forgetOld(at: number): void {
    for (const [key, shared] of latest) if (shared.startedAt < at - FORGET_AFTER_MS) latest.delete(key)
    for (const [key, read] of lastRead) if (read.at < at - FORGET_AFTER_MS) lastRead.delete(key)
  }

  return {
    now,
    read<T, M>(
      key: string,
      { since, member }: { since: number; member: M },
      fetch: (members: ReadonlySet<M>) => Promise<T>,
    ): Promise<T> {
      const at = now()
      forgetOld(at)
      const readKey = `${key}\u0000${String(member)}`
      const previous = lastRead.get(readKey)
      const notBefore = previous ? Math.max(since, previous.at + (1 - MAX_SHARED_AGE) * (at - previous.at)) : since
      const shared = latest.get(key)
      if (shared && shared.startedAt >= notBefore && shared.seq !== previous?.seq) {
        shared.members.add(member)
        lastRead.set(readKey, { seq: shared.seq, at })
        return shared.result as Promise<T>
      }
      const members = new Set<M>([member])
      // Registered before the first await, so probes launched in the same turn find it.
      const entry: SharedFetch = { seq: ++seq, startedAt: at, members, result: Promise.resolve() }
      entry.result = fetch(members).catch((error: unknown) => {
        if (latest.get(key) === entry) latest.delete(key)
        throw error
      })
      latest.set(key, entry)
      lastRead.set(readKey, { seq: entry.seq, at })
      return entry.result as Promise<T>
    },
  }
}
