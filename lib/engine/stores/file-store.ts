import { createHash, randomBytes } from 'node:crypto'
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFile as readFileCallback,
  readdirSync,
  readSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { isTerminal, type HistoryEvent, type RunRecord } from '../run'
import { decodeHistoryLine, decodeRunFile, encodeHistory, encodeRunFile, type RunFile } from './file-codec'
import { createEntryMaker } from './file-entry'
import { createFileListIndex } from './file-list-index'
import { FileLocks, type FileLockOptions } from './file-lock'
import type {
  Lease,
  LeaseOptions,
  NewRun,
  OutboxClaim,
  OutboxClaimOptions,
  OutboxOutcome,
  OutboxPruneOptions,
  RunQuery,
  RunStore,
  RunUpdate,
} from './run-store'
import { CorruptRunFileError, RunExistsError, StoreOpenError } from './store-errors'
import {
  applyUpdate,
  assertCurrentLease,
  grantLease,
  isDue,
  isLeasable,
  markCancelRequested,
  newStoredRun,
  parentToWake,
  releaseLease,
  renewLease,
  wakeParent,
} from './stored-run'
import { claimStoredItems, newStoredItems, outboxEntryOf, prunableItems, settleStoredOutbox } from './stored-outbox'

export interface FileStoreOptions {
  /**
   * fsync every write. Off by default: a killed process loses nothing without it (the page cache survives);
   * turn it on to survive power loss too, at several ms per transition.
   */
  fsync?: boolean
  lock?: FileLockOptions
  /** Called for each unreadable run file that `list` skips; default: one line on stderr. */
  onCorrupt?: (error: CorruptRunFileError) => void
}

/**
 * Bumped when the layout changes; a store written by a newer ctflow is refused rather than rewritten.
 * 2: the list index (`index/`), which every writer must keep: a layout-1 ctflow would create runs it cannot see.
 */
const LAYOUT_VERSION = 2
const MARKER = 'ctflow-store.json'
const END_OF_TIME = new Date(8.64e15)

/**
 * The embedded default store (`.ctflow/`): plain files, no server, safe between processes on one machine.
 *
 * Layout under `dir`:
 * - `runs/<id>.json`     the run record and its lease bookkeeping, replaced atomically (write temp + rename)
 * - `history/<id>.jsonl` append-only events; the run file records the committed length, so events and the
 *                        transition that produced them commit together with that one rename
 * - `keys/<sha256>.json` idempotency key → run id
 * - `workflows/<version>.json` a workflow definition under its version, written once (putWorkflowVersion)
 * - `due/<resumeAt ms>~<id>` empty files: an index of suspended runs by resume time (a superset, pruned lazily)
 * - `outbox/<id>`        empty files: an index of runs with pending outbox items, kept in their run file (a
 *                        superset, written before the run file and pruned once none is pending)
 * - `index/v1/`          the list index: entries by list (parent, workflow, status) and creation time, so a
 *                        `list` page reads its own runs only (file-list-index.ts; rebuilt from `runs/` if deleted)
 * - `outbox-settled/<id>` likewise, runs holding sent or given-up outbox items (pruneOutbox)
 * - `locks/`, `tmp/`     per-operation lock files and temp files; `tmp/entry`, the empty file the markers link to
 *
 * @example const store = createFileStore('.ctflow')
 */
export function createFileStore(dir: string, options: FileStoreOptions = {}): RunStore {
  const root = resolve(dir)
  const paths = {
    runs: join(root, 'runs'),
    history: join(root, 'history'),
    keys: join(root, 'keys'),
    // Added after layout 1 without a bump: older ctflow ignores it, and opening an older store creates it.
    workflows: join(root, 'workflows'),
    due: join(root, 'due'),
    // Added after layout 2 without a bump, like workflows/: older ctflow ignores it (and delivers nothing).
    outbox: join(root, 'outbox'),
    // Likewise: runs holding sent or given-up items, for pruneOutbox (items settled by an older ctflow stay).
    settled: join(root, 'outbox-settled'),
    index: join(root, 'index'),
    locks: join(root, 'locks'),
    tmp: join(root, 'tmp'),
  }
  const created = prepareDirectory(root, Object.values(paths))
  const locks = new FileLocks(options.lock)
  const onCorrupt = options.onCorrupt ?? ((error) => process.stderr.write(`ctflow: skipping ${error.message}\n`))
  // Unique per store instance: two instances in one process (same pid) must never share a temp file.
  const tempPrefix = `${process.pid}-${randomBytes(4).toString('hex')}`
  let tempCounter = 0
  let closed = false

  const runPath = (name: string) => join(paths.runs, `${name}.json`)
  const historyPath = (name: string) => join(paths.history, `${name}.jsonl`)
  const runLock = (name: string) => join(paths.locks, `${name}.lock`)
  const outboxMarker = (id: string) => join(paths.outbox, fileName(id))
  const settledMarker = (id: string) => join(paths.settled, fileName(id))
  // The markers are hard links to one empty file, as the list index's entries: no inode for each (file-entry.ts).
  const makeMarker = createEntryMaker(join(paths.tmp, 'entry'))
  const workflowPath = (version: string) => join(paths.workflows, `${version}.json`)
  // Under its format's own directory: a later format builds index/v2 beside it, and this one is simply left behind.
  const listIndex = createFileListIndex(join(paths.index, 'v1'), {
    fileName,
    loadRun: async (id) => (await readRunAsync(id))?.record,
    async runIds() {
      const ids: string[] = []
      for (const name of await readdir(paths.runs)) {
        if (!name.endsWith('.json')) continue
        try {
          ids.push(decodeURIComponent(name.slice(0, -'.json'.length)))
        } catch {
          // not a name this store wrote
        }
      }
      return ids
    },
    async pruneIfStale(id, entry) {
      if (!isStorableId(id)) return
      await locks.tryWith(runLock(fileName(id)), async () => {
        let run: RunFile | undefined
        try {
          run = readRun(id)
        } catch (error) {
          if (error instanceof CorruptRunFileError) return
          throw error
        }
        // Directories it leaves empty go too, whatever their time (as a page's walk removes the empty ones it meets).
        if (!run || !listIndex.entriesOf(run.record).includes(entry)) listIndex.remove([entry], END_OF_TIME)
      })
    },
    onCorrupt: (error) => onCorrupt(error),
  })
  // A new store has no runs to index; an older one is indexed by its first list (file-list-index.ts, rebuild).
  if (created) listIndex.markReady()
  const keyHash = (key: string) => createHash('sha256').update(key).digest('hex')

  function ensureOpen(): void {
    if (closed) throw new Error('run store is closed')
  }

  // File I/O is synchronous on purpose: run files are small and each call takes microseconds, while a trip through
  // libuv's thread pool per call made a save ~10× slower on a busy machine. Waiting for a lock stays asynchronous.
  function writeAtomic(path: string, data: string): void {
    const temp = join(paths.tmp, `${tempPrefix}-${++tempCounter}.tmp`)
    const fd = openSync(temp, 'w')
    try {
      writeSync(fd, data)
      if (options.fsync) fdatasyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
  }

  function readRun(id: string): RunFile | undefined {
    const file = runPath(fileName(id))
    const text = readIfExists(file)
    return text === undefined ? undefined : decodeRunFile(text, file, id)
  }

  /**
   * readRun for `list`: asynchronous, so a page never holds the event loop while the disk works. The callback readFile,
   * not fs/promises': measured through `GET /runs`, the promise version's FileHandle cost ~40 % more CPU per page.
   */
  async function readRunAsync(id: string): Promise<RunFile | undefined> {
    const file = runPath(fileName(id))
    let text: string
    try {
      text = await new Promise<string>((resolve, reject) =>
        readFileCallback(file, 'utf8', (error, data) => (error ? reject(error) : resolve(data))),
      )
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    return decodeRunFile(text, file, id)
  }

  /** Writes the run file and returns the record as a reader will see it (a fresh copy). */
  function writeRun(run: RunFile): RunRecord {
    const text = encodeRunFile(run)
    const file = runPath(fileName(run.record.id))
    writeAtomic(file, text)
    return decodeRunFile(text, file, run.record.id).record
  }

  /** Appends after the committed bytes (dropping any uncommitted tail) and returns the new committed length. */
  function appendHistory(id: string, committed: number, events: HistoryEvent[]): number {
    if (events.length === 0) return committed
    const data = encodeHistory(events)
    const fd = openSync(historyPath(fileName(id)), 'a')
    try {
      ftruncateSync(fd, committed)
      writeSync(fd, data)
      if (options.fsync) fdatasyncSync(fd)
    } finally {
      closeSync(fd)
    }
    return committed + Buffer.byteLength(data)
  }

  /**
   * Visits the runs a marker directory names (outbox/, outbox-settled/), in name order, while `more()`: each under its
   * lock, SKIP LOCKED as claimDue (a run another process is touching is left for the next call); `unmark` removes its
   * marker. A corrupt run file is reported and skipped; a missing run is visited as undefined.
   */
  async function eachMarkedRun(
    dir: string,
    more: () => boolean,
    visit: (run: RunFile | undefined, unmark: () => void) => void,
  ): Promise<void> {
    for (const marker of readdirSync(dir).sort()) {
      if (!more()) break
      let id: string
      try {
        id = decodeURIComponent(marker)
      } catch {
        continue // not a name this store wrote
      }
      if (!isStorableId(id)) continue
      await locks.tryWith(runLock(fileName(id)), async () => {
        let run: RunFile | undefined
        try {
          run = readRun(id)
        } catch (error) {
          if (!(error instanceof CorruptRunFileError)) throw error
          onCorrupt(error)
          return
        }
        visit(run, () => unlinkIfExists(join(dir, marker)))
      })
    }
  }

  function dueEntry(record: RunRecord): string | undefined {
    if (record.status !== 'RUNNING' || record.resumeAt === null) return undefined
    return `${String(Math.max(0, record.resumeAt.getTime())).padStart(15, '0')}~${fileName(record.id)}`
  }

  /** A run's entries in the due index and the list index. */
  function indexEntries(record: RunRecord): IndexEntries {
    return { due: dueEntry(record), listed: listIndex.entriesOf(record) }
  }

  /** Moves a run's index entries: the new ones are written before the run file, the old ones removed after. */
  function withIndexes<T>(before: IndexEntries | undefined, after: IndexEntries, now: Date, write: () => T): T {
    if (after.due !== undefined && after.due !== before?.due) writeFileSync(join(paths.due, after.due), '')
    listIndex.add(
      before === undefined ? after.listed : after.listed.filter((entry) => !before.listed.includes(entry)),
      now,
    )
    const result = write()
    if (before?.due !== undefined && before.due !== after.due) unlinkIfExists(join(paths.due, before.due))
    if (before !== undefined)
      listIndex.remove(
        before.listed.filter((entry) => !after.listed.includes(entry)),
        now,
      )
    return result
  }

  async function createRun(run: NewRun, key: { hash: string; path: string } | undefined) {
    return locks.with(runLock(fileName(run.id)), async () => {
      if (key) {
        const existingId = readKey(key.path)
        const existing = existingId === undefined ? undefined : readRun(existingId)
        if (existing) return { run: existing.record, created: false }
        // A key without its run: its creator died between the two writes. Reuse the key.
      }
      if (readIfExists(runPath(fileName(run.id))) !== undefined) throw new RunExistsError(run.id)
      if (key) writeAtomic(key.path, JSON.stringify({ key: run.idempotencyKey, runId: run.id }))
      const { stored, events } = newStoredRun(run)
      const history = encodeHistory(events)
      writeFileSync(historyPath(fileName(run.id)), history)
      const record = withIndexes(undefined, indexEntries(stored.record), run.now, () =>
        writeRun({ format: 1, ...stored, historyBytes: Buffer.byteLength(history) }),
      )
      return { run: record, created: true }
    })
  }

  function readKey(path: string): string | undefined {
    const text = readIfExists(path)
    if (text === undefined) return undefined
    try {
      return (JSON.parse(text) as { runId: string }).runId
    } catch {
      throw new CorruptRunFileError(path, 'idempotency key file is not JSON')
    }
  }

  /** Makes a finished child's RUNNING parent due now (stored-run.ts wakeParent), keeping the due index in step. */
  async function wake(id: string, now: Date): Promise<void> {
    await locks.with(runLock(fileName(id)), async () => {
      const run = readRun(id)
      if (!run) return
      const before = indexEntries(run.record)
      if (wakeParent(run, now)) withIndexes(before, indexEntries(run.record), now, () => writeRun(run))
    })
  }

  return {
    async create(run: NewRun) {
      ensureOpen()
      fileName(run.id) // validate the id before taking any lock
      if (run.idempotencyKey === undefined) return createRun(run, undefined)
      const hash = keyHash(run.idempotencyKey)
      const key = { hash, path: join(paths.keys, `${hash}.json`) }
      // Lock order everywhere: key lock, then run lock.
      return locks.with(join(paths.locks, `key-${hash}.lock`), () => createRun(run, key))
    },

    async get(id: string) {
      ensureOpen()
      if (!isStorableId(id)) return undefined
      return readRun(id)?.record
    },

    async list(query: RunQuery) {
      ensureOpen()
      return listIndex.page(query)
    },

    async history(id: string, options: { afterSeq?: number; limit?: number } = {}) {
      ensureOpen()
      if (!isStorableId(id)) return []
      const run = readRun(id)
      if (!run || run.historyBytes === 0) return []
      return readHistory(
        historyPath(fileName(id)),
        run.historyBytes,
        options.afterSeq ?? 0,
        options.limit ?? Number.POSITIVE_INFINITY,
      )
    },

    async acquire(id: string, options: LeaseOptions) {
      ensureOpen()
      if (!isStorableId(id)) return undefined
      return locks.with(runLock(fileName(id)), async () => {
        const run = readRun(id)
        if (!run || !isLeasable(run, options.now)) return undefined
        const lease = grantLease(run, options)
        writeRun(run)
        return lease
      })
    },

    async claimDue(options: LeaseOptions & { limit: number }) {
      ensureOpen()
      const claimed: Lease[] = []
      const horizon = options.now.getTime()
      const entries = readdirSync(paths.due).sort()
      for (const entry of entries) {
        if (claimed.length >= options.limit) break
        const separator = entry.indexOf('~')
        if (Number(entry.slice(0, separator)) > horizon) break
        const id = decodeURIComponent(entry.slice(separator + 1))
        // Cheap look first (a read, no lock): runs another worker holds stay in the index until their next save.
        const glimpse = (() => {
          try {
            return readRun(id)
          } catch {
            return undefined // judged again under the lock below
          }
        })()
        if (glimpse && dueEntry(glimpse.record) === entry && !isDue(glimpse, options.now)) continue
        // SKIP LOCKED: a run another worker is touching right now is left for the next claim.
        const lease = await locks.tryWith(runLock(fileName(id)), async () => {
          let run: RunFile | undefined
          try {
            run = readRun(id)
          } catch (error) {
            if (!(error instanceof CorruptRunFileError)) throw error
            onCorrupt(error)
            return undefined
          }
          if (!run || dueEntry(run.record) !== entry) {
            unlinkIfExists(join(paths.due, entry)) // stale index entry
            return undefined
          }
          if (!isDue(run, options.now)) return undefined
          const granted = grantLease(run, options)
          writeRun(run)
          return granted
        })
        if (lease) claimed.push(lease)
      }
      return claimed
    },

    async renew(lease: Lease, options: LeaseOptions) {
      ensureOpen()
      if (!isStorableId(lease.runId)) assertCurrentLease(undefined, lease)
      return locks.with(runLock(fileName(lease.runId)), async () => {
        const run = readRun(lease.runId)
        assertCurrentLease(run, lease)
        const renewed = renewLease(run, lease, options)
        writeRun(run)
        return renewed
      })
    },

    async save(lease: Lease, update: RunUpdate) {
      ensureOpen()
      if (!isStorableId(lease.runId)) assertCurrentLease(undefined, lease)
      return locks
        .with(runLock(fileName(lease.runId)), async () => {
          const run = readRun(lease.runId)
          assertCurrentLease(run, lease)
          const before = indexEntries(run.record)
          const events = applyUpdate(run, update)
          run.historyBytes = appendHistory(lease.runId, run.historyBytes, events)
          const has = (id: string) => run.outbox?.some((stored) => stored.id === id) === true
          const added = newStoredItems(lease.runId, update.outbox, update.now, has)
          if (added.length > 0) {
            ;(run.outbox ??= []).push(...added)
            // Before the run file: a marker without a committed item is pruned by the next claim.
            makeMarker(outboxMarker(lease.runId))
          }
          const saved = withIndexes(before, indexEntries(run.record), update.now, () => writeRun(run))
          return { saved, parentId: parentToWake(run, update) }
        })
        .then(async ({ saved, parentId }) => {
          // Under the parent's own lock, after the child's (locks are never nested). Not atomic with the child's save:
          // if the process dies in between, the parent still finds the result at its next poll of the child.
          if (parentId !== undefined && isStorableId(parentId)) await wake(parentId, update.now)
          return saved
        })
    },

    async putWorkflowVersion(version: string, definition: unknown, now: Date) {
      ensureOpen()
      const file = workflowPath(workflowVersionFileName(version))
      if (readIfExists(file) !== undefined) return
      // No lock: processes that both find it missing both rename a complete file into place, and a version names one
      // content (a hash of it), so whichever rename lands last leaves the same definition.
      writeAtomic(file, JSON.stringify({ version, createdAt: now.toISOString(), definition }))
    },

    async getWorkflowVersion(version: string) {
      ensureOpen()
      if (!isWorkflowVersion(version)) return undefined
      const file = workflowPath(version)
      const text = readIfExists(file)
      if (text === undefined) return undefined
      let kept: unknown
      try {
        kept = JSON.parse(text)
      } catch {
        throw new CorruptRunFileError(file, 'workflow version file is not JSON')
      }
      if (typeof kept !== 'object' || kept === null || !('definition' in kept)) {
        throw new CorruptRunFileError(file, 'workflow version file has no "definition"')
      }
      return kept.definition
    },

    async release(lease: Lease) {
      ensureOpen()
      if (!isStorableId(lease.runId)) return
      await locks.with(runLock(fileName(lease.runId)), async () => {
        const run = readRun(lease.runId)
        if (!run || run.lease?.token !== lease.token) return
        releaseLease(run, lease)
        writeRun(run)
      })
    },

    async requestCancel(id: string, now: Date) {
      ensureOpen()
      if (!isStorableId(id)) return undefined
      return locks.with(runLock(fileName(id)), async () => {
        const run = readRun(id)
        if (!run) return undefined
        if (isTerminal(run.record.status) || run.record.cancelRequested) return run.record // nothing to change
        markCancelRequested(run, now)
        return writeRun(run)
      })
    },

    async claimOutbox(options: OutboxClaimOptions) {
      ensureOpen()
      const claimed: OutboxClaim[] = []
      await eachMarkedRun(
        paths.outbox,
        () => claimed.length < options.limit,
        (run, unmark) => {
          if (!run?.outbox?.some((stored) => stored.state === 'pending')) return unmark()
          const claims = claimStoredItems(run.outbox, options, options.limit - claimed.length)
          if (claims.length === 0) return
          claimed.push(...claims)
          writeRun(run)
        },
      )
      return claimed
    },

    async settleOutbox(claim: OutboxClaim, outcome: OutboxOutcome) {
      ensureOpen()
      if (!isStorableId(claim.runId)) return false
      return locks.with(runLock(fileName(claim.runId)), async () => {
        const run = readRun(claim.runId)
        if (
          !settleStoredOutbox(
            run?.outbox?.find((stored) => stored.id === claim.id),
            claim,
            outcome,
          )
        )
          return false
        // Before the run file, as the outbox marker: a marker without a settled item is dropped by the next prune.
        if (outcome.result !== 'retry') makeMarker(settledMarker(claim.runId))
        writeRun(run!)
        if (!run!.outbox!.some((stored) => stored.state === 'pending')) unlinkIfExists(outboxMarker(claim.runId))
        return true
      })
    },

    async outbox(runId: string) {
      ensureOpen()
      if (!isStorableId(runId)) return []
      return (readRun(runId)?.outbox ?? []).map(outboxEntryOf)
    },

    async pruneOutbox(options: OutboxPruneOptions) {
      ensureOpen()
      let pruned = 0
      await eachMarkedRun(
        paths.settled,
        () => pruned < options.limit,
        (run, unmark) => {
          const gone = new Set(prunableItems(run?.outbox ?? [], options, options.limit - pruned))
          if (gone.size > 0) {
            const kept = run!.outbox!.filter((stored) => !gone.has(stored))
            if (kept.length > 0) run!.outbox = kept
            else delete run!.outbox
            writeRun(run!)
            pruned += gone.size
          }
          if (!run?.outbox?.some((stored) => stored.state !== 'pending')) unmark()
        },
      )
      return pruned
    },

    async close() {
      closed = true
    },
  }
}

/**
 * Creates the directories and checks the layout marker; refuses a store written by a newer ctflow, and moves an older
 * layout's marker forward (so that older ctflow refuses it from now on). True for a new, empty store.
 */
function prepareDirectory(root: string, dirs: string[]): boolean {
  const marker = join(root, MARKER)
  try {
    for (const dir of dirs) mkdirSync(dir, { recursive: true })
  } catch (error) {
    throw new StoreOpenError(`cannot use ${root} as a run store: ${(error as Error).message}`)
  }
  const writeMarker = () => writeFileSync(marker, `${JSON.stringify({ layout: LAYOUT_VERSION })}\n`)
  let text: string | undefined
  try {
    text = readFileSync(marker, 'utf8')
  } catch {
    writeMarker()
    return readdirSync(join(root, 'runs')).length === 0
  }
  let layout: unknown
  try {
    layout = (JSON.parse(text) as { layout?: unknown }).layout
  } catch {
    throw new StoreOpenError(`cannot use ${root} as a run store: ${marker} is not JSON`)
  }
  if (typeof layout !== 'number')
    throw new StoreOpenError(`cannot use ${root} as a run store: ${marker} has no layout version`)
  if (layout > LAYOUT_VERSION) {
    throw new StoreOpenError(
      `run store ${root} has layout ${layout}, newer than this ctflow understands (${LAYOUT_VERSION}); upgrade ctflow instead of overwriting it`,
    )
  }
  // Layout 1 → 2 adds only the list index, built by the first list (file-list-index.ts).
  if (layout < LAYOUT_VERSION) writeMarker()
  return false
}

interface IndexEntries {
  due: string | undefined
  listed: string[]
}

const MAX_ID_LENGTH = 200
// File systems cap a name at 255 bytes (ext4, XFS, APFS, NTFS); the longest name made from an id is its due-index
// entry (15 digits + '~' + the encoded id). Longer would fail with ENAMETOOLONG: such an id is simply not stored.
const MAX_ENCODED_ID_BYTES = 255 - 16

function isStorableId(id: string): boolean {
  return (
    typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH && encodeId(id).length <= MAX_ENCODED_ID_BYTES
  )
}

/** A run id as a file name: [A-Za-z0-9_-] kept, everything else %-encoded (so no '/', '.', '..' or '~'). */
function fileName(id: string): string {
  if (!isStorableId(id)) {
    throw new RangeError(
      `run id: expected 1…${MAX_ID_LENGTH} characters, at most ${MAX_ENCODED_ID_BYTES} once encoded as a file name, got ${JSON.stringify(String(id).slice(0, 40))}`,
    )
  }
  return encodeId(id)
}

function encodeId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/gu, (char) =>
    [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  )
}

const WORKFLOW_VERSION = /^[A-Za-z0-9._-]{1,128}$/u

function isWorkflowVersion(version: string): boolean {
  return typeof version === 'string' && WORKFLOW_VERSION.test(version)
}

/** A workflow version is its own file name: refused unless it is 1…128 of [A-Za-z0-9._-] (no '/', so no path). */
function workflowVersionFileName(version: string): string {
  if (!isWorkflowVersion(version)) {
    throw new RangeError(
      `workflow version: expected 1…128 characters of [A-Za-z0-9._-], got ${JSON.stringify(String(version).slice(0, 140))}`,
    )
  }
  return version
}

const HISTORY_CHUNK_BYTES = 1024 * 1024

/**
 * Events `afterSeq + 1 …` of a history file, at most `limit`, from its committed bytes. Read a chunk at a time and
 * stopped once the page is full, so a page of a long history (25,000 events of large payloads; an older run without the
 * limit held millions) costs the page, not the file: the events before it are skipped by counting lines (line n holds
 * seq n), not parsed.
 */
function readHistory(file: string, committed: number, afterSeq: number, limit: number): HistoryEvent[] {
  const events: HistoryEvent[] = []
  if (limit <= 0) return events
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CorruptRunFileError(file, `shorter than the ${committed} committed bytes`)
    throw error
  }
  try {
    if (fstatSync(fd).size < committed)
      throw new CorruptRunFileError(file, `shorter than the ${committed} committed bytes`)
    const chunk = Buffer.allocUnsafe(Math.min(HISTORY_CHUNK_BYTES, committed))
    let position = 0
    let line = 0
    let partial: Buffer[] = []
    while (position < committed && events.length < limit) {
      const read = readSync(fd, chunk, 0, Math.min(chunk.length, committed - position), position)
      if (read === 0) break
      position += read
      let start = 0
      for (let newline = chunk.indexOf(10, 0); newline !== -1 && newline < read; newline = chunk.indexOf(10, start)) {
        line += 1
        if (line > afterSeq) {
          const bytes =
            partial.length > 0
              ? Buffer.concat([...partial, chunk.subarray(start, newline)])
              : chunk.subarray(start, newline)
          const event = decodeHistoryLine(bytes, file, line)
          if (event.seq > afterSeq) events.push(event)
          if (events.length >= limit) return events
        }
        partial = []
        start = newline + 1
      }
      // A line that goes on in the next chunk (kept only if it will be read).
      if (start < read) partial = line + 1 > afterSeq ? [...partial, Buffer.from(chunk.subarray(start, read))] : []
    }
    return events
  } finally {
    closeSync(fd)
  }
}

function readIfExists(path: string): string | undefined
function readIfExists(path: string, encoding: null): Buffer | undefined
function readIfExists(path: string, encoding: 'utf8' | null = 'utf8'): string | Buffer | undefined {
  try {
    return readFileSync(path, encoding === null ? undefined : encoding)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

function unlinkIfExists(path: string): void {
  try {
    unlinkSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}
