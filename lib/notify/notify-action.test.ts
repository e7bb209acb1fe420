import { afterEach, describe, expect, it } from 'vitest'
import { parseNotifyConfig } from '../config'
import { createActionRegistry, type WorkflowDefinition } from '../engine'
import { createEngine } from '../engine/create-engine'
import { createMemoryStore } from '../engine/stores/memory-store'
import { NOTIFY_RESOURCE, registerLazyNotifyAction } from './notify-resource'
import { startFakeRobot, type FakeRobot } from './testing/fake-robots'

const robots: FakeRobot[] = []
afterEach(async () => {
  await Promise.all(robots.splice(0).map((robot) => robot.close()))
})

const report: WorkflowDefinition = {
  StartAt: 'Tell',
  States: {
    Tell: {
      Type: 'Task',
      Resource: NOTIFY_RESOURCE,
      Parameters: { 'channel.$': '$.channel', title: 'Half way', 'message.$': '$.summary' },
      End: true,
    },
  },
}

async function setup() {
  const robot = await startFakeRobot('wecom')
  robots.push(robot)
  const channels = parseNotifyConfig(JSON.stringify([{ type: 'wecom', url: robot.url, name: 'ops' }]))
  const actions = createActionRegistry()
  registerLazyNotifyAction(actions, channels, { publicUrl: 'https://ctflow.example.com' })
  const engine = createEngine({ store: createMemoryStore(), actions, workflows: { report } })
  const run = async (input: unknown) => {
    const { run } = await engine.start({ workflow: 'report', input })
    return engine.runToEnd(run.id)
  }
  return { robot, run }
}

describe('ctflow:notify, a Task that reports in the middle of a run', () => {
  it('sends the message from the state input to the channel named, and returns what the robot answered', async () => {
    const { robot, run } = await setup()
    const done = await run({ channel: 'ops', summary: '3 of 8 disks snapshotted' })

    expect(done.status).toBe('SUCCEEDED')
    expect(done.output).toEqual({
      sent: [{ channel: expect.stringMatching(/^#0 wecom \(ops\) /), answer: 'errcode 0 ok' }],
    })
    const content = (robot.accepted[0]!.json.markdown as { content: string }).content
    expect(content).toContain('Half way')
    expect(content).toContain('3 of 8 disks snapshotted')
    expect(content).toContain(`https://ctflow.example.com/runs/${done.id}`)
  })

  it('fails the Task with Notify.InvalidInput for a channel that does not exist, and Notify.DeliveryFailed for a refusal', async () => {
    const { robot, run } = await setup()
    const unknown = await run({ channel: 3, summary: 'x' })
    expect(unknown.error).toEqual({
      error: 'Notify.InvalidInput',
      cause: '"channel": no channel 3 (positions 0–0 or names ops)',
    })

    robot.down = true
    const down = await run({ channel: 0, summary: 'x' })
    expect(down.error?.error).toBe('Notify.DeliveryFailed')
    expect(down.error?.cause).toMatch(/HTTP 503/)
    expect(down.error?.cause).not.toContain(robot.token)
  })
})
