import type { Outcome } from './outcome'
import { Docs } from './cases/docs'

/**
 * Where aws-local-stepfunctions 3.0.0 disagrees with the AWS documentation, case by case. differential.test.ts asserts
 * that the library still does exactly what is recorded here (error name or output), so a fix — or a new disagreement —
 * is noticed. What AWS documents is the case's own `expect`; `aws` restates it for the reader.
 */
export interface KnownDifference {
  case: string
  /** What aws-local-stepfunctions does (the error name, or the output). */
  awsLocal: { error: string } | { output: unknown }
  /** What AWS documents. */
  aws: string
  source: string
}

const missingStateContext = (field: string): Omit<KnownDifference, 'case'> => ({
  awsLocal: { error: 'States.Runtime' },
  aws: `the context object has ${field} (State: Name, EnteredTime, RetryCount) in every state`,
  source: Docs.contextObject,
})
const intrinsicAsRuntime = (what: string): Omit<KnownDifference, 'case'> => ({
  awsLocal: { error: 'States.Runtime' },
  aws: `${what} fails the state with States.IntrinsicFailure, the error for "an intrinsic function failed" (aws-local reports States.Runtime, which States.ALL cannot catch)`,
  source: `${Docs.errorNames} ; ${Docs.intrinsics}`,
})

export const knownDifferences: KnownDifference[] = [
  {
    case: 'ResultPath: $ replaces the input with the result',
    awsLocal: {
      output: {
        comment: 'This is a test of the input and output of a Task state.',
        details: 'Default example',
        who: 'AWS Step Functions',
        $: { only: 'result' },
      },
    },
    aws: '"ResultPath": "$" makes the state output the result alone; aws-local writes a field literally named "$"',
    source: Docs.resultPath,
  },
  { case: 'context: $$.State.Name is the current state name', ...missingStateContext('$$.State.Name') },
  { case: 'context: $$.State.RetryCount is 0 before any retry', ...missingStateContext('$$.State.RetryCount') },
  {
    case: 'context: $$.Execution.StartTime and $$.State.EnteredTime are timestamps',
    ...missingStateContext('$$.State.EnteredTime'),
  },
  { case: 'retry: $$.State.RetryCount counts the retries', ...missingStateContext('$$.State.RetryCount') },
  {
    case: 'context: $$.Execution.Input is visible inside a Map iteration',
    awsLocal: { error: 'States.Runtime' },
    aws: 'states inside a Map iteration see the same $$.Execution fields as the rest of the execution; aws-local gives iterations an empty context',
    source: Docs.contextObject,
  },
  {
    case: 'intrinsic: States.Format with escaped quote, braces and backslash',
    awsLocal: { error: 'aws-local:Error' },
    aws: "' { } \\ are reserved in intrinsic string literals and escaped with a backslash; aws-local's validator rejects an escaped backslash",
    source: Docs.intrinsic('asl-intrsc-func-generic'),
  },
  {
    case: 'intrinsic failure: States.Format with fewer arguments than placeholders',
    ...intrinsicAsRuntime('a States.Format whose arguments do not fill its placeholders'),
  },
  {
    case: 'intrinsic failure: States.ArrayPartition with chunk size 0',
    ...intrinsicAsRuntime('States.ArrayPartition with a chunk size that is not positive'),
  },
  {
    case: 'intrinsic failure: States.ArrayRange longer than 1,000 items',
    ...intrinsicAsRuntime('States.ArrayRange past its documented 1,000-item limit'),
  },
  { case: 'intrinsic failure: States.ArrayRange with step 0', ...intrinsicAsRuntime('States.ArrayRange with step 0') },
  {
    case: 'intrinsic failure: States.ArrayLength of a non-array',
    ...intrinsicAsRuntime('States.ArrayLength of a string'),
  },
  {
    case: 'intrinsic failure: States.Base64Encode of more than 10,000 characters',
    ...intrinsicAsRuntime('States.Base64Encode past its documented 10,000-character limit'),
  },
  {
    case: 'intrinsic failure: States.Hash with an unsupported algorithm',
    ...intrinsicAsRuntime('States.Hash with an algorithm outside MD5, SHA-1, SHA-256, SHA-384, SHA-512'),
  },
  {
    case: 'intrinsic failure: States.StringToJson of text that is not JSON',
    awsLocal: { error: 'SyntaxError' },
    aws: 'a failing intrinsic fails with States.IntrinsicFailure; aws-local leaks the JavaScript SyntaxError from JSON.parse as the error name',
    source: `${Docs.errorNames} ; ${Docs.intrinsic('asl-intrsc-func-json-manipulate')}`,
  },
  {
    case: 'intrinsic: States.Base64Encode of UTF-8 text',
    awsLocal: { error: 'InvalidCharacterError' },
    aws: 'States.Base64Encode encodes any string (MIME Base64 of its bytes); aws-local uses btoa, which throws on characters outside Latin-1',
    source: Docs.intrinsic('asl-intrsc-func-data-encode-decode'),
  },
  {
    case: 'intrinsic: States.StringSplit on any of several characters (AWS example)',
    awsLocal: { output: { value: ['This.is+a,test=string'] } },
    aws: 'every character of the splitter is a delimiter: "This.is+a,test=string" split by ".+,=" gives ["This","is","a","test","string"] (the AWS example); aws-local splits on the whole splitter string',
    source: Docs.intrinsic('asl-intrsc-func-string-operation'),
  },
  {
    case: 'intrinsic: States.MathRandom excludes the end number',
    awsLocal: { error: 'Test.EndIncluded' },
    aws: 'States.MathRandom returns a number from start (inclusive) to end (exclusive); aws-local includes the end, so some of 64 seeded draws from [5, 6) are 6',
    source: Docs.intrinsic('asl-intrsc-func-math-operation'),
  },
  {
    case: 'jsonpath: negative index [-1] selects the last element',
    awsLocal: { error: 'States.Runtime' },
    aws: 'paths are Jayway JsonPath, where [-1] is the last element; aws-local (jsonpath-plus) finds nothing for $.things[-1].name',
    source: `${Docs.paths} ; ${Docs.filters}`,
  },
  {
    case: 'choice: IsPresent false on a missing field → match',
    awsLocal: { output: 'no' },
    aws: 'type tests take true or false; false matches when the test fails (IsPresent: false matches a missing field); aws-local ignores the false',
    source: Docs.choiceSpec,
  },
  {
    case: 'choice: IsString false on a number → match',
    awsLocal: { output: 'no' },
    aws: 'IsString: false matches a value that is not a string; aws-local ignores the false',
    source: Docs.choiceSpec,
  },
  {
    case: 'choice: a loop with a counter (Choice back to a Pass)',
    awsLocal: { error: 'States.Runtime' },
    aws: 'a path selecting the number 0 yields 0; aws-local treats the falsy 0 selected by $.i as "no value" and hands States.MathAdd the whole input',
    source: `${Docs.paths} ; ${Docs.intrinsic('asl-intrsc-func-math-operation')}`,
  },
  {
    case: 'fail: CausePath with States.Format (AWS example)',
    awsLocal: { error: 'States.Runtime' },
    aws: 'ErrorPath and CausePath accept a reference path or an intrinsic function (the AWS example uses States.Format); aws-local treats it as a path',
    source: Docs.fail,
  },
  {
    case: 'States.ResultPathMatchFailure when the result cannot be placed',
    awsLocal: { output: { a: { b: { a: 'a string, not an object' } } } },
    aws: 'a ResultPath that cannot be applied to the input (here through a string) fails with States.ResultPathMatchFailure; aws-local replaces the string with an object',
    source: Docs.errorNames,
  },
  {
    case: 'States.ResultPathMatchFailure is caught by States.ALL',
    awsLocal: { output: 'not caught' },
    aws: 'the States.ResultPathMatchFailure above is an ordinary error that States.ALL catches; aws-local never raises it',
    source: Docs.errorNames,
  },
]

/** Whether aws-local still does what the entry records (error name, or output as JSON). */
export function stillDiffers(entry: KnownDifference, outcome: Outcome): boolean {
  if ('error' in entry.awsLocal) return outcome.status === 'FAILED' && outcome.error === entry.awsLocal.error
  return outcome.status === 'SUCCEEDED' && JSON.stringify(outcome.output) === JSON.stringify(entry.awsLocal.output)
}
