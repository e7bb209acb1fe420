import { describe, expect, it } from 'vitest'
import { parseEvent, toEventResponse, toRequest, UnrecognisedEventError } from './event-http'

describe('toRequest', () => {
  it('builds the request from the event: method, path, query (repeated names kept), headers, text body', async () => {
    const request = toRequest({
      method: 'post',
      path: '/hooks/inventory',
      query: { a: '1', b: ['2', '3'] },
      headers: { Host: 'fn.example', 'Content-Type': 'application/json', 'X-Many': ['x', 'y'] },
      body: '{"n":1}',
    })
    expect(request.method).toBe('POST')
    expect(request.url).toBe('https://fn.example/hooks/inventory?a=1&b=2&b=3')
    expect(request.headers.get('x-many')).toBe('x, y')
    expect(await request.json()).toEqual({ n: 1 })
  })

  it('decodes a base64 body and drops the body of a GET', async () => {
    const posted = toRequest({ method: 'POST', path: '/', headers: {}, body: btoa('héllo'), isBase64Encoded: true })
    expect(new Uint8Array(await posted.arrayBuffer())).toEqual(
      Uint8Array.from(atob(btoa('héllo')), (c) => c.charCodeAt(0)),
    )
    const got = toRequest({ method: 'GET', path: '/healthz', query: '?x=1', headers: {}, body: 'ignored' })
    expect(got.body).toBeNull()
    expect(new URL(got.url).search).toBe('?x=1')
  })
})

describe('toEventResponse', () => {
  it('keeps JSON and problem+json as text, with the headers', async () => {
    const reply = await toEventResponse(
      new Response('{"ok":true}', {
        status: 202,
        headers: { 'content-type': 'application/problem+json', location: '/x' },
      }),
    )
    expect(reply).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/problem+json', location: '/x' },
      body: '{"ok":true}',
      isBase64Encoded: false,
    })
  })

  it('base64-encodes a binary body', async () => {
    const reply = await toEventResponse(
      new Response(new Uint8Array([0, 255, 1]), { headers: { 'content-type': 'application/octet-stream' } }),
    )
    expect(reply).toMatchObject({ isBase64Encoded: true, body: btoa(String.fromCharCode(0, 255, 1)) })
  })
})

describe('parseEvent and UnrecognisedEventError', () => {
  it('reads a Buffer or string of JSON as the object, and leaves other text alone', () => {
    expect(parseEvent(Buffer.from('{"a":1}'))).toEqual({ a: 1 })
    expect(parseEvent('{"a":1}')).toEqual({ a: 1 })
    expect(parseEvent('plain body')).toBe('plain body')
  })

  it('names the platform and the shape it expected, and the keys it got, never the values', () => {
    const error = new UnrecognisedEventError('Tencent SCF', 'a Timer trigger event', { token: 's3cret', Type: 'x' })
    expect(error.message).toBe(
      'Tencent SCF: expected a Timer trigger event, got an object with keys token, Type; is this function wired to Tencent SCF?',
    )
    expect(error.message).not.toContain('s3cret')
  })
})
