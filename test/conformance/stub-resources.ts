/**
 * The Task resources conformance cases may name. Both engines run them through `createStubHost`: ours registers
 * them in its action registry, aws-local-stepfunctions gets one local handler per Task state. Keep this table
 * the single description of what they do — case expectations are written against it.
 */
export const stubResourceTable = {
  'test:echo': 'returns its input',
  'test:fail:<Error>': 'fails with error <Error> and cause "<resource> failed as asked"',
  'test:failTimes:<n>:<Error>':
    'calls 1..n (counted per run and state) fail like test:fail:<Error>; later calls return { "attempts": <calls so far>, "input": <input> }',
  'test:sleep:<ms>':
    'returns its input after <ms> ms of real time; stops early (with an abort error) when the engine aborts the call',
} as const

export type StubSpec =
  | { kind: 'echo' }
  | { kind: 'fail'; error: string }
  | { kind: 'failTimes'; times: number; error: string }
  | { kind: 'sleep'; ms: number }

/** Parses a stub resource name; undefined when the name is not one of the table's forms. */
export function parseStubResource(resource: string): StubSpec | undefined {
  if (resource === 'test:echo') return { kind: 'echo' }
  let match = /^test:fail:([A-Za-z][\w.]*)$/.exec(resource)
  if (match) return { kind: 'fail', error: match[1]! }
  match = /^test:failTimes:(\d+):([A-Za-z][\w.]*)$/.exec(resource)
  if (match) return { kind: 'failTimes', times: Number(match[1]), error: match[2]! }
  match = /^test:sleep:(\d+)$/.exec(resource)
  if (match) return { kind: 'sleep', ms: Number(match[1]) }
  return undefined
}

/** What a stub throws: the error's `name` is the ASL error (as for a Lambda function's errorType). */
export class StubTaskError extends Error {
  constructor(error: string, cause: string) {
    super(cause)
    this.name = error
  }
}

export function stubFailureCause(resource: string): string {
  return `${resource} failed as asked`
}

export interface StubHost {
  /**
   * Runs a stub. `callKey` identifies "this run, this state" so failTimes counts the calls of one Task across retries
   * (and across re-runs of a Parallel/Map branch), never across runs.
   */
  invoke(resource: string, input: unknown, callKey: string, signal?: AbortSignal): Promise<unknown>
}

export function createStubHost(): StubHost {
  const calls = new Map<string, number>()
  return {
    async invoke(resource, input, callKey, signal) {
      const spec = parseStubResource(resource)
      if (!spec) throw new StubTaskError('Test.UnknownStub', `${resource} is not in stubResourceTable`)
      switch (spec.kind) {
        case 'echo':
          return input
        case 'fail':
          throw new StubTaskError(spec.error, stubFailureCause(resource))
        case 'failTimes': {
          const key = `${callKey}\u0000${resource}`
          const attempts = (calls.get(key) ?? 0) + 1
          calls.set(key, attempts)
          if (attempts <= spec.times) throw new StubTaskError(spec.error, stubFailureCause(resource))
          return { attempts, input }
        }
        case 'sleep':
          await sleep(spec.ms, signal)
          return input
      }
    },
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new StubTaskError('Test.Aborted', 'aborted before sleeping'))
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(new StubTaskError('Test.Aborted', 'aborted while sleeping'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
