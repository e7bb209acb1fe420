import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createFileStore } from './file-store'
import { runStoreContract } from './store.contract'

const root = mkdtempSync(join(tmpdir(), 'ctflow-file-store-'))
let count = 0
afterAll(() => rmSync(root, { recursive: true, force: true }))

runStoreContract('file', async () => createFileStore(join(root, `store-${++count}`)))
