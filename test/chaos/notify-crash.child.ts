// A notification sender that is SIGKILLed between sending and marking: it delivers the outbox of the file store at
// CTFLOW_STORE to CTFLOW_NOTIFY's channels one at a time and, at the second notification, prints `between <id>` after
// the robot answered and before marking it sent, then waits for the parent's SIGKILL.
import { parseNotifyConfig } from '../../lib/config'
import { openStore } from '../../lib/engine/stores'
import { createNotificationSender } from '../../lib/notify/outbox-sender'

const store = await openStore(process.env.CTFLOW_STORE!)
let settles = 0
const stalling = {
  ...store,
  async settleOutbox(...args: Parameters<typeof store.settleOutbox>) {
    settles += 1
    if (settles === 2) {
      process.stdout.write(`between ${args[0].runId}.${args[0].id}\n`)
      await new Promise(() => {}) // the parent kills us here
    }
    return store.settleOutbox(...args)
  },
}
const sender = createNotificationSender({
  store: stalling,
  channels: parseNotifyConfig(process.env.CTFLOW_NOTIFY),
  owner: `child-${process.pid}`,
  batch: 1,
  claimMs: Number(process.env.CLAIM_MS),
})
await sender.deliverPending()
process.stdout.write('done\n')
