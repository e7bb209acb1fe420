import { describe, expect, it } from 'vitest'
import { parseReply } from './envelope'
import { CtyunApiError, CtyunHttpError } from './errors'

const ctx = { method: 'POST', path: '/v4/ebs_snapshot/create-ebs-snap', requestId: 'req-1' }
const reply = (body: unknown, status = 200) => ({
  status,
  text: typeof body === 'string' ? body : JSON.stringify(body),
})

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

describe('parseReply', () => {
  it.each([
    ['number 800', 800],
    ['string "800"', '800'],
    ['string " 800.0"', ' 800.0'],
  ])('reads statusCode %s as success', (_name, statusCode) => {
    const result = parseReply(reply({ statusCode, returnObj: { diskID: 'd-1' } }))
    expect(result).toMatchObject({ kind: 'ok', returnObj: { diskID: 'd-1' } })
  })

  it('keeps top-level extras of the legacy EIP list (totals beside returnObj)', () => {
    const result = parseReply(
      reply({ statusCode: 800, errorCode: 'SUCCESS', returnObj: { eips: [] }, totalCount: 3, totalPage: 1 }),
    )
    expect(result.kind).toBe('ok')
    expect(result.envelope.totalCount).toBe(3)
  })

  it('unwraps the nested {httpstatus, httpresult} shape of the EBS create-image doc example', () => {
    const result = parseReply(
      reply({ httpstatus: 200, httpresult: { statusCode: 800, returnObj: { images: [{ imageID: 'i-1' }] } } }),
    )
    expect(result).toMatchObject({ kind: 'ok', returnObj: { images: [{ imageID: 'i-1' }] } })
  })

  it.each([900, '900'])(
    'turns statusCode %j into CtyunApiError with errorCode, detail, traceID and context',
    (statusCode) => {
      const error = thrown(() =>
        parseReply(
          reply({
            statusCode,
            errorCode: 'ebs.ebsInfo.notExists',
            error: 'Ebs.EbsInfo.NotExists',
            message: 'disk not found',
            description: '云硬盘不存在',
            traceID: 't-9',
          }),
          ctx,
        ),
      )
      expect(error).toBeInstanceOf(CtyunApiError)
      expect(error).toMatchObject({
        errorCode: 'ebs.ebsInfo.notExists',
        statusCode,
        traceID: 't-9',
        requestId: 'req-1',
        method: 'POST',
        path: ctx.path,
      })
      expect(error.message).toBe(
        'CTyun ebs.ebsInfo.notExists: POST /v4/ebs_snapshot/create-ebs-snap (request-id req-1) — 云硬盘不存在, disk not found',
      )
    },
  )

  it('falls back to `error` when errorCode is empty, then to the statusCode', () => {
    expect(
      thrown(() => parseReply(reply({ statusCode: 900, errorCode: '', error: 'Ecs.Instance.NotFound' }))),
    ).toMatchObject({ errorCode: 'Ecs.Instance.NotFound' })
    expect(thrown(() => parseReply(reply({ statusCode: 900 })))).toMatchObject({ errorCode: 'statusCode.900' })
  })

  it.each(['ebs.order.inProgress', 'Backup.Order.InProgress', 'Openapi.Order.Inprogress'])(
    'treats %s with a masterOrderID as a pending order, not a failure',
    (errorCode) => {
      const result = parseReply(
        reply({
          statusCode: 900,
          errorCode,
          description: '订单处理中',
          returnObj: { masterOrderID: 'mo-1', masterOrderNO: 'no-1', regionID: 'r1' },
        }),
      )
      expect(result).toMatchObject({
        kind: 'order-in-progress',
        masterOrderID: 'mo-1',
        masterOrderNO: 'no-1',
        regionID: 'r1',
        errorCode,
      })
    },
  )

  it('reads the order id from resources[].orderID when masterOrderID is absent', () => {
    const result = parseReply(
      reply({ statusCode: '900', error: 'Ebs.Order.InProgress', returnObj: { resources: [{ orderID: 'mo-2' }] } }),
    )
    expect(result).toMatchObject({ kind: 'order-in-progress', masterOrderID: 'mo-2' })
  })

  it('fails an order-in-progress code without an order id', () => {
    expect(
      thrown(() => parseReply(reply({ statusCode: 900, errorCode: 'ebs.order.inProgress', returnObj: {} }))),
    ).toBeInstanceOf(CtyunApiError)
  })

  it('turns an HTML page into CtyunHttpError with the status and a short excerpt', () => {
    const html = `<html>\n  <head><title>502 Bad Gateway</title></head>\n  <body>${'x'.repeat(1000)}</body></html>`
    const error = thrown(() => parseReply(reply(html, 502), ctx)) as CtyunHttpError
    expect(error).toBeInstanceOf(CtyunHttpError)
    expect(error.status).toBe(502)
    expect(error.excerpt.startsWith('<html> <head><title>502 Bad Gateway</title></head>')).toBe(true)
    expect(error.excerpt.length).toBeLessThanOrEqual(201)
    expect(error.message).toContain('CTyun HTTP 502: POST /v4/ebs_snapshot/create-ebs-snap (request-id req-1)')
  })

  it('turns HTML with HTTP 200 into CtyunHttpError naming it', () => {
    const error = thrown(() => parseReply(reply('<!doctype html><p>login</p>', 200))) as CtyunHttpError
    expect(error).toBeInstanceOf(CtyunHttpError)
    expect(error.message).toContain('HTML')
  })

  it.each([
    ['plain text', 'upstream connect error'],
    ['broken JSON', '{"statusCode":80'],
    ['a JSON array', '[1,2]'],
    ['an object without statusCode', '{"returnObj":{}}'],
    ['an empty body', ''],
  ])('turns %s with HTTP 200 into CtyunHttpError', (_name, text) => {
    expect(() => parseReply({ status: 200, text })).toThrow(CtyunHttpError)
  })

  it('keeps the errorCode of a non-2xx envelope (auth failure, throttling) and its Retry-After', () => {
    const error = thrown(() =>
      parseReply({
        status: 429,
        text: JSON.stringify({ statusCode: 900, errorCode: 'Openapi.RequestLimitExceeded', message: 'slow down' }),
        retryAfterMs: 2000,
      }),
    ) as CtyunHttpError
    expect(error).toMatchObject({ status: 429, errorCode: 'Openapi.RequestLimitExceeded', retryAfterMs: 2000 })
  })
})
