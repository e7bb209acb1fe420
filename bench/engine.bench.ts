/**
 * Engine speed: µs per transition for three workloads on the memory and the file store, beside
 * aws-local-stepfunctions on the same machine in the same run; and a cold run in a new process.
 * Targets: ≥ 10× faster than aws-local-stepfunctions in memory; cold run < 100 ms.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { createEngine } from '../lib/engine/create-engine'
import type { WorkflowDefinition } from '../lib/engine/interpreter/definition'
import { step } from '../lib/engine/interpreter/interpreter'
import { evaluateChoiceRule, emptyContextObject } from '../lib/engine/language'
import { measureJson } from '../lib/engine/language/json-size'
import { createMachine } from '../lib/engine/interpreter/machine'
import type { RunStore } from '../lib/engine/stores/run-store'
import { createFileStore } from '../lib/engine/stores/file-store'
import { createMemoryStore } from '../lib/engine/stores/memory-store'
import { loadAwsLocalStepFunctions } from '../lib/engine/testing/aws-local-stepfunctions'
import { workloads, passChain } from './engine-workloads'
import { median } from './measure'
import type { BenchReport, BenchRow } from './report'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9)
// The JIT needs ~20,000 transitions (20 runs of the chain) before the engine's per-transition time settles (measured:
// 4–8 ms per chain run for the first 5, ~0.4 ms from the 20th); with 2 warm-up runs the first workload measured mostly
// compilation. Both candidates get the same warm-up.
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10)

/** Median ms of each candidate's runs; candidates take turns round by round so background noise hits them alike. */
async function timeTogether(
  rounds: number,
  candidates: Record<string, () => Promise<void>>,
  warmup = WARMUP,
): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {}
  for (let round = -warmup; round < rounds; round++) {
    for (const [name, once] of Object.entries(candidates)) {
      const start = performance.now()
      await once()
      if (round >= 0) (samples[name] ??= []).push(performance.now() - start)
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, ms]) => [name, median(ms)]))
}

/** One engine per store, reused across rounds (as aws-local-stepfunctions reuses its StateMachine): validation once. */
function ctflowRun(definition: unknown, input: unknown, store: RunStore): () => Promise<void> {
  const engine = createEngine({ store, workflows: { w: definition as WorkflowDefinition } })
  return async () => {
    const { run } = await engine.start({ workflow: 'w', input })
    const done = await engine.runToEnd(run.id)
    if (done.status !== 'SUCCEEDED') throw new Error(`ctflow run ${done.status}: ${done.error?.cause}`)
  }
}

/**
 * The interpreter alone: step() through the whole run as the runner does (a lone frame up to 100 states per step), its
 * history events made and dropped — no runner, no store. Where a workload's time goes, next to the engine's row.
 */
function interpreterOnly(definition: unknown, input: unknown): () => Promise<void> {
  const workflow = definition as WorkflowDefinition
  return async () => {
    const now = Date.now()
    const machine = createMachine(workflow.StartAt, input, now)
    const execution = { runId: 'bench', workflowName: 'w', input, startTime: new Date(now).toISOString() }
    while (machine.status === 'running') {
      const { runnable } = step(workflow, machine, {
        now: Date.now(),
        random: Math.random,
        execution,
        maxTransitions: 100,
      })
      if (!runnable && machine.status === 'running') throw new Error('interpreter-only run stalled')
    }
    if (machine.status !== 'succeeded') throw new Error(`interpreter-only run ${machine.status}`)
  }
}

export async function run(): Promise<BenchReport> {
  const { StateMachine } = await loadAwsLocalStepFunctions()
  const rows: BenchRow[] = []
  const dir = mkdtempSync(join(tmpdir(), 'ctflow-engine-bench-'))
  try {
    let n = 0
    for (const workload of workloads) {
      const perTransition = (ms: number) => (ms * 1000) / workload.transitions
      const machine = new StateMachine(workload.definition as never, {
        validationOptions: { checkArn: false, checkPaths: false },
      })
      const warm = await timeTogether(ROUNDS, {
        memory: ctflowRun(workload.definition, workload.input, createMemoryStore()),
        awsLocal: async () => void (await machine.run(workload.input as never).result),
      })
      const memory = perTransition(warm.memory!)
      const awsLocal = perTransition(warm.awsLocal!)
      const fileStore = createFileStore(join(dir, `s${n++}`))
      const file = perTransition(
        (await timeTogether(3, { file: ctflowRun(workload.definition, workload.input, fileStore) }, 2)).file!,
      )
      await fileStore.close()
      const alone = perTransition(
        (await timeTogether(ROUNDS, { alone: interpreterOnly(workload.definition, workload.input) })).alone!,
      )
      rows.push({
        name: `${workload.name}, memory store`,
        median: memory,
        unit: 'µs/transition',
        ratio: { against: 'aws-local-stepfunctions (faster by)', value: awsLocal / memory },
        target: '≥ 10× faster than aws-local-stepfunctions',
        pass: awsLocal / memory >= 10,
      })
      rows.push({
        name: `${workload.name}, file store`,
        median: file,
        unit: 'µs/transition',
        ratio: { against: 'aws-local-stepfunctions (faster by)', value: awsLocal / file },
      })
      rows.push({ name: `${workload.name}, aws-local-stepfunctions 3.0.0`, median: awsLocal, unit: 'µs/transition' })
      rows.push({
        name: `${workload.name}, ctflow interpreter alone (events made, not stored; no runner)`,
        median: alone,
        unit: 'µs/transition',
        ratio: { against: 'aws-local-stepfunctions (faster by)', value: awsLocal / alone },
      })
    }
    rows.push(...stringMatches(), ...payloadMeasure())
    rows.push(...(await coldRuns(dir)))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return {
    area: 'engine',
    rows,
    notes: [
      `median of ${ROUNDS} runs after ${WARMUP} warm-up runs (BENCH_ROUNDS, BENCH_WARMUP), ctflow (memory) and aws-local-stepfunctions taking turns (file store: 3 runs after 2 warm-ups); a transition is one state executed; ctflow records 2 history events per transition and saves them with the machine (pure transitions batched up to the next side effect, see lib/engine/ARCHITECTURE.md)`,
      'cold run: esbuild bundle (like dist/), new node process each time, median of 5; "in-process" is from process start to run done, "wall" includes node startup; environment without NODE_EXTRA_CA_CERTS (see coldRuns), rows with the inherited one follow',
    ],
  }
}

/** Median ms of `once()` over `rounds` runs after one warm-up. */
function timeSync(once: () => unknown, rounds = 9): number {
  const samples: number[] = []
  for (let round = -1; round < rounds; round++) {
    const start = performance.now()
    once()
    if (round >= 0) samples.push(performance.now() - start)
  }
  return median(samples)
}

/**
 * StringMatches in a Choice rule, the case that blocked a process for 24 s with the backtracking regex ctflow used
 * before (`*-*.log` against 250,000 dashes: quadratic). The matcher is linear by construction (lib/engine/language/
 * wildcard.ts); the regex is timed at a tenth of the size (0.24 s there) to show the shape, not at full size.
 */
export function stringMatches(): BenchRow[] {
  const rule = (pattern: string) => ({ Variable: '$.name', StringMatches: pattern, Next: 'x' })
  const match = (pattern: string, text: string) => () => {
    if (evaluateChoiceRule(rule(pattern), { name: text }, emptyContextObject) !== false)
      throw new Error('expected no match')
  }
  const dashes = '-'.repeat(250_000)
  const tenth = '-'.repeat(25_000)
  const regex = (text: string) => () => {
    if (/^[\s\S]*-[\s\S]*\.log$/.test(text)) throw new Error('expected no match')
  }
  // The case a backtracking regex took 24 s on, where the last piece (".log") already decides; then cases where a middle piece is searched
  // through the whole text (KMP), at 25,000 and 250,000 characters: linear means 10× the time for 10× the text.
  const backtracking = timeSync(match('*-*.log', dashes))
  const scanTenth = timeSync(match('*-x*.log', `${tenth}.log`))
  const scan = timeSync(match('*-x*.log', `${dashes}.log`))
  const stars = timeSync(match(`${'*-'.repeat(200)}*x*`, dashes))
  const regexTenth = timeSync(regex(tenth), 3)
  return [
    {
      name: 'StringMatches "*-*.log" against 250,000 dashes (no match; before: 24 s)',
      median: backtracking,
      unit: 'ms',
    },
    {
      name: 'StringMatches "*-x*.log" against 250,000 dashes + ".log" (the middle piece searched through all of it)',
      median: scan,
      unit: 'ms',
      target: 'linear: ≈ 10× the 25,000-character time, not 100×',
      pass: scan < 20 * scanTenth,
    },
    { name: 'StringMatches "*-x*.log" against 25,000 dashes + ".log"', median: scanTenth, unit: 'ms' },
    { name: 'StringMatches with 201 stars ("*-*-…*-*x*") against 250,000 dashes', median: stars, unit: 'ms' },
    {
      name: 'the backtracking regex it replaced, "*-*.log" against 25,000 dashes',
      median: regexTenth,
      unit: 'ms',
      ratio: { against: 'StringMatches searching 25,000 characters (slower by)', value: regexTenth / scanTenth },
    },
  ]
}

/** What the payload limit costs per state: measuring a state's output as JSON, against JSON.stringify of it. */
export function payloadMeasure(): BenchRow[] {
  const payload = {
    items: Array.from({ length: 2_000 }, (_, i) => ({ id: `disk-${i}`, sizeGB: i, tags: ['a', 'b'], region: '华东1' })),
  }
  const measured = timeSync(() => {
    for (let i = 0; i < 20; i++) measureJson({ ...payload }, 10_000_000) // a fresh wrapper: not the cache's
  })
  const stringified = timeSync(() => {
    for (let i = 0; i < 20; i++) Buffer.byteLength(JSON.stringify({ ...payload }))
  })
  const bytes = measureJson(payload, Number.MAX_SAFE_INTEGER).bytes
  return [
    {
      name: `payload limit check: measureJson of a ${Math.round(bytes / 1024)} KiB state output`,
      median: (measured * 1000) / 20,
      unit: 'µs',
      ratio: { against: 'Buffer.byteLength(JSON.stringify(…)) (faster by)', value: stringified / measured },
    },
  ]
}

async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [new URL(entry, import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  })
}

async function coldRuns(dir: string): Promise<BenchRow[]> {
  const bundles: Record<string, string> = {
    ctflow: join(dir, 'cold-ctflow.mjs'),
    'aws-local-stepfunctions': join(dir, 'cold-aws-local.mjs'),
  }
  await bundle('./engine-cold.child.ts', bundles.ctflow!)
  await bundle('./engine-cold-aws-local.child.ts', bundles['aws-local-stepfunctions']!)
  const chain = join(dir, 'chain.json')
  writeFileSync(chain, JSON.stringify(passChain()))
  // A process that only prints: what node itself costs on this machine right now (the box is shared and loaded).
  bundles.empty = join(dir, 'empty.mjs')
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a script, whose own template literal this is
  writeFileSync(bundles.empty, 'process.stdout.write(`${performance.now()}\\n`)\n')
  // This machine's environment sets NODE_EXTRA_CA_CERTS: node then reads and parses that CA bundle while it boots,
  // ~40–60 ms before any script runs (measured: an empty process 23–35 ms without, 62–95 ms with). That is a property
  // of this machine, not of ctflow (nothing in a cold run uses TLS), so the target is judged without it; the numbers
  // with the inherited environment are reported too.
  const clean = { ...process.env }
  delete clean.NODE_EXTRA_CA_CERTS
  const time = (engine: string, env: NodeJS.ProcessEnv) => {
    const inProcess: number[] = []
    const wall: number[] = []
    for (let i = 0; i < 5; i++) {
      const start = performance.now()
      const out = execFileSync(process.execPath, [bundles[engine]!, chain], { encoding: 'utf8', env })
      wall.push(performance.now() - start)
      inProcess.push(Number(out.trim()))
    }
    return { inProcess: median(inProcess), wall: median(wall) }
  }
  const empty = time('empty', clean)
  const ours = time('ctflow', clean)
  const theirs = time('aws-local-stepfunctions', clean)
  const inherited =
    process.env.NODE_EXTRA_CA_CERTS === undefined
      ? undefined
      : { empty: time('empty', process.env), ours: time('ctflow', process.env) }
  const rows: BenchRow[] = [
    {
      name: 'cold run (load, validate, 1,000-state chain), ctflow, in-process',
      median: ours.inProcess,
      unit: 'ms',
      target: '< 100 ms',
      pass: ours.inProcess < 100,
      ratio: { against: 'aws-local-stepfunctions (faster by)', value: theirs.inProcess / ours.inProcess },
    },
    {
      name: 'cold run, ctflow, in-process minus an empty node process',
      median: ours.inProcess - empty.inProcess,
      unit: 'ms',
    },
    { name: 'cold run, ctflow, wall incl. node startup', median: ours.wall, unit: 'ms' },
    { name: 'empty node process (baseline), in-process', median: empty.inProcess, unit: 'ms' },
    { name: 'cold run, aws-local-stepfunctions 3.0.0, in-process', median: theirs.inProcess, unit: 'ms' },
    { name: 'cold run, aws-local-stepfunctions 3.0.0, wall incl. node startup', median: theirs.wall, unit: 'ms' },
  ]
  if (inherited) {
    rows.push({
      name: "cold run, ctflow, in-process, with this machine's NODE_EXTRA_CA_CERTS",
      median: inherited.ours.inProcess,
      unit: 'ms',
    })
    rows.push({
      name: "empty node process, in-process, with this machine's NODE_EXTRA_CA_CERTS",
      median: inherited.empty.inProcess,
      unit: 'ms',
    })
  }
  return rows
}
