import { describe, expect, it } from 'vitest'
import { runWorkflow } from '../testing/run-workflow'

// Conformance cases written from the AWS Step Functions documentation (state types, input/output processing).
const cases: Array<{
  name: string
  definition: unknown
  input: unknown
  output?: unknown
  error?: { error: string; cause?: RegExp }
}> = [
  {
    name: 'Pass with Result and ResultPath merges into the input',
    definition: { StartAt: 'P', States: { P: { Type: 'Pass', Result: { x: 1 }, ResultPath: '$.r', End: true } } },
    input: { a: 1 },
    output: { a: 1, r: { x: 1 } },
  },
  {
    name: 'Pass with InputPath, Parameters and OutputPath',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Pass',
          InputPath: '$.in',
          Parameters: { 'v.$': '$.v', 'n.$': '$$.State.Name', k: 'c' },
          OutputPath: '$',
          End: true,
        },
      },
    },
    input: { in: { v: 7 } },
    output: { v: 7, n: 'P', k: 'c' },
  },
  {
    name: 'ResultPath null passes the input through',
    definition: {
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: 1, ResultPath: null, Next: 'S' }, S: { Type: 'Succeed' } },
    },
    input: { a: 1 },
    output: { a: 1 },
  },
  {
    name: 'Choice picks the first matching rule, else Default',
    definition: {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 10, Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Pass', Result: 'big', End: true },
        Small: { Type: 'Pass', Result: 'small', End: true },
      },
    },
    input: { n: 3 },
    output: 'small',
  },
  {
    name: 'Choice with no match and no Default fails with States.NoChoiceMatched',
    definition: {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'E' }] },
        E: { Type: 'Succeed' },
      },
    },
    input: { n: 3 },
    error: { error: 'States.NoChoiceMatched', cause: /state "C"/ },
  },
  {
    name: 'a Choice loop counts to 5',
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Result: 0, ResultPath: '$.i', Next: 'Check' },
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.i', NumericGreaterThanEquals: 5, Next: 'Done' }],
          Default: 'Inc',
        },
        Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Check' },
        Done: { Type: 'Succeed' },
      },
    },
    input: {},
    output: { i: 5 },
  },
  {
    name: 'Fail with Error and Cause',
    definition: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'My.Error', Cause: 'because' } } },
    input: {},
    error: { error: 'My.Error', cause: /because/ },
  },
  {
    name: 'Fail with ErrorPath and CausePath',
    definition: { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' } } },
    input: { e: 'E1', c: 'C1' },
    error: { error: 'E1', cause: /C1/ },
  },
  {
    name: 'a runtime path that matches nothing is States.Runtime naming the state and path',
    definition: { StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$.missing', End: true } } },
    input: {},
    error: { error: 'States.Runtime', cause: /\$\.missing.*"P"|"P".*\$\.missing/ },
  },
  {
    name: 'Wait Seconds then continues with the input',
    definition: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, Next: 'S' }, S: { Type: 'Succeed' } } },
    input: { a: 1 },
    output: { a: 1 },
  },
  {
    name: 'Parallel gives each branch the input and collects results in branch order',
    definition: {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'A',
              States: {
                A: { Type: 'Wait', Seconds: 5, Next: 'A2' },
                A2: { Type: 'Pass', Parameters: { 'a.$': '$.x' }, End: true },
              },
            },
            { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } },
          ],
          ResultSelector: { 'first.$': '$[0]', 'second.$': '$[1]' },
          ResultPath: '$.par',
          End: true,
        },
      },
    },
    input: { x: 1 },
    output: { x: 1, par: { first: { a: 1 }, second: 'b' } },
  },
  {
    name: 'Map with ItemsPath, ItemSelector, MaxConcurrency keeps item order',
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 2,
          ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index', 'k.$': '$.k' },
          ItemProcessor: {
            StartAt: 'Twice',
            States: {
              Twice: { Type: 'Pass', Parameters: { 'r.$': 'States.MathAdd($.v, $.i)', 'k.$': '$.k' }, End: true },
            },
          },
          ResultPath: '$.out',
          End: true,
        },
      },
    },
    input: { items: [10, 20, 30, 40, 50], k: 'K' },
    output: {
      items: [10, 20, 30, 40, 50],
      k: 'K',
      out: [
        { r: 10, k: 'K' },
        { r: 21, k: 'K' },
        { r: 32, k: 'K' },
        { r: 43, k: 'K' },
        { r: 54, k: 'K' },
      ],
    },
  },
  {
    name: 'Map with the legacy Iterator and Parameters',
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          Parameters: { 'v.$': '$$.Map.Item.Value' },
          Iterator: { StartAt: 'P', States: { P: { Type: 'Pass', OutputPath: '$.v', End: true } } },
          End: true,
        },
      },
    },
    input: ['a', 'b'],
    output: ['a', 'b'],
  },
  {
    name: 'Map over an empty array returns an empty array',
    definition: {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true },
      },
    },
    input: [],
    output: [],
  },
  {
    name: 'ItemsPath that is not an array is States.Runtime',
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.x',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    },
    input: { x: 3 },
    error: { error: 'States.Runtime', cause: /not an array.*"M"/ },
  },
  {
    name: 'a failing Map iteration fails the Map; its Catch takes the error',
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'C',
            States: {
              C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Boom' }], Default: 'Ok' },
              Boom: { Type: 'Fail', Error: 'Item.Bad', Cause: 'two' },
              Ok: { Type: 'Succeed' },
            },
          },
          Catch: [{ ErrorEquals: ['Item.Bad'], ResultPath: '$.err', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    },
    input: { items: [1, 2, 3] },
    output: { items: [1, 2, 3], err: { Error: 'Item.Bad', Cause: 'two' } },
  },
  {
    name: 'States.BranchFailed catches a failed Parallel branch',
    definition: {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'X' } } }],
          Catch: [{ ErrorEquals: ['States.BranchFailed'], Next: 'H' }],
          End: true,
        },
        H: { Type: 'Pass', End: true },
      },
    },
    input: {},
    output: { Error: 'X', Cause: '' },
  },
  {
    name: 'Workflow TimeoutSeconds times the run out',
    definition: { StartAt: 'W', TimeoutSeconds: 10, States: { W: { Type: 'Wait', Seconds: 60, End: true } } },
    input: {},
    error: { error: 'States.Timeout' },
  },
]

describe('interpreter conformance (AWS Step Functions semantics)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { run } = await runWorkflow(c.definition, c.input)
      if (c.error) {
        expect(run.status === 'FAILED' || run.status === 'TIMED_OUT').toBe(true)
        expect(run.error?.error).toBe(c.error.error)
        if (c.error.cause) expect(run.error?.cause).toMatch(c.error.cause)
      } else {
        expect(run.error).toBeUndefined()
        expect(run.status).toBe('SUCCEEDED')
        expect(run.output).toEqual(c.output)
      }
    })
  }

  it('a Wait records its sleep on the clock instead of holding the test', async () => {
    const { clock, run } = await runWorkflow(
      { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, End: true } } },
      {},
    )
    expect(run.status).toBe('SUCCEEDED')
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(30_000)
  })

  it('TimestampPath waits until the timestamp', async () => {
    const { clock } = await runWorkflow(
      { StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.t', End: true } } },
      { t: '2026-01-01T00:10:00Z' },
    )
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(600_000)
  })

  it('writes history in Step Functions vocabulary', async () => {
    const { history } = await runWorkflow(
      { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'S' }, S: { Type: 'Succeed' } } },
      {},
    )
    expect(history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ])
    expect(history.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6])
  })
})

describe('injected randomness', () => {
  it('States.UUID and States.MathRandom use the engine random, so runs are reproducible', async () => {
    const definition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Parameters: { 'id.$': 'States.UUID()', 'n.$': 'States.MathRandom(1, 1000)' }, End: true },
      },
    }
    const a = await runWorkflow(definition, {}, { random: () => 0.25 })
    const b = await runWorkflow(definition, {}, { random: () => 0.25 })
    expect(a.run.output).toEqual(b.run.output)
    expect((a.run.output as { n: number }).n).toBe(250)
  })
})
