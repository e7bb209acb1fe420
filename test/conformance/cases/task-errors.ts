import { single, type AslDefinition, type ConformanceCase } from '../conformance-case'
import { stubFailureCause } from '../stub-resources'
import { Docs } from './docs'

/** A Task that may fail, a Catch (or not), and two ends that show which way it went. */
function caught(
  task: Record<string, unknown>,
  catchers: Array<{ Next: string } & Record<string, unknown>>,
): AslDefinition {
  const ends: Record<string, Record<string, unknown>> = {
    Handled: { Type: 'Pass', End: true },
    Other: { Type: 'Pass', Result: 'other handler', End: true },
  }
  const States: AslDefinition['States'] = {
    Work: { Type: 'Task', ...task, Catch: catchers, Next: 'Done' },
    Done: { Type: 'Pass', Result: 'not caught', End: true },
  }
  // only the handlers a catcher names, so every state is reachable
  for (const catcher of catchers) States[catcher.Next] = ends[catcher.Next]!
  return { StartAt: 'Work', States }
}

const cause = stubFailureCause

export const taskCases: ConformanceCase[] = [
  {
    name: 'task: the resource result is the output',
    doc: Docs.task,
    definition: single({ Type: 'Task', Resource: 'test:echo' }),
    input: { a: 1 },
    expect: { output: { a: 1 } },
  },
  {
    name: 'task: Parameters are the resource input',
    doc: Docs.task,
    definition: single({ Type: 'Task', Resource: 'test:echo', Parameters: { 'id.$': '$.id', static: true } }),
    input: { id: 'x', noise: 1 },
    expect: { output: { id: 'x', static: true } },
  },
  {
    name: 'task: ResultPath null keeps the input',
    doc: Docs.resultPath,
    definition: single({ Type: 'Task', Resource: 'test:echo', Parameters: { ignored: 1 }, ResultPath: null }),
    input: { kept: true },
    expect: { output: { kept: true } },
  },
  {
    name: 'task: an error with no Retry or Catch fails the run',
    doc: Docs.errors,
    definition: single({ Type: 'Task', Resource: 'test:fail:Custom.Error' }),
    input: {},
    expect: { error: 'Custom.Error', cause: cause('test:fail:Custom.Error') },
  },
  // Retry
  {
    name: 'retry: succeeds on the third call (MaxAttempts 2 allows two retries)',
    doc: Docs.retry,
    definition: single({
      Type: 'Task',
      Resource: 'test:failTimes:2:Test.Flaky',
      Retry: [{ ErrorEquals: ['Test.Flaky'], IntervalSeconds: 1, MaxAttempts: 2 }],
    }),
    input: { v: 1 },
    expect: { output: { attempts: 3, input: { v: 1 } } },
  },
  {
    name: 'retry: gives up after MaxAttempts retries',
    doc: Docs.retry,
    definition: single({
      Type: 'Task',
      Resource: 'test:failTimes:3:Test.Flaky',
      Retry: [{ ErrorEquals: ['Test.Flaky'], IntervalSeconds: 1, MaxAttempts: 2 }],
    }),
    input: {},
    expect: { error: 'Test.Flaky', cause: cause('test:failTimes:3:Test.Flaky') },
  },
  {
    name: 'retry: MaxAttempts defaults to 3',
    doc: Docs.retry,
    definition: single({
      Type: 'Task',
      Resource: 'test:failTimes:3:Test.Flaky',
      Retry: [{ ErrorEquals: ['Test.Flaky'], IntervalSeconds: 1 }],
    }),
    input: {},
    expect: { output: { attempts: 4, input: {} } },
  },
  {
    name: 'retry: MaxAttempts 0 never retries',
    doc: Docs.retry,
    definition: single({
      Type: 'Task',
      Resource: 'test:failTimes:1:Test.Flaky',
      Retry: [{ ErrorEquals: ['Test.Flaky'], MaxAttempts: 0 }],
    }),
    input: {},
    expect: { error: 'Test.Flaky', cause: cause('test:failTimes:1:Test.Flaky') },
  },
  {
    name: 'retry: an error no retrier names is not retried',
    doc: Docs.retry,
    definition: single({
      Type: 'Task',
      Resource: 'test:failTimes:1:Other.Error',
      Retry: [{ ErrorEquals: ['Test.Flaky'], MaxAttempts: 5 }],
    }),
    input: {},
    expect: { error: 'Other.Error', cause: cause('test:failTimes:1:Other.Error') },
  },
  {
    name: 'retry: the first retrier that matches applies (its MaxAttempts counts)',
    doc: Docs.retry,
    definition: single({
      Type: 'Task',
      Resource: 'test:failTimes:2:Test.Flaky',
      Retry: [
        { ErrorEquals: ['Test.Flaky'], IntervalSeconds: 1, MaxAttempts: 1 },
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 5 },
      ],
    }),
    input: {},
    expect: { error: 'Test.Flaky', cause: cause('test:failTimes:2:Test.Flaky') },
  },
  {
    name: 'retry: States.ALL retries any task error',
    doc: Docs.retry,
    definition: single({
      Type: 'Task',
      Resource: 'test:failTimes:1:Anything',
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1 }],
    }),
    input: 'x',
    expect: { output: { attempts: 2, input: 'x' } },
  },
  {
    name: 'retry: States.TaskFailed retries a task error',
    doc: Docs.retry,
    definition: single({
      Type: 'Task',
      Resource: 'test:failTimes:1:Anything',
      Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1 }],
    }),
    input: 'x',
    expect: { output: { attempts: 2, input: 'x' } },
  },
  {
    name: 'retry: BackoffRate, MaxDelaySeconds and JitterStrategy are accepted',
    doc: Docs.retry,
    definition: single({
      Type: 'Task',
      Resource: 'test:failTimes:3:Test.Flaky',
      Retry: [
        {
          ErrorEquals: ['Test.Flaky'],
          IntervalSeconds: 3,
          MaxAttempts: 3,
          BackoffRate: 2,
          MaxDelaySeconds: 5,
          JitterStrategy: 'FULL',
        },
      ],
    }),
    input: {},
    expect: { output: { attempts: 4, input: {} } },
  },
  {
    name: 'retry: $$.State.RetryCount counts the retries',
    doc: Docs.contextObject,
    definition: single({
      Type: 'Task',
      Resource: 'test:failTimes:2:Test.Flaky',
      Parameters: { 'retry.$': '$$.State.RetryCount' },
      Retry: [{ ErrorEquals: ['Test.Flaky'], IntervalSeconds: 1 }],
    }),
    input: {},
    expect: { output: { attempts: 3, input: { retry: 2 } } },
  },
  {
    name: 'retry then catch: retries exhausted, the Catch handles the error',
    doc: `${Docs.retry} ; ${Docs.catch}`,
    definition: caught(
      {
        Resource: 'test:fail:Test.Flaky',
        Retry: [{ ErrorEquals: ['Test.Flaky'], IntervalSeconds: 1, MaxAttempts: 2 }],
      },
      [{ ErrorEquals: ['Test.Flaky'], Next: 'Handled' }],
    ),
    input: { id: 1 },
    expect: { output: { Error: 'Test.Flaky', Cause: cause('test:fail:Test.Flaky') } },
  },
  // Catch
  {
    name: 'catch: without ResultPath the error object is the output',
    doc: Docs.catch,
    definition: caught({ Resource: 'test:fail:Custom.Error' }, [{ ErrorEquals: ['Custom.Error'], Next: 'Handled' }]),
    input: { id: 1 },
    expect: { output: { Error: 'Custom.Error', Cause: cause('test:fail:Custom.Error') } },
  },
  {
    name: 'catch: ResultPath adds the error to the input (AWS example shape)',
    doc: Docs.catch,
    definition: caught({ Resource: 'test:fail:Custom.Error' }, [
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error-info', Next: 'Handled' },
    ]),
    input: { foo: 'bar' },
    expect: { output: { foo: 'bar', 'error-info': { Error: 'Custom.Error', Cause: cause('test:fail:Custom.Error') } } },
  },
  {
    name: 'catch: ResultPath null keeps the input as it was',
    doc: Docs.catch,
    definition: caught({ Resource: 'test:fail:Custom.Error' }, [
      { ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Handled' },
    ]),
    input: { foo: 'bar' },
    expect: { output: { foo: 'bar' } },
  },
  {
    name: 'catch: the first catcher that matches wins',
    doc: Docs.catch,
    definition: caught({ Resource: 'test:fail:Custom.Error' }, [
      { ErrorEquals: ['Unrelated.Error'], Next: 'Handled' },
      { ErrorEquals: ['Custom.Error', 'Another'], Next: 'Other' },
      { ErrorEquals: ['States.ALL'], Next: 'Handled' },
    ]),
    input: {},
    expect: { output: 'other handler' },
  },
  {
    name: 'catch: States.TaskFailed catches a task error',
    doc: Docs.errors,
    definition: caught({ Resource: 'test:fail:Custom.Error' }, [
      { ErrorEquals: ['States.TaskFailed'], ResultPath: null, Next: 'Handled' },
    ]),
    input: { handled: true },
    expect: { output: { handled: true } },
  },
  {
    name: 'catch: an unmatched error fails the run',
    doc: Docs.catch,
    definition: caught({ Resource: 'test:fail:Custom.Error' }, [{ ErrorEquals: ['Something.Else'], Next: 'Handled' }]),
    input: {},
    expect: { error: 'Custom.Error', cause: cause('test:fail:Custom.Error') },
  },
  {
    name: 'catch: the catcher state continues the workflow',
    doc: Docs.catch,
    definition: {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'test:fail:Custom.Error',
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Cleanup' }],
          End: true,
        },
        Cleanup: { Type: 'Pass', Parameters: { 'failedWith.$': '$.err.Error', 'id.$': '$.id' }, Next: 'Report' },
        Report: { Type: 'Pass', Result: 'reported', ResultPath: '$.status', End: true },
      },
    },
    input: { id: 3 },
    expect: { output: { failedWith: 'Custom.Error', id: 3, status: 'reported' } },
  },
  // Timeouts
  {
    name: 'timeout: TimeoutSeconds fails a slow task with States.Timeout',
    doc: `${Docs.task} ; ${Docs.errors} (States.Timeout)`,
    definition: single({ Type: 'Task', Resource: 'test:sleep:3000', TimeoutSeconds: 1 }),
    input: {},
    expect: { error: 'States.Timeout' },
  },
  {
    name: 'timeout: States.Timeout is caught by name',
    doc: `${Docs.task} ; ${Docs.catch}`,
    definition: caught({ Resource: 'test:sleep:3000', TimeoutSeconds: 1 }, [
      { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Handled' },
    ]),
    input: { timedOut: true },
    expect: { output: { timedOut: true } },
  },
  {
    name: 'timeout: States.TaskFailed does not catch States.Timeout',
    doc: `${Docs.errors} (States.TaskFailed: matches any known error name except States.Timeout)`,
    definition: caught({ Resource: 'test:sleep:3000', TimeoutSeconds: 1 }, [
      { ErrorEquals: ['States.TaskFailed'], Next: 'Handled' },
    ]),
    input: {},
    expect: { error: 'States.Timeout' },
  },
  {
    name: 'timeout: a task that finishes within TimeoutSeconds succeeds',
    doc: Docs.task,
    definition: single({ Type: 'Task', Resource: 'test:sleep:1', TimeoutSeconds: 5 }),
    input: { fast: true },
    expect: { output: { fast: true } },
  },
  // Predefined errors
  {
    name: 'States.Runtime is not caught by States.ALL (InputPath matches nothing)',
    doc: `${Docs.errors} (States.ALL cannot catch States.Runtime)`,
    definition: caught({ Resource: 'test:echo', InputPath: '$.missing' }, [
      { ErrorEquals: ['States.ALL'], Next: 'Handled' },
    ]),
    input: {},
    expect: { error: 'States.Runtime' },
  },
  {
    name: 'States.Runtime is not retried by States.ALL (Parameters path matches nothing)',
    doc: `${Docs.errors} (States.Runtime)`,
    definition: single({
      Type: 'Task',
      Resource: 'test:echo',
      Parameters: { 'x.$': '$.missing' },
      Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
    }),
    input: {},
    expect: { error: 'States.Runtime' },
  },
  {
    name: 'States.ResultPathMatchFailure when the result cannot be placed',
    doc: `${Docs.errorNames} (States.ResultPathMatchFailure)`,
    definition: single({ Type: 'Task', Resource: 'test:echo', ResultPath: '$.a.b' }),
    input: { a: 'a string, not an object' },
    expect: { error: 'States.ResultPathMatchFailure' },
  },
  {
    name: 'States.ResultPathMatchFailure is caught by States.ALL',
    doc: `${Docs.errors} (States.ALL)`,
    definition: caught({ Resource: 'test:echo', ResultPath: '$.a.b' }, [
      { ErrorEquals: ['States.ALL'], Next: 'Other' },
    ]),
    input: { a: 'a string, not an object' },
    expect: { output: 'other handler' },
  },
  {
    name: 'States.IntrinsicFailure in Task Parameters is caught by States.ALL',
    doc: `${Docs.errors} (States.ALL) ; ${Docs.intrinsics}`,
    definition: caught({ Resource: 'test:echo', Parameters: { 'x.$': 'States.StringToJson($.s)' } }, [
      { ErrorEquals: ['States.ALL'], Next: 'Other' },
    ]),
    input: { s: 'not json' },
    expect: { output: 'other handler' },
  },
  {
    name: 'States.NoChoiceMatched reported from a Parallel branch can be caught',
    doc: `${Docs.errors} ; ${Docs.parallel}`,
    definition: {
      StartAt: 'Wrap',
      States: {
        Wrap: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Decide',
              States: {
                Decide: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'One' }] },
                One: { Type: 'Succeed' },
              },
            },
          ],
          Catch: [{ ErrorEquals: ['States.NoChoiceMatched'], ResultPath: null, Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', Result: 'no choice matched', End: true },
      },
    },
    input: { n: 2 },
    expect: { output: 'no choice matched' },
  },
]
