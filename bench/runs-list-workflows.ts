import type { WorkflowDefinition } from '../lib/engine/interpreter/definition'

export const BENCH_API_TOKEN = 'bench-token'

/**
 * The workflow the listing bench seeds runs of: a few states and a small output, failing when the input says so, so
 * the store holds finished runs of several statuses with a real history, as a busy deployment's would.
 */
export const BENCH_WORKFLOWS: Record<string, WorkflowDefinition> = {
  'bench-job': {
    StartAt: 'Check',
    States: {
      Check: {
        Type: 'Choice',
        Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Broken' }],
        Default: 'Work',
      },
      Work: { Type: 'Pass', Parameters: { 'disks.$': '$.disks', report: { ok: true, snapshots: 3 } }, Next: 'Done' },
      Done: { Type: 'Succeed' },
      Broken: { Type: 'Fail', Error: 'Bench.Failed', Cause: 'the input asked for a failure' },
    },
  } as WorkflowDefinition,
}
