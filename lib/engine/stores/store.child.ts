// A worker process for the file and PostgreSQL store tests: proves leases hold between processes on one store.
// Usage: node --import tsx store.child.ts <CTFLOW_STORE value> <mode> <owner> [schema]
//   count: 30 × (acquire run "counter" → save → release); prints nothing
//   claim: claimDue until nothing is due, saving each claimed run once; prints the claimed ids as JSON
import { openStore } from './open-store'

const [setting, mode, owner, schema] = process.argv.slice(2) as [string, string, string, string | undefined]
const store = await openStore(setting, { poolMax: 1, ...(schema ? { schema } : {}) })
const now = () => new Date('2026-03-01T00:00:10.000Z')
const options = { owner, leaseMs: 60_000, now: now() }

if (mode === 'count') {
  for (let done = 0; done < 30; ) {
    const lease = await store.acquire('counter', options)
    if (!lease) continue
    const run = (await store.get('counter'))!
    const count = (run.machine as { count: number }).count
    await store.save(lease, {
      status: 'RUNNING',
      machine: { count: count + 1 },
      resumeAt: null,
      now: now(),
      events: [{ at: now().toISOString(), type: 'Counted', detail: owner }],
    })
    await store.release(lease)
    done++
  }
} else if (mode === 'claim') {
  const claimed: string[] = []
  for (;;) {
    const leases = await store.claimDue({ ...options, limit: 3 })
    if (leases.length === 0) break
    for (const lease of leases) {
      await store.save(lease, {
        status: 'SUCCEEDED',
        machine: null,
        resumeAt: null,
        output: owner,
        now: now(),
        events: [],
      })
      claimed.push(lease.runId)
    }
  }
  process.stdout.write(JSON.stringify(claimed))
}
await store.close()
