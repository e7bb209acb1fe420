import { describe, expect, it } from 'vitest'
import { createLogger } from './create-logger'
import { createLogContext, findAsyncLocalStorage } from './log-context'

function capture() {
  const lines: string[] = []
  return { lines, write: (line: string) => lines.push(line), parsed: () => lines.map((l) => JSON.parse(l)) }
}

describe('createLogger', () => {
  it('writes one JSON object per line with level, time and msg first, then the fields', () => {
    const out = capture()
    const log = createLogger({ write: out.write, now: () => Date.UTC(2026, 11, 5, 6, 0, 0) })
    log.info('run started', { runId: 'r-1', workflow: 'inventory' })
    expect(out.lines).toEqual([
      '{"level":"info","time":"2026-12-05T06:00:00.000Z","msg":"run started","runId":"r-1","workflow":"inventory"}',
    ])
  })

  it('drops lines below its level, and writes nothing when silent', () => {
    const out = capture()
    const log = createLogger({ level: 'warn', write: out.write })
    log.debug('d')
    log.info('i')
    log.warn('w')
    log.error('e')
    expect(out.parsed().map((l) => l.level)).toEqual(['warn', 'error'])
    expect(log.isEnabled('info')).toBe(false)
    const silent = capture()
    createLogger({ level: 'silent', write: silent.write }).error('e')
    expect(silent.lines).toEqual([])
  })

  it('masks secrets in the message and the fields', () => {
    const out = capture()
    const log = createLogger({ write: out.write, secrets: ['SK-abcdef1234'] })
    log.error('call failed with SK-abcdef1234', { url: 'https://x/send?access_token=t1', secretKey: 'SK-abcdef1234' })
    expect(out.lines[0]).not.toContain('SK-abcdef1234')
    expect(out.lines[0]).not.toContain('t1')
    expect(out.parsed()[0]).toMatchObject({ msg: 'call failed with ***', secretKey: '***' })
  })

  it("adds a child's fields and the context's scoped fields to every line", async () => {
    const out = capture()
    const context = createLogContext(findAsyncLocalStorage())
    const log = createLogger({ write: out.write, context }).child({ component: 'worker' })
    await context.run({ fields: { awsRequestId: 'req-1' } }, async () => {
      await Promise.resolve()
      log.info('inside')
    })
    log.info('outside')
    expect(out.parsed()).toMatchObject([
      { msg: 'inside', component: 'worker', awsRequestId: 'req-1' },
      { msg: 'outside', component: 'worker' },
    ])
    expect(out.parsed()[1].awsRequestId).toBeUndefined()
  })

  it('never throws when the output fails', () => {
    const log = createLogger({
      write: () => {
        throw new Error('EPIPE')
      },
    })
    expect(() => log.error('lost')).not.toThrow()
  })
})
