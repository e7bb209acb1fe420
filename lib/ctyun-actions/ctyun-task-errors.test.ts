import { describe, expect, it } from 'vitest'
import {
  CtyunApiError,
  CtyunHttpError,
  CtyunInputError,
  CtyunNetworkError,
  CtyunResourceFailedError,
  CtyunTimeoutError,
  CtyunWaitTimeoutError,
  type CtyunClient,
} from '../ctyun'
import { createActionRegistry, StatesError, toTaskError } from '../engine'
import { registerCtyunActions } from './ctyun-actions'

// The registry the CTyun actions are registered on names lib/ctyun's errors (registerCtyunActions installs mapCtyunError).
const actions = registerCtyunActions(createActionRegistry(), undefined as unknown as CtyunClient)

describe('toTaskError maps CTyun errors to stable ASL names', () => {
  const cases: Array<[string, unknown, string]> = [
    [
      'throttled business error',
      new CtyunApiError({ errorCode: 'Openapi.RequestLimitExceeded', statusCode: 900, detail: '' }),
      'Ctyun.Throttled',
    ],
    ['HTTP 429', new CtyunHttpError({ status: 429, excerpt: '' }), 'Ctyun.Throttled'],
    [
      'an unknown code whose message says throttled',
      new CtyunApiError({ errorCode: 'Openapi.Flow.Control', statusCode: 900, detail: '请求过于频繁' }),
      'Ctyun.Throttled',
    ],
    [
      'a code the client marked throttled (CTYUN_THROTTLE_CODES)',
      new CtyunApiError({ errorCode: 'Ecs.Busy', statusCode: 900, detail: '', throttled: true }),
      'Ctyun.Throttled',
    ],
    [
      'not found spelled notExists',
      new CtyunApiError({ errorCode: 'ebs.ebsInfo.notExists', statusCode: 900, detail: '' }),
      'Ctyun.NotFound',
    ],
    [
      'not found spelled NotFound',
      new CtyunApiError({ errorCode: 'Image.NotFound', statusCode: 900, detail: '' }),
      'Ctyun.NotFound',
    ],
    [
      'other business error keeps its errorCode',
      new CtyunApiError({ errorCode: 'Ebs.Snapshot.QuotaExceeded', statusCode: 900, detail: '' }),
      'Ebs.Snapshot.QuotaExceeded',
    ],
    [
      'auth failure keeps its errorCode',
      new CtyunHttpError({ status: 401, excerpt: '', errorCode: 'Openapi.Auth.SignatureMismatch' }),
      'Openapi.Auth.SignatureMismatch',
    ],
    ['5xx', new CtyunHttpError({ status: 503, excerpt: '' }), 'Ctyun.ServerError'],
    ['network', new CtyunNetworkError('reset'), 'Ctyun.Network'],
    ['request timeout', new CtyunTimeoutError(100), 'Ctyun.Timeout'],
    [
      'wait timeout',
      new CtyunWaitTimeoutError({ resource: 'snapshot s', lastStatus: 'creating', waitedMs: 1, polls: 1 }),
      'Ctyun.Timeout',
    ],
    [
      'failed order',
      new CtyunResourceFailedError({ resource: 'order o-1 → resource ids', status: '5' }),
      'Ctyun.OrderFailed',
    ],
    [
      'failed resource',
      new CtyunResourceFailedError({ resource: 'snapshot s-1', status: 'error' }),
      'Ctyun.ResourceFailed',
    ],
    ['bad input', new CtyunInputError('regionID', 'is required'), 'Ctyun.InvalidInput'],
    ['a StatesError keeps its name', new StatesError('States.Timeout', 'x'), 'States.Timeout'],
    ['a user error class name', Object.assign(new Error('no'), { name: 'QuotaError' }), 'QuotaError'],
    ['a thrown string', 'oops', 'States.TaskFailed'],
  ]
  for (const [name, thrown, expected] of cases) {
    it(name, () => expect(toTaskError(thrown, actions).error).toBe(expected))
  }

  it('keeps the message as the cause', () => {
    expect(toTaskError(new CtyunInputError('regionID', 'is required'), actions).cause).toBe('regionID: is required')
  })
})

describe('the engine alone knows no CTyun error', () => {
  it('names a CtyunApiError by its class, as any Error, on a registry without the CTyun actions', () => {
    const error = new CtyunApiError({ errorCode: 'ebs.ebsInfo.notExists', statusCode: 900, detail: '' })
    expect(toTaskError(error, createActionRegistry()).error).toBe('CtyunApiError')
  })
})
