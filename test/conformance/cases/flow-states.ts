import { single, type ConformanceCase } from '../conformance-case'
import { Docs } from './docs'

/** Wait, Succeed and Fail. Waits are in the future on purpose: a runner with a virtual clock finishes them at once. */
export const waitCases: ConformanceCase[] = [
  {
    name: 'wait: Seconds, then the input passes through',
    doc: Docs.wait,
    definition: single({ Type: 'Wait', Seconds: 10 }),
    input: { a: 1 },
    expect: { output: { a: 1 } },
  },
  {
    // AWS: Seconds is "an integer value from 0 to 99999999", so 0 is a valid wait that ends at once.
    name: 'wait: Seconds 0 continues at once',
    doc: Docs.wait,
    definition: single({ Type: 'Wait', Seconds: 0 }),
    input: { a: 1 },
    expect: { output: { a: 1 } },
  },
  {
    name: 'wait: a day of Seconds',
    doc: Docs.wait,
    definition: single({ Type: 'Wait', Seconds: 86_400 }),
    input: { a: 1 },
    expect: { output: { a: 1 } },
  },
  {
    name: 'wait: SecondsPath',
    doc: Docs.wait,
    definition: single({ Type: 'Wait', SecondsPath: '$.delay' }),
    input: { delay: 30 },
    expect: { output: { delay: 30 } },
  },
  {
    name: 'wait: Timestamp in the past continues at once',
    doc: Docs.wait,
    definition: single({ Type: 'Wait', Timestamp: '2016-03-14T01:59:00Z' }),
    input: { a: 1 },
    expect: { output: { a: 1 } },
  },
  {
    name: 'wait: Timestamp in the future',
    doc: Docs.wait,
    // A week ahead of the test run: a Wait may reach at most a year ahead (a Standard execution ends after one), so a
    // fixed date would stop being valid.
    definition: single({
      Type: 'Wait',
      Timestamp: new Date(Math.floor(Date.now() / 1000) * 1000 + 7 * 86_400_000).toISOString().replace('.000Z', 'Z'),
    }),
    input: { a: 1 },
    expect: { output: { a: 1 } },
  },
  {
    name: 'wait: TimestampPath (AWS example)',
    doc: Docs.wait,
    definition: single({ Type: 'Wait', TimestampPath: '$.expirydate' }),
    input: { expirydate: '2016-03-14T01:59:00Z' },
    expect: { output: { expirydate: '2016-03-14T01:59:00Z' } },
  },
  {
    name: 'wait: InputPath and OutputPath apply',
    doc: Docs.wait,
    definition: single({ Type: 'Wait', Seconds: 1, InputPath: '$.inner', OutputPath: '$.v' }),
    input: { inner: { v: 'x' } },
    expect: { output: 'x' },
  },
  {
    name: 'wait: SecondsPath naming a string fails with States.Runtime',
    doc: `${Docs.wait} ; ${Docs.errors} (States.Runtime)`,
    definition: single({ Type: 'Wait', SecondsPath: '$.delay' }),
    input: { delay: 'ten' },
    expect: { error: 'States.Runtime' },
  },
  {
    name: 'wait: TimestampPath naming a non-timestamp fails with States.Runtime',
    doc: `${Docs.wait} ; ${Docs.errors} (States.Runtime)`,
    definition: single({ Type: 'Wait', TimestampPath: '$.when' }),
    input: { when: 'tomorrow' },
    expect: { error: 'States.Runtime' },
  },
  {
    name: 'wait: inside a loop, several times',
    doc: Docs.wait,
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Result: { i: 0 }, Next: 'Pause' },
        Pause: { Type: 'Wait', Seconds: 3600, Next: 'Inc' },
        Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Loop' },
        Loop: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericLessThan: 3, Next: 'Pause' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    },
    input: {},
    expect: { output: { i: 3 } },
  },
]

export const succeedFailCases: ConformanceCase[] = [
  {
    name: 'succeed: the output is the input',
    doc: Docs.succeed,
    definition: single({ Type: 'Succeed' }),
    input: { done: true },
    expect: { output: { done: true } },
  },
  {
    name: 'succeed: InputPath and OutputPath apply',
    doc: Docs.succeed,
    definition: single({ Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' }),
    input: { a: { b: 2 } },
    expect: { output: 2 },
  },
  {
    name: 'succeed: reached from a Choice',
    doc: Docs.succeed,
    definition: {
      StartAt: 'Decide',
      States: {
        Decide: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Fail', Error: 'Test.No' },
      },
    },
    input: { ok: true },
    expect: { output: { ok: true } },
  },
  {
    name: 'fail: Error and Cause (AWS example)',
    doc: Docs.fail,
    definition: single({ Type: 'Fail', Error: 'ErrorA', Cause: 'Kaiju attack' }, 'FailState'),
    input: {},
    expect: { error: 'ErrorA', cause: 'Kaiju attack' },
  },
  {
    name: 'fail: ErrorPath and CausePath',
    doc: Docs.fail,
    definition: single({ Type: 'Fail', ErrorPath: '$.err', CausePath: '$.why' }),
    input: { err: 'Custom.Error', why: 'from the input' },
    expect: { error: 'Custom.Error', cause: 'from the input' },
  },
  {
    name: 'fail: CausePath with States.Format (AWS example)',
    doc: Docs.fail,
    definition: single({
      Type: 'Fail',
      ErrorPath: '$.Error',
      CausePath: "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)",
    }),
    input: { Error: 'Error1', Cause: 'Cause1' },
    expect: { error: 'Error1', cause: 'This is a custom error message for Error1, caused by Cause1.' },
  },
  {
    name: "fail: after other states, the run fails with the Fail state's error",
    doc: Docs.fail,
    definition: {
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Result: 'changed', Next: 'Stop' },
        Stop: { Type: 'Fail', Error: 'Stopped', Cause: 'on purpose' },
      },
    },
    input: {},
    expect: { error: 'Stopped', cause: 'on purpose' },
  },
]
