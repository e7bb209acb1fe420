import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFileStore } from '../../lib/engine/stores/file-store'
import { loadFixture, startSimulator, type RunningSimulator } from '../../lib/simulator'

const CHILD = new URL('./crash.child.ts', import.meta.url).pathname
const TSX = new URL('../../node_modules/tsx/dist/esm/index.mjs', import.meta.url).pathname

interface ChildResult {
  runId?: string
  saves: number
  done?: { status: string; output: unknown; error?: unknown }
  killed: boolean
}

/** Runs the child; SIGKILLs it once it has printed `killAfter` saves (if given). */
function runChild(env: Record<string, string>, killAfter?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const result: ChildResult = { saves: 0, killed: false }
    let buffer = ''
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.stdout.on('data', (chunk) => {
      buffer += chunk
      let newline: number
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline)
        buffer = buffer.slice(newline + 1)
        if (line.startsWith('run ')) result.runId = line.slice(4)
        else if (line.startsWith('save ')) {
          result.saves += 1
          if (killAfter !== undefined && result.saves >= killAfter && !result.killed) {
            result.killed = true
            child.kill('SIGKILL')
          }
        } else if (line.startsWith('done ')) result.done = JSON.parse(line.slice(5))
      }
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ ...result, killed: result.killed || signal === 'SIGKILL' })
      else reject(new Error(`child exited ${code}: ${stderr}`))
    })
  })
}

/** The statuses of a run's child runs in the file store the child process used. */
async function childRuns(storeDir: string, parentId: string): Promise<string[]> {
  const store = createFileStore(storeDir)
  try {
    return (await store.list({ parentId })).runs.map((run) => run.status)
  } finally {
    await store.close()
  }
}

// A small seeded PRNG, so a failing kill schedule can be replayed.
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/**
 * The shipped cloud, with an older snapshot on the second disk the workflow snapshots: its create goes through a job,
 * where CTyun does not honour the clientToken (§8.2), while the first disk's is an order, where it does. A re-issued
 * create must make no second snapshot either way.
 */
function crashFixture() {
  const fixture = loadFixture()
  fixture.snapshots = [
    ...((fixture.snapshots as unknown[] | undefined) ?? []),
    {
      snapshotID: '9e8d7c6b-00c2-4a5b-9c8d-7e6f5a4b3c99',
      regionID: 'bb9fdb42056f11eda1610242ac110002',
      diskID: '5d0c1e2f-0002-4c7a-8e4b-a1b2c3d4e502',
      snapshotName: 'older-web-01-data',
      ageDays: 2,
    },
  ]
  return fixture
}

// INLINE: the Map's items are frames of the run. DISTRIBUTED: each item is a child run, created once however often
// the create is re-issued, and advanced by whichever process picks it up.
describe.each(['INLINE', 'DISTRIBUTED'] as const)(
  'crash test (Map %s): a real child process SIGKILLed at random transitions',
  (mode) => {
    let sim: RunningSimulator
    let dir: string
    beforeAll(async () => {
      sim = await startSimulator({ port: 0, fixture: crashFixture() })
      dir = await mkdtemp(join(tmpdir(), 'ctflow-crash-'))
    })
    afterAll(async () => {
      await sim.close()
      await rm(dir, { recursive: true, force: true })
    })

    // What the cloud was asked to create: resources, and the orders and jobs behind them (an order whose result nobody
    // read yet has no resource in the simulator's state, but it is a side effect all the same).
    function sideEffects() {
      const state = sim.simulator.state
      return {
        snapshots: [...state.snapshots.values()].filter((s) =>
          String((s as { snapshotName?: string }).snapshotName).startsWith('crash-'),
        ).length,
        eips: [...state.eips.values()].filter((e) => (e as { name?: string }).name === 'crash-eip').length,
        orders: state.orders.size,
        jobs: state.jobs.size,
      }
    }
    let expected: ReturnType<typeof sideEffects>

    it('resumes after every kill; the output equals an uninterrupted run and each resource is created once', async () => {
      sim.simulator.reset()
      const baseline = await runChild({
        CRASH_STORE: join(dir, 'baseline'),
        CRASH_SIM_URL: sim.url,
        CRASH_MAP_MODE: mode,
      })
      expect(baseline.done?.status).toBe('SUCCEEDED')
      expected = sideEffects()
      expect(expected).toMatchObject({ snapshots: 2, eips: 1 })
      // One create through the order flow (the first disk's first snapshot), one through a job (the second disk's).
      expect(expected.jobs).toBeGreaterThanOrEqual(1)
      const transitions = baseline.saves

      const random = prng(Number(process.env.CRASH_SEED ?? 20261123))
      for (let scenario = 0; scenario < 3; scenario++) {
        sim.simulator.reset()
        const env = { CRASH_STORE: join(dir, `crash-${scenario}`), CRASH_SIM_URL: sim.url, CRASH_MAP_MODE: mode }
        const kills: number[] = []
        let killAt = 1 + Math.floor(random() * (transitions - 1))
        kills.push(killAt)
        let result = await runChild(env, killAt)
        const runId = result.runId!
        expect(runId).toBeTruthy()
        // Up to two more kills while resuming, then a run to the end.
        for (let k = 0; k < 2 && !result.done; k++) {
          killAt = 1 + Math.floor(random() * 4)
          kills.push(killAt)
          result = await runChild({ ...env, CRASH_RUN_ID: runId }, killAt)
        }
        if (!result.done) result = await runChild({ ...env, CRASH_RUN_ID: runId })
        expect(result.done, `kills at saves ${kills.join(', ')}`).toEqual(baseline.done)
        expect(sideEffects(), `kills at saves ${kills.join(', ')}`).toEqual(expected)
        expect(await childRuns(env.CRASH_STORE, runId), `kills at saves ${kills.join(', ')}`).toEqual(
          mode === 'DISTRIBUTED' ? ['SUCCEEDED', 'SUCCEEDED'] : [],
        )
      }
    }, 120_000)

    it('a process killed right after a write reached the cloud (result unsaved) does not repeat it on resume', async () => {
      // The workflow's writes: two snapshot creates, one EIP create (each POST). Kill after each one in turn.
      for (const killAfterWrite of [1, 2, 3]) {
        sim.simulator.reset()
        const env = { CRASH_STORE: join(dir, `write-${killAfterWrite}`), CRASH_SIM_URL: sim.url, CRASH_MAP_MODE: mode }
        const first = await runChild({ ...env, CRASH_KILL_AFTER_WRITE: String(killAfterWrite) })
        expect(first.done, `kill after write ${killAfterWrite}`).toBeUndefined()
        const resumed = await runChild({ ...env, CRASH_RUN_ID: first.runId! })
        expect(resumed.done?.status).toBe('SUCCEEDED')
        expect(sideEffects(), `kill after write ${killAfterWrite}`).toEqual(expected)
      }
    }, 120_000)
  },
)

// The shipped dr-copy job, SIGKILLed at random transitions and right after each write: one image and one copy per
// destination, whatever the kills (create-image-ebs and cross-region-copy take no clientToken: found by name).
describe('crash test: dr-copy', () => {
  const HD1 = 'bb9fdb42056f11eda1610242ac110002'
  const NM8 = '81f7728662dd11ec810800155d307d5b'
  const XN1 = '200000001852'
  const input = JSON.stringify({
    regionID: HD1,
    sources: { diskIDs: ['5d0c1e2f-0004-4c7a-8e4b-a1b2c3d4e504'] },
    destinations: [NM8, XN1],
    imagePrefix: 'crashdr',
  })
  let sim: RunningSimulator
  let dir: string
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 })
    dir = await mkdtemp(join(tmpdir(), 'ctflow-crash-dr-'))
  })
  afterAll(async () => {
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })
  const env = (name: string) => ({
    CRASH_STORE: join(dir, name),
    CRASH_SIM_URL: sim.url,
    CRASH_WORKFLOW: 'dr-copy',
    CRASH_INPUT: input,
  })
  /** What the cloud holds of the job and how often it was asked: the DR images per region, and the creates sent. */
  function sideEffects() {
    const images = [...sim.simulator.state.images.values()].filter((i) => i.imageName.startsWith('crashdr-'))
    const snapshots = [...sim.simulator.state.snapshots.values()].filter((s) =>
      String((s as { snapshotName?: string }).snapshotName).startsWith('crashdr-'),
    )
    return {
      images: Object.fromEntries([HD1, NM8, XN1].map((r) => [r, images.filter((i) => i.regionID === r).length])),
      active: images.every((i) => i.lifecycle.final === 'active'),
      snapshots: snapshots.length,
      imageCreates: sim.simulator.calls.count('ebs.createImage'),
      copies: sim.simulator.calls.count('image.crossRegionCopy'),
    }
  }
  const once = { images: { [HD1]: 1, [NM8]: 1, [XN1]: 1 }, active: true, snapshots: 1, imageCreates: 1, copies: 2 }

  it('resumes after every kill: each image and each copy made once, the run succeeds', async () => {
    sim.simulator.reset()
    const baseline = await runChild(env('baseline'))
    expect(baseline.done?.status).toBe('SUCCEEDED')
    expect(sideEffects()).toEqual(once)
    const random = prng(Number(process.env.CRASH_SEED ?? 20261205))
    for (let scenario = 0; scenario < 2; scenario++) {
      sim.simulator.reset()
      const kills = [1 + Math.floor(random() * (baseline.saves - 1))]
      let result = await runChild(env(`crash-${scenario}`), kills[0])
      for (let k = 0; k < 2 && !result.done; k++) {
        kills.push(1 + Math.floor(random() * 4))
        result = await runChild({ ...env(`crash-${scenario}`), CRASH_RUN_ID: result.runId! }, kills.at(-1))
      }
      if (!result.done) result = await runChild({ ...env(`crash-${scenario}`), CRASH_RUN_ID: result.runId! })
      expect(result.done?.status, `kills at saves ${kills.join(', ')}`).toBe('SUCCEEDED')
      expect(sideEffects(), `kills at saves ${kills.join(', ')}`).toEqual(once)
    }
  }, 180_000)

  it('a process killed right after each write reached the cloud does not repeat it on resume', async () => {
    // The writes: the snapshot, the image, two copies.
    for (const killAfterWrite of [1, 2, 3, 4]) {
      sim.simulator.reset()
      const first = await runChild({
        ...env(`write-${killAfterWrite}`),
        CRASH_KILL_AFTER_WRITE: String(killAfterWrite),
      })
      expect(first.done, `kill after write ${killAfterWrite}`).toBeUndefined()
      const resumed = await runChild({ ...env(`write-${killAfterWrite}`), CRASH_RUN_ID: first.runId! })
      expect(resumed.done?.status, `kill after write ${killAfterWrite}`).toBe('SUCCEEDED')
      expect(sideEffects(), `kill after write ${killAfterWrite}`).toEqual(once)
    }
  }, 180_000)
})
