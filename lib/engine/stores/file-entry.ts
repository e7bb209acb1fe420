import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, linkSync, openSync, renameSync } from 'node:fs'

/** Codes of a file system without hard links (FAT, some network mounts): entries become empty files there. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EACCES'])

/**
 * Makes the file store's name-only entries (the list index's, the outbox markers): each a hard link to one empty file
 * (`linkTarget`), because a link adds a directory entry only, where a new file also takes an inode, the costly part on
 * a busy disk (measured here: 6–9 µs a link; 9–175 µs a file, varying with the machine's load). A file system that
 * refuses links gets empty files. An entry that exists already is left as it is. ENOENT: the entry's directory is
 * missing (the caller makes it).
 * @example const makeEntry = createEntryMaker(join(root, 'entry')); makeEntry(join(root, 'outbox', name))
 */
export function createEntryMaker(linkTarget: string): (path: string) => void {
  let linksWork = true
  return function makeEntry(path: string): void {
    for (let attempt = 1; linksWork && attempt <= 3; attempt++) {
      try {
        linkSync(linkTarget, path)
        return
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EEXIST') return
        if (code === 'ENOENT' && !existsSync(linkTarget)) {
          closeSync(openSync(linkTarget, 'a')) // first use, or its directory was emptied (ENOENT again: the caller's)
        } else if (code === 'EMLINK') {
          // Too many links to one file (ext4: 65,000): set it aside, its links stay valid, and start a new one.
          try {
            renameSync(linkTarget, `${linkTarget}-${randomBytes(6).toString('hex')}`)
          } catch {
            // another process set it aside first
          }
          closeSync(openSync(linkTarget, 'a'))
        } else if (code !== undefined && NO_LINKS.has(code)) {
          linksWork = false
        } else {
          throw error
        }
      }
    }
    closeSync(openSync(path, 'a'))
  }
}
