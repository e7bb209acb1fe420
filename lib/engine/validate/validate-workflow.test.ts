import { describe, expect, it } from 'vitest'
import { validateWorkflow, type Problem } from './validate-workflow'
import { formatProblem } from './problem'
import { validWorkflows } from './fixtures/valid-workflows'

const options = { isKnownResource: (resource: string) => resource.startsWith('ctyun:') }
const validate = (definition: unknown) => validateWorkflow(definition, options)
const pointers = (problems: Problem[]) => problems.map((problem) => problem.pointer)

describe('validateWorkflow', () => {
  it.each(Object.entries(validWorkflows))('accepts a valid workflow: %s', (_name, definition) => {
    expect(validate(definition)).toEqual([])
  })

  it('rejects a non-object document and missing StartAt/States', () => {
    expect(pointers(validate([]))).toEqual([''])
    expect(pointers(validate({}))).toEqual(['/States', '/StartAt'])
    expect(validate({ StartAt: 'X', States: {} })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/States', message: 'must contain at least one state' }),
      ]),
    )
  })

  it('lists every problem with the state and the JSON pointer, not just the first', () => {
    const problems = validate({
      StartAt: 'Frist',
      States: {
        First: { Type: 'Pass', Next: 'Secnod', Reslt: 1 },
        Second: { Type: 'Task', Resource: 'arn:aws:lambda:x', Next: 'First', End: true },
        Lost: { Type: 'Succeed' },
        Bad: { Type: 'Sleep' },
      },
    })
    expect(problems).toEqual(
      expect.arrayContaining([
        { pointer: '/StartAt', message: 'names no state in States: "Frist" (did you mean "First"?)' },
        {
          pointer: '/States/First/Next',
          state: 'First',
          message: 'names no state in this scope: "Secnod" (did you mean "Second"?)',
        },
        { pointer: '/States/First/Reslt', state: 'First', message: 'is not a field of a Pass state' },
        { pointer: '/States/Second', state: 'Second', message: 'has both "Next" and "End"; use one' },
        {
          pointer: '/States/Second/Resource',
          state: 'Second',
          message: 'unknown resource "arn:aws:lambda:x": no action is registered under this name',
        },
        expect.objectContaining({ pointer: '/States/Bad/Type', state: 'Bad' }),
      ]),
    )
  })

  it('finds unreachable states and scopes without a terminal state', () => {
    const problems = validate({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' }, Orphan: { Type: 'Pass', Next: 'A' } },
    })
    expect(problems).toEqual([
      { pointer: '/States', message: 'no terminal state: at least one state needs "End": true or Type Succeed/Fail' },
      { pointer: '/States/Orphan', state: 'Orphan', message: 'unreachable: no path leads here from StartAt "A"' },
    ])
  })

  it('counts Choice, Default and Catch targets as transitions', () => {
    const problems = validate({
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', BooleanEquals: true, Next: 'T' }], Default: 'D' },
        T: { Type: 'Task', Resource: 'ctyun:x:y', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }], End: true },
        D: { Type: 'Succeed' },
        F: { Type: 'Fail', Error: 'E', Cause: 'c' },
      },
    })
    expect(problems).toEqual([])
  })

  it('checks paths, reference paths and payload templates', () => {
    const problems = validate({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Pass',
          InputPath: 'dataset',
          OutputPath: '$.a[',
          ResultPath: '$.items[*]',
          Parameters: {
            'a.$': 'not-a-path',
            nested: { 'b.$': 'States.Formatt(1)' },
            list: [{ 'c.$': 42 }],
            'ok.$': '$.x',
          },
          End: true,
        },
      },
    })
    expect(pointers(problems)).toEqual([
      '/States/P/InputPath',
      '/States/P/OutputPath',
      '/States/P/ResultPath',
      '/States/P/Parameters/a.$',
      '/States/P/Parameters/nested/b.$',
      '/States/P/Parameters/list/0/c.$',
    ])
    expect(problems[0].message).toContain('must start with "$"')
    expect(problems[4].message).toContain('unknown function States.Formatt')
  })

  it('requires payload templates to be JSON objects', () => {
    const problems = validate({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemSelector: [1],
          ResultSelector: 'x',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: 3, End: true } } },
          End: true,
        },
      },
    })
    expect(pointers(problems)).toEqual([
      '/States/M/ResultSelector',
      '/States/M/ItemProcessor/States/P/Parameters',
      '/States/M/ItemSelector',
    ])
    expect(problems[0].message).toBe('must be a JSON object (a payload template), not a string')
  })

  it('rejects a template that yields the same field twice once ".$" is stripped', () => {
    const problems = validate({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Parameters: { id: 1, 'id.$': '$.id' }, End: true } },
    })
    expect(problems).toEqual([
      {
        pointer: '/States/P/Parameters/id.$',
        state: 'P',
        message: 'gives a second field "id" once ".$" is stripped; keep one of them',
      },
    ])
  })

  it('escapes ~ and / in pointers', () => {
    const problems = validate({ StartAt: 'a/b', States: { 'a/b': { Type: 'Pass', Next: 'x~y' } } })
    expect(pointers(problems)).toContain('/States/a~1b/Next')
  })

  it('checks Choice rules: comparator types, nesting, Next only at the top level', () => {
    const problems = validate({
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.n', NumericEquals: '5', Next: 'E' },
            { Variable: '$.t', TimestampEquals: 'yesterday', Next: 'E' },
            { And: [{ Variable: '$.a', StringEquals: 'x', Next: 'E' }], Next: 'E' },
            { Variable: '$.a', StringEquals: 'x', StringMatches: 'y*', Next: 'E' },
            { Variable: '$.a', StringContains: 'x', Next: 'E' },
            { Variable: '$.a', IsNull: true },
            { Or: [], Next: 'E' },
            { Condition: '{% $x %}', Next: 'E' },
          ],
        },
        E: { Type: 'Succeed' },
      },
    })
    expect(pointers(problems)).toEqual([
      '/States/C/Choices/0/NumericEquals',
      '/States/C/Choices/1/TimestampEquals',
      '/States/C/Choices/2/And/0/Next',
      '/States/C/Choices/3',
      '/States/C/Choices/4/StringContains',
      '/States/C/Choices/4',
      '/States/C/Choices/5',
      '/States/C/Choices/6/Or',
      '/States/C/Choices/7/Condition',
    ])
  })

  it('checks Retry and Catch fields, and where States.ALL may appear', () => {
    const problems = validate({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'ctyun:ebs:createSnapshot',
          Retry: [
            {
              ErrorEquals: ['States.ALL', 'Ctyun.Throttled'],
              IntervalSeconds: 0,
              MaxAttempts: -1,
              BackoffRate: 0.5,
              JitterStrategy: 'SOME',
              MaxDelay: 3,
            },
            { ErrorEquals: [] },
          ],
          Catch: [{ ErrorEquals: ['States.Bogus'], ResultPath: '$.a[*]' }],
          End: true,
        },
      },
    })
    expect(pointers(problems)).toEqual([
      '/States/T/Retry/0/MaxDelay',
      '/States/T/Retry/0/ErrorEquals',
      '/States/T/Retry/0/ErrorEquals',
      '/States/T/Retry/0/IntervalSeconds',
      '/States/T/Retry/0/MaxAttempts',
      '/States/T/Retry/0/BackoffRate',
      '/States/T/Retry/0/JitterStrategy',
      '/States/T/Retry/1/ErrorEquals',
      '/States/T/Catch/0/ErrorEquals/0',
      '/States/T/Catch/0',
      '/States/T/Catch/0/ResultPath',
    ])
  })

  it('checks Wait, Fail and Task timing fields', () => {
    const problems = validate({
      StartAt: 'W',
      States: {
        W: { Type: 'Wait', Seconds: 5, Timestamp: '2026-01-01', Next: 'T' },
        T: {
          Type: 'Task',
          Resource: 'ctyun:x:y',
          TimeoutSeconds: 10,
          HeartbeatSeconds: 10,
          TimeoutSecondsPath: '$.t',
          Next: 'F',
        },
        F: { Type: 'Fail', Error: 'E', ErrorPath: '$.e', InputPath: '$', CausePath: 'States.ArrayLength($.a)' },
      },
    })
    expect(pointers(problems)).toEqual([
      '/States/W',
      '/States/W/Timestamp',
      '/States/T/TimeoutSecondsPath',
      '/States/T/HeartbeatSeconds',
      '/States/F/InputPath',
      '/States/F/ErrorPath',
      '/States/F/CausePath',
    ])
  })

  it('keeps times in range: a Wait of at most a year, timeouts and retry intervals within AWS’s maxima', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    const wait = (field: string, value: unknown) => ({
      StartAt: 'W',
      States: { W: { Type: 'Wait', [field]: value, End: true } },
    })
    const check = (definition: unknown) =>
      validateWorkflow(definition, { ...options, now }).map((problem) => `${problem.pointer}: ${problem.message}`)

    expect(check(wait('Seconds', 31_536_000))).toEqual([])
    expect(check(wait('Timestamp', '2026-12-31T00:00:00Z'))).toEqual([])
    for (const seconds of [31_536_001, 1e300, -1, 1.5, '60']) {
      expect(check(wait('Seconds', seconds))).toEqual([
        '/States/W/Seconds: must be a whole number of seconds from 0 to 31,536,000 (a year, the longest a run lasts)',
      ])
    }
    expect(check(wait('Timestamp', '2027-01-02T00:00:00Z'))).toEqual([
      '/States/W/Timestamp: "2027-01-02T00:00:00Z" is more than a year ahead: a wait may last at most a year (the longest a run lasts)',
    ])
    expect(
      check({
        StartAt: 'T',
        TimeoutSeconds: 1e300,
        States: {
          T: {
            Type: 'Task',
            Resource: 'ctyun:x:y',
            TimeoutSeconds: 100_000_000,
            Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 100_000_000, MaxDelaySeconds: 31_622_401 }],
            End: true,
          },
        },
      }),
    ).toEqual([
      '/TimeoutSeconds: must be at most 99,999,999',
      '/States/T/Retry/0/IntervalSeconds: must be at most 99,999,999',
      '/States/T/Retry/0/MaxDelaySeconds: must be at most 31,622,400',
      '/States/T/TimeoutSeconds: must be at most 99,999,999',
    ])
  })

  it('reports a definition nested too deeply as one problem naming the depth and where, instead of overflowing the stack', () => {
    // Parallel in Parallel 3,000 times: some 12,000 levels of objects and arrays.
    let branch: object = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }
    for (let i = 0; i < 3_000; i++)
      branch = { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [branch], End: true } } }

    const problems = validate(branch)

    expect(problems).toHaveLength(1)
    expect(problems[0]!.message).toBe(
      'the workflow is nested 12,003 levels deep (objects and arrays: Parallel branches, Map processors, Parameters, Choice rules); at most 200 are allowed — this is where it passes the limit',
    )
    expect(problems[0]!.pointer).toBe('/States/P/Branches/0'.repeat(50))
  })

  it('reports deep Parameters and Choice rules the same way; 200 levels are fine', () => {
    let parameters: object = { 'v.$': '$.v' }
    for (let i = 0; i < 5_000; i++) parameters = { a: parameters }
    let rule: object = { Variable: '$.v', IsPresent: true }
    for (let i = 0; i < 5_000; i++) rule = { Not: rule }
    let fine: object = { 'v.$': '$.v' }
    for (let i = 0; i < 195; i++) fine = { a: fine }

    expect(
      validate({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: parameters, End: true } } })[0]!.message,
    ).toMatch(/^the workflow is nested 5,004 levels deep/)
    expect(
      validate({
        StartAt: 'C',
        States: { C: { Type: 'Choice', Choices: [{ ...rule, Next: 'D' }], Default: 'D' }, D: { Type: 'Succeed' } },
      })[0]!.pointer,
    ).toMatch(/^\/States\/C\/Choices\/0(\/Not){196}$/)
    expect(validate({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: fine, End: true } } })).toEqual([])
  })

  it('reports JSONPath filters and intrinsic calls nested too deeply with their position, not a stack overflow', () => {
    const filter = `$.a[?(${'('.repeat(5_000)}@.b${')'.repeat(5_000)})]`
    const intrinsic = `${'States.Array('.repeat(5_000)}1${')'.repeat(5_000)}`
    const problems = validate({
      StartAt: 'P',
      States: { P: { Type: 'Pass', InputPath: filter, Parameters: { 'x.$': intrinsic }, End: true } },
    })

    expect(problems.map((problem) => problem.pointer)).toEqual(['/States/P/InputPath', '/States/P/Parameters/x.$'])
    expect(problems[0]!.message).toMatch(
      /^Invalid JSONPath "\$\.a\[\?\(\(+… \(10,011 characters\)": filters, parentheses and "!" nest more than 100 levels deep at position 106$/,
    )
    expect(problems[1]!.message).toMatch(
      /^Invalid intrinsic function "(States\.Array\()+State… \(70,001 characters\)": calls nest more than 100 levels deep at position 1300$/,
    )
  })

  it('names an unknown member whatever it is called, Object.prototype’s names included (found by fuzzing: {"valueOf": 0})', () => {
    const problems = validate({ valueOf: 0, StartAt: 'P', States: { P: { Type: 'Pass', toString: 1, End: true } } })
    expect(problems).toEqual([
      { pointer: '/valueOf', message: 'unknown top-level field "valueOf"' },
      { pointer: '/States/P/toString', state: 'P', message: 'is not a field of a Pass state' },
    ])
  })

  it('validates Parallel branches and Map processors in their own scope', () => {
    const problems = validate({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Out' } } }, {}],
          Next: 'M',
        },
        M: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'PARALLEL' },
            StartAt: 'X',
            States: { X: { Type: 'Pass', End: true } },
          },
          ItemsPath: '$.a[*]',
          End: true,
        },
        Out: { Type: 'Succeed' },
      },
    })
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/States/P/Branches/0/States/A/Next', state: 'A' }),
        expect.objectContaining({
          pointer: '/States/P/Branches/0/States',
          message: expect.stringContaining('no terminal state'),
        }),
        { pointer: '/States/P/Branches/1/States', message: 'is required: an object of states by name' },
        expect.objectContaining({
          pointer: '/States/M/ItemProcessor/ProcessorConfig/Mode',
          message: 'must be "INLINE" or "DISTRIBUTED"',
        }),
        expect.objectContaining({ pointer: '/States/M/ItemsPath' }),
        expect.objectContaining({ pointer: '/States/Out', message: expect.stringContaining('unreachable') }),
      ]),
    )
  })

  it('rejects duplicate state names across scopes', () => {
    const problems = validate({
      StartAt: 'P',
      States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'P', States: { P: { Type: 'Succeed' } } }], End: true } },
    })
    expect(problems).toEqual([
      expect.objectContaining({
        pointer: '/States/P/Branches/0/States/P',
        message: expect.stringContaining('duplicate state name'),
      }),
    ])
  })

  it('accepts a DISTRIBUTED Map (STANDARD child runs) and names what it does not support', () => {
    const map = (config: unknown, extra: object = {}) =>
      validate({
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: { ProcessorConfig: config, StartAt: 'X', States: { X: { Type: 'Succeed' } } },
            End: true,
            ...extra,
          },
        },
      }).map(formatProblem)
    expect(map({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' })).toEqual([])
    expect(map({ Mode: 'DISTRIBUTED' })).toEqual([
      expect.stringMatching(/ProcessorConfig \(state "M"\): a "DISTRIBUTED" Map needs "ExecutionType": "STANDARD"/),
    ])
    expect(map({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' })).toEqual([
      expect.stringMatching(/ProcessorConfig\/ExecutionType \(state "M"\): EXPRESS child runs are not supported/),
    ])
    expect(map({ Mode: 'INLINE', ExecutionType: 'STANDARD' })).toEqual([
      expect.stringMatching(/ExecutionType \(state "M"\): belongs to a "DISTRIBUTED" Map only/),
    ])
    expect(map({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD', Batch: 1 })).toEqual([
      expect.stringMatching(/ProcessorConfig\/Batch \(state "M"\): is not a field of ProcessorConfig/),
    ])
    expect(map({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, { ToleratedFailureCount: 1 })).toEqual([
      expect.stringMatching(/ToleratedFailureCount \(state "M"\): .*fails on its first failed item/),
    ])
  })

  it('rejects JSONata, Assign and distributed Map with a message saying they are not supported', () => {
    const problems = validate({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input %}', Assign: { x: 1 }, Next: 'M' },
        M: {
          Type: 'Map',
          ItemReader: {},
          Items: [],
          ItemProcessor: { StartAt: 'X', States: { X: { Type: 'Succeed' } } },
          End: true,
        },
      },
    })
    const messages = problems.map(formatProblem)
    expect(messages).toEqual([
      expect.stringMatching(/^\/QueryLanguage: the JSONata query language is not supported yet/),
      expect.stringMatching(/^\/States\/P\/Output \(state "P"\): "Output" belongs to the JSONata/),
      expect.stringMatching(
        /^\/States\/P\/Assign \(state "P"\): workflow variables \("Assign"\) are not supported yet/,
      ),
      expect.stringMatching(/^\/States\/P\/QueryLanguage \(state "P"\): the JSONata query language/),
      expect.stringMatching(/^\/States\/M\/ItemReader \(state "M"\): a Map reading its items from a file or bucket/),
      expect.stringMatching(/^\/States\/M\/Items \(state "M"\): "Items" belongs to the JSONata/),
    ])
  })

  it('asks the caller which Task resources exist', () => {
    const seen: string[] = []
    validateWorkflow(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'ctyun:ebs:createSnapshot.sync', End: true } } },
      {
        isKnownResource: (resource) => {
          seen.push(resource)
          return true
        },
      },
    )
    expect(seen).toEqual(['ctyun:ebs:createSnapshot.sync'])
  })
})
