/**
 * A tiny node:http server on port 0 for client tests: real HTTP, scripted replies, every request recorded
 * (method, path, raw query, headers, exact body bytes). Not a simulator; lib/simulator plays the cloud.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  /** The raw query string as received (no leading `?`). */
  rawQuery: string
  query: URLSearchParams
  headers: Record<string, string>
  body: Buffer
  json?: unknown
}

export interface ScriptedReply {
  status?: number
  headers?: Record<string, string>
  /** An object is sent as JSON; a string as is. */
  body?: unknown
  /** Hold the reply this long (for timeout tests). */
  delayMs?: number
  /** Destroy the socket without replying (for network-error tests). */
  hangUp?: boolean
}

export type ReplyScript = (request: RecordedRequest, index: number) => ScriptedReply | Promise<ScriptedReply>

export interface TestServer {
  url: string
  requests: RecordedRequest[]
  /** Replaces the script. */
  reply(script: ReplyScript): void
  close(): Promise<void>
}

/** A CTyun success envelope. */
export const ok = (returnObj: unknown = {}, extra: Record<string, unknown> = {}): ScriptedReply => ({
  body: { statusCode: 800, errorCode: '', message: 'success', description: '成功', returnObj, ...extra },
})

/** A CTyun business-failure envelope. */
export const fail = (errorCode: string, description = '失败', extra: Record<string, unknown> = {}): ScriptedReply => ({
  body: { statusCode: 900, errorCode, message: errorCode, description, ...extra },
})

export async function startTestServer(script: ReplyScript = () => ok()): Promise<TestServer> {
  let current = script
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const body = Buffer.concat(chunks)
      let json: unknown
      try {
        json = body.length ? JSON.parse(body.toString('utf8')) : undefined
      } catch {
        json = undefined
      }
      const headers: Record<string, string> = {}
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        rawQuery: (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '',
        query: url.searchParams,
        headers,
        body,
        json,
      }
      requests.push(recorded)
      const reply = await current(recorded, requests.length - 1)
      if (reply.hangUp) {
        req.socket.destroy()
        return
      }
      const send = () => {
        const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {})
        res.writeHead(reply.status ?? 200, {
          'content-type': typeof reply.body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
          ...reply.headers,
        })
        res.end(text)
      }
      if (reply.delayMs) setTimeout(send, reply.delayMs)
      else send()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(script) {
      current = script
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
