import { createHash, randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, rmdirSync, unlinkSync } from 'node:fs'
import { mkdir, readdir, rename, rmdir, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import type { RunRecord, RunStatus, RunSummary } from '../run'
import { decodeCursor, encodeCursor, listLimit, type ListPosition } from './list-cursor'
import type { RunQuery } from './run-store'
import { createEntryMaker } from './file-entry'
import { CorruptRunFileError } from './store-errors'

/**
 * The file store's list index: a directory of entries (names only: hard links to one empty file, see file-entry.ts), one
 * per run and list it belongs to, named so that the newest runs of a list are the last names of its newest
 * directories. A `list` page reads the few directories that hold the page's names and the page's run files, never the
 * whole store, and only with asynchronous I/O.
 *
 * Lists (under `index/v1/`; a later format of the index gets a directory of its own), per run, where `<scope>` is
 * `top` or `parent/<h(parentId)>` (a distributed Map's children):
 * - `<scope>/all`, `<scope>/status/<status>`,
 * - `<scope>/workflow/<h(workflow)>/all`, `<scope>/workflow/<h(workflow)>/status/<status>`
 * (h = the first 32 hex of SHA-256, so any workflow name or run id makes a short, safe directory name). So every
 * filter `list` takes (parent, workflow, status, or both of the last two) is one list, and a status filter over
 * 10,000 runs reads the page's runs, not the 10,000.
 *
 * In a list, a run's entry is `<d0-3>/<d4-6>/<d7-9>/<d10>/<d11-12>~<file name of the id>`, where d is its createdAt
 * in Unix milliseconds written with 13 digits (years 1970…2286; earlier or later instants are clamped): directories of
 * ~11.6 days, ~16.7 minutes, 1 second and 100 ms, so no directory read on the way to a page grows with the store (at
 * most 1,000 names; a leaf holds the runs created in 100 ms, which the store's write rate bounds: ~100 in a burst).
 * The RUNNING lists, whose entries leave when runs finish, stop at 1-second leaves (`…/<d7-9>/<d10-12>~…`), so that
 * runs that start and finish one after the other share a leaf instead of each making and removing one. List order is
 * createdAt
 * descending, then id descending (list-cursor.ts), the same in every store: for the time-ordered ids the engine makes
 * (run-id.ts) that is creation order; other ids (older runs, child runs, ids a caller chose) take their place by
 * createdAt alone.
 *
 * Crash safety: the index is a superset of the truth, checked against the run files. A writer holding the run's lock
 * adds the entries of the run's new state before it writes the run file and removes the old state's entries after
 * (as the due index does), so a crash anywhere leaves at worst an extra entry, never a missing one. A page reads each
 * candidate's run file and keeps it only if the run still belongs to that list; an entry that does not (its run is
 * gone, or moved to another status) is removed under the run's lock when nobody holds it (SKIP LOCKED), so stale
 * entries cost once. Directories left empty are removed once their time is past (a writer that empties one, a writer
 * moving on to the next leaf, a page walking through one), so a list of live runs stays small without making and
 * removing a directory per run.
 *
 * Rebuild: `ready.json` says the index covers every run file. Without it (a store made by a ctflow from before
 * this index, or an operator who deleted `index/` to rebuild it) the first `list` reads every run file once,
 * asynchronously, adds their entries and writes the marker; writers keep adding entries meanwhile, so nothing is
 * missed. A ctflow from before this index (store layout 1) refuses the store once a newer one opened it (layout 2).
 */
export interface FileListIndex {
  /** The entries (paths relative to the index) a run in this state belongs to. */
  entriesOf(record: Pick<RunRecord, 'id' | 'createdAt' | 'parentId' | 'workflow' | 'status'>): string[]
  /** Creates entries, synchronously (a writer, under the run's lock, before the run file); `now`: the store's clock. */
  add(entries: readonly string[], now: Date): void
  /**
   * Removes entries (a writer, under the run's lock, after the run file) and the directories they leave empty whose
   * time is past at `now` (one still current would be made again by the next run).
   */
  remove(entries: readonly string[], now: Date): void
  /** Marks the index complete: a new, empty store. */
  markReady(): void
  /** One `list` page. */
  page(query: RunQuery): Promise<{ runs: RunSummary[]; nextCursor?: string }>
}

export interface FileListIndexDeps {
  /** A run id as a file name (reversible with decodeURIComponent). */
  fileName(id: string): string
  /** Reads a run file asynchronously: undefined when there is none; CorruptRunFileError when unreadable. */
  loadRun(id: string): Promise<RunRecord | undefined>
  /** Every run id with a run file (for a rebuild). */
  runIds(): Promise<string[]>
  /** Removes `entry` if, under the run's lock (skipped when someone holds it), the run no longer belongs to it. */
  pruneIfStale(id: string, entry: string): Promise<void>
  onCorrupt(error: CorruptRunFileError): void
}

/** Digits of the 13-digit creation millisecond per directory level; the rest start the entry's name. */
const LEVELS = [4, 3, 3, 1] as const
/** The RUNNING lists: 1-second leaves (see above). */
const LIVE_LEVELS = [4, 3, 3] as const
const KEY_DIGITS = 13
const MAX_KEY = 10 ** KEY_DIGITS - 1
const READY = 'ready.json'
const INDEX_FORMAT = 1
/** Run files read at once while rebuilding (each a trip through libuv's thread pool). */
const REBUILD_CONCURRENCY = 32
const DIGITS = /^[0-9]+$/u
const TILDE = '~'.charCodeAt(0)

export function createFileListIndex(root: string, deps: FileListIndexDeps): FileListIndex {
  const readyPath = join(root, READY)
  let rebuilding: Promise<void> | undefined
  /** The leaf this process last added to, per RUNNING list: left behind empty when runs finish within their leaf. */
  const lastLiveLeaf = new Map<string, string>()
  const makeEntry = createEntryMaker(join(root, 'entry'))

  const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32)

  function listDir(parentId: string | undefined, workflow: string | undefined, status: RunStatus | undefined): string {
    const scope = parentId === undefined ? 'top' : join('parent', hash(parentId))
    const byWorkflow = workflow === undefined ? scope : join(scope, 'workflow', hash(workflow))
    return status === undefined ? join(byWorkflow, 'all') : join(byWorkflow, 'status', status)
  }

  function entryIn(list: string, createdAt: Date, id: string): string {
    const digits = keyDigits(createdAt)
    let path = list
    let at = 0
    for (const width of levelsOf(list)) path = join(path, digits.slice(at, (at += width)))
    return join(path, `${digits.slice(at)}~${deps.fileName(id)}`)
  }

  function entriesOf(record: Pick<RunRecord, 'id' | 'createdAt' | 'parentId' | 'workflow' | 'status'>): string[] {
    const { parentId, workflow, status } = record
    return [
      listDir(parentId, undefined, undefined),
      listDir(parentId, undefined, status),
      listDir(parentId, workflow, undefined),
      listDir(parentId, workflow, status),
    ].map((list) => entryIn(list, record.createdAt, record.id))
  }

  function add(entries: readonly string[], now: Date): void {
    for (const entry of entries) {
      const path = join(root, entry)
      let made = false
      // A reader may remove an empty directory between our mkdir and our link: make it again.
      for (let attempt = 1; ; attempt++) {
        try {
          makeEntry(path)
          break
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw error
          try {
            mkdirSync(dirname(path), { recursive: true })
            made = true
          } catch (mkdirError) {
            if ((mkdirError as NodeJS.ErrnoException).code !== 'ENOENT') throw mkdirError
          }
        }
      }
      const leaf = dirname(entry)
      const list = listOf(entry)
      if (levelsOf(list) !== LIVE_LEVELS) continue
      // A new leaf of a RUNNING list: the one before it may have been left empty by runs that finished in its time.
      const previous = lastLiveLeaf.get(list)
      // One per RUNNING list (a distributed Map's parent has its own): bounded, as a worker runs for months.
      if (lastLiveLeaf.size >= 1_000 && previous === undefined) lastLiveLeaf.clear()
      lastLiveLeaf.set(list, leaf)
      if (made && previous !== undefined && previous !== leaf) removeEmptyPast(previous, now)
    }
  }

  /** Removes `dir` (a leaf, relative to the index) and its time levels upwards while they are empty and past at `now`. */
  function removeEmptyPast(leaf: string, now: Date): void {
    const list = listOf(join(leaf, 'x'))
    let dir = leaf
    while (dir !== list) {
      const digits = relative(list, dir).split(/[\\/]/u).join('')
      // The instant the bucket ends: its digits followed by 9s, plus 1 ms.
      if (Number(digits.padEnd(KEY_DIGITS, '9')) + 1 > now.getTime()) return
      try {
        rmdirSync(join(root, dir))
      } catch {
        return // not empty (or gone): its parents are not empty either
      }
      dir = dirname(dir)
    }
  }

  function remove(entries: readonly string[], now: Date): void {
    for (const entry of entries) {
      try {
        unlinkSync(join(root, entry))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
      removeEmptyPast(dirname(entry), now)
    }
  }

  /** The list directory (relative) an entry belongs to: the entry without its time levels and name. */
  function listOf(entry: string): string {
    let list = dirname(entry)
    // A list directory never ends in a 1-, 3- or 4-digit segment (its last segment is `all` or a status).
    while (/^(?:[0-9]|[0-9]{3,4})$/u.test(list.slice(list.lastIndexOf(sep) + 1))) list = dirname(list)
    return list
  }

  function markReady(): void {
    mkdirSync(root, { recursive: true })
    closeSync(openSync(readyPath, 'a'))
  }

  async function ensureReady(): Promise<void> {
    try {
      await stat(readyPath)
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    // One rebuild per store instance at a time; other processes may rebuild at once too (it is idempotent).
    rebuilding ??= rebuild().finally(() => (rebuilding = undefined))
    await rebuilding
  }

  async function rebuild(): Promise<void> {
    const ids = await deps.runIds()
    for (let next = 0; next < ids.length; next += REBUILD_CONCURRENCY) {
      await Promise.all(
        ids.slice(next, next + REBUILD_CONCURRENCY).map(async (id) => {
          let record: RunRecord | undefined
          try {
            record = await deps.loadRun(id)
          } catch (error) {
            if (!(error instanceof CorruptRunFileError)) throw error
            deps.onCorrupt(error)
            return
          }
          // Synchronous like a writer's (a few links, microseconds), between the asynchronous reads.
          if (record) add(entriesOf(record), new Date(0))
        }),
      )
    }
    const temp = `${readyPath}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
    await mkdir(root, { recursive: true })
    await writeFile(
      temp,
      `${JSON.stringify({ format: INDEX_FORMAT, runs: ids.length, builtAt: new Date().toISOString() })}\n`,
    )
    await rename(temp, readyPath)
  }

  async function page(query: RunQuery): Promise<{ runs: RunSummary[]; nextCursor?: string }> {
    const limit = listLimit(query.limit)
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
    await ensureReady()
    const listPath = listDir(query.parentId, query.workflow, query.status)
    const list = join(root, listPath)
    const found: RunRecord[] = []
    // limit + 1 runs: the one past the page says whether there is a next page.
    // Candidates are read in batches of as many as the page still needs, gathered across leaves (a sparse list has
    // one run in many leaves), so their run files are read at once rather than one after another.
    const pending: Candidate[] = []
    const candidates = leaves(list, after)[Symbol.asyncIterator]()
    let exhausted = false
    while (found.length <= limit) {
      const need = limit + 1 - found.length
      while (pending.length < need && !exhausted) {
        const next = await candidates.next()
        if (next.done) exhausted = true
        else pending.push(...next.value)
      }
      if (pending.length === 0) break
      const batch = pending.splice(0, need)
      const records = await Promise.all(batch.map((candidate) => load(candidate.id)))
      for (const [i, candidate] of batch.entries()) {
        const record = records[i]
        if (record === CORRUPT) continue
        const entry = relative(root, join(candidate.dir, candidate.name))
        if (
          record !== undefined &&
          belongs(record, query) &&
          entryIn(listPath, record.createdAt, record.id) === entry
        ) {
          found.push(record)
        } else {
          await deps.pruneIfStale(candidate.id, entry)
        }
      }
    }
    await candidates.return?.(undefined)
    const runs = found.slice(0, limit)
    const last = runs.at(-1)
    return { runs: runs.map(toSummary), ...(found.length > limit && last ? { nextCursor: encodeCursor(last) } : {}) }
  }

  async function load(id: string): Promise<RunRecord | undefined | typeof CORRUPT> {
    try {
      return await deps.loadRun(id)
    } catch (error) {
      if (!(error instanceof CorruptRunFileError)) throw error
      deps.onCorrupt(error)
      return CORRUPT
    }
  }

  return { entriesOf, add, remove, markReady, page }
}

const CORRUPT = Symbol('corrupt run file')

/** An entry read from a leaf: its creation millisecond and run id, and where it is. */
interface Candidate {
  ms: number
  id: string
  dir: string
  name: string
}

/** The entries of a list after `after`, newest first, one leaf directory at a time. */
async function* leaves(list: string, after: ListPosition | undefined): AsyncGenerator<Candidate[]> {
  yield* walk(
    list,
    await readNames(list),
    levelsOf(list),
    0,
    '',
    after === undefined ? undefined : keyDigits(after.createdAt),
    after,
  )
}

/** Directories read ahead at most, per level, once a walk has gone past the first child of a directory. */
const READ_AHEAD = 8

async function* walk(
  dir: string,
  names: string[],
  levels: readonly number[],
  level: number,
  prefix: string,
  bound: string | undefined,
  after: ListPosition | undefined,
): AsyncGenerator<Candidate[]> {
  if (names.length === 0 && level > 0) {
    // Left empty by a run that changed status: removed so a list of live runs stays small. A writer that made it
    // again meanwhile keeps it (rmdir refuses a non-empty directory, and `add` recreates a vanished one).
    await rmdir(dir).catch(() => undefined)
    return
  }
  if (level === levels.length) {
    // A leaf holds 100 ms of runs (a second for RUNNING lists): kept cheap per name all the same, as every page that
    // reaches it reads all of it.
    const width = KEY_DIGITS - prefix.length
    const afterMs = after?.createdAt.getTime()
    const base = Number(prefix) * 10 ** width
    const candidates: Candidate[] = []
    for (const name of names) {
      if (name.charCodeAt(width) !== TILDE || !DIGITS.test(name.slice(0, width))) continue
      const ms = base + Number(name.slice(0, width))
      if (afterMs !== undefined && ms > afterMs) continue
      const fileName = name.slice(width + 1)
      let id = fileName
      if (fileName.includes('%')) {
        try {
          id = decodeURIComponent(fileName)
        } catch {
          continue // not an entry this store wrote
        }
      }
      if (afterMs !== undefined && ms === afterMs && id >= after!.id) continue
      candidates.push({ ms, id, dir, name })
    }
    candidates.sort((a, b) => (a.ms !== b.ms ? b.ms - a.ms : a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    if (candidates.length > 0) yield candidates
    return
  }
  const width = levels[level]!
  const subdirectories = names
    .filter((name) => name.length === width && DIGITS.test(name))
    // Newer than the cursor: on earlier pages.
    .filter((name) => bound === undefined || prefix + name <= bound.slice(0, prefix.length + width))
    .sort()
    .reverse()
  // The first child is read alone (a dense list's page is usually there); past it, the walk reads ahead 2, 4 … 8
  // siblings at once, so a sparse list (a rare status) does not wait for one directory read after another.
  const reads: Array<Promise<string[]> | undefined> = []
  for (const [i, name] of subdirectories.entries()) {
    for (let k = i; k < Math.min(subdirectories.length, i + Math.min(READ_AHEAD, 2 ** i)); k++) {
      reads[k] ??= readNames(join(dir, subdirectories[k]!))
      reads[k]!.catch(() => undefined) // awaited below; never an unhandled rejection if the walk stops first
    }
    const childNames = await reads[i]!
    reads[i] = undefined
    yield* walk(join(dir, name), childNames, levels, level + 1, prefix + name, bound, after)
  }
}

async function readNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return []
    throw error
  }
}

/** The time levels of a list directory (absolute or relative): RUNNING lists have coarser leaves. */
function levelsOf(list: string): readonly number[] {
  return list.endsWith(`${sep}status${sep}RUNNING`) ? LIVE_LEVELS : LEVELS
}

function keyDigits(createdAt: Date): string {
  return String(Math.min(MAX_KEY, Math.max(0, Math.trunc(createdAt.getTime())))).padStart(KEY_DIGITS, '0')
}

function belongs(record: RunRecord, query: RunQuery): boolean {
  return (
    record.parentId === query.parentId &&
    (query.workflow === undefined || record.workflow === query.workflow) &&
    (query.status === undefined || record.status === query.status)
  )
}

/** A list entry from a freshly read record (nothing shared with the store): the record without machine and input. */
function toSummary(record: RunRecord): RunSummary {
  const { machine: _machine, input: _input, ...summary } = record
  return summary
}
