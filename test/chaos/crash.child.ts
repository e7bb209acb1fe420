/**
 * The process the crash test SIGKILLs: runs (or resumes) one workflow against the simulator at CRASH_SIM_URL with a
 * file store at CRASH_STORE. Prints `run <id>`, one `save <n>` line per saved transition (of the run or of its child
 * runs, CRASH_MAP_MODE=DISTRIBUTED), and `done <json>` at the end.
 */
import { createCtyunClient } from '../../lib/ctyun'
import { registerCtyunActions } from '../../lib/ctyun-actions'
import { createActionRegistry, type WorkflowDefinition } from '../../lib/engine'
import { createEngine } from '../../lib/engine/create-engine'
import { createFileStore } from '../../lib/engine/stores/file-store'
import { registerJobActions } from '../../lib/jobs/job-actions'
import { jobActionServices } from '../../lib/jobs/register-product-actions'
import { DEMO_CREDENTIALS } from '../../lib/simulator'
import drCopy from '../../workflows/dr-copy.json'

// The calls that change the cloud (reads over POST, like the order query, do not count).
const WRITE_PATH = /\/(create-ebs-snap|eip\/create|create-image-ebs|cross-region-copy|image\/delete)$/

export const CRASH_REGION = 'bb9fdb42056f11eda1610242ac110002'

/** The crash workflow with its Map INLINE (items as frames of the run) or DISTRIBUTED (each item a child run). */
export function crashWorkflowFor(mode: 'INLINE' | 'DISTRIBUTED'): WorkflowDefinition {
  if (mode === 'INLINE') return crashWorkflow
  const workflow = structuredClone(crashWorkflow)
  const map = workflow.States.Snapshots!
  map.ItemProcessor = { ...map.ItemProcessor!, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } }
  return workflow
}

export const crashWorkflow: WorkflowDefinition = {
  StartAt: 'Disks',
  States: {
    Disks: {
      Type: 'Task',
      Resource: 'ctyun:ebs:listDisks',
      Parameters: { regionID: CRASH_REGION },
      ResultSelector: { 'ids.$': '$[0:2].diskID' },
      ResultPath: '$.disks',
      Next: 'Snapshots',
    },
    Snapshots: {
      Type: 'Map',
      ItemsPath: '$.disks.ids',
      MaxConcurrency: 1,
      ItemSelector: { 'diskID.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' },
      ItemProcessor: {
        StartAt: 'Snap',
        States: {
          Snap: {
            Type: 'Task',
            Resource: 'ctyun:ebs:createSnapshot.sync',
            Parameters: {
              regionID: CRASH_REGION,
              'diskID.$': '$.diskID',
              'snapshotName.$': "States.Format('crash-{}', $.i)",
              retentionPolicy: 'custom',
              retentionTime: 1,
            },
            ResultSelector: { 'id.$': '$.snapshotID', 'status.$': '$.snapshotStatus' },
            End: true,
          },
        },
      },
      ResultPath: '$.snapshots',
      Next: 'Pause',
    },
    Pause: { Type: 'Wait', Seconds: 1, Next: 'Eip' },
    Eip: {
      Type: 'Task',
      Resource: 'ctyun:eip:createEip.sync',
      Parameters: { regionID: CRASH_REGION, name: 'crash-eip', cycleType: 'on_demand', bandwidth: 5 },
      ResultPath: '$.eip',
      Next: 'Done',
    },
    Done: {
      Type: 'Pass',
      Parameters: { 'disks.$': '$.disks.ids', 'snapshots.$': '$.snapshots', 'eip.$': '$.eip.eipID' },
      End: true,
    },
  },
}

async function main(): Promise<void> {
  const { CRASH_STORE, CRASH_SIM_URL, CRASH_RUN_ID } = process.env
  if (!CRASH_STORE || !CRASH_SIM_URL) throw new Error('CRASH_STORE and CRASH_SIM_URL are required')
  const store = createFileStore(CRASH_STORE)
  // CRASH_KILL_AFTER_WRITE=n: die right after the n-th create call got its reply — the side effect happened, its result is
  // not saved yet: the worst moment to crash.
  const killAfterWrite = Number(process.env.CRASH_KILL_AFTER_WRITE ?? 0)
  let writes = 0
  const fetchThenMaybeDie: typeof fetch = async (input, init) => {
    const response = await fetch(input, init)
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (killAfterWrite > 0 && WRITE_PATH.test(new URL(url).pathname) && ++writes === killAfterWrite) {
      await response.clone().text()
      process.kill(process.pid, 'SIGKILL')
    }
    return response
  }
  const client = createCtyunClient({ endpoint: CRASH_SIM_URL, credentials: DEMO_CREDENTIALS, fetch: fetchThenMaybeDie })
  const actions = registerCtyunActions(createActionRegistry(), client, { pollDelayMs: () => 50 })
  // CRASH_WORKFLOW=dr-copy: the shipped dr-copy job instead (its ctflow:* steps too), input from CRASH_INPUT.
  const drCopyJob = process.env.CRASH_WORKFLOW === 'dr-copy'
  if (drCopyJob) registerJobActions(actions, { ...jobActionServices(client), now: Date.now })
  let saves = 0
  const engine = createEngine({
    store,
    actions,
    workflows: drCopyJob
      ? { crash: drCopy as unknown as WorkflowDefinition }
      : { crash: crashWorkflowFor(process.env.CRASH_MAP_MODE === 'DISTRIBUTED' ? 'DISTRIBUTED' : 'INLINE') },
    // Short leases: the next process takes over soon after a kill.
    leaseMs: 300,
    onEvents: () => void process.stdout.write(`save ${++saves}\n`),
  })
  const id =
    CRASH_RUN_ID ??
    (await engine.start({ workflow: 'crash', input: JSON.parse(process.env.CRASH_INPUT ?? '{}') })).run.id
  process.stdout.write(`run ${id}\n`)
  const run = await engine.runToEnd(id)
  process.stdout.write(`done ${JSON.stringify({ status: run.status, output: run.output, error: run.error })}\n`)
  await store.close()
}

if (process.env.CRASH_STORE) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`)
    process.exit(3)
  })
}
