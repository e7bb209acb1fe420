import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createWebhookVerifier } from '../../webhooks'
import type { ChannelType } from '../../config'

/**
 * A local robot per platform, for tests: real HTTP on port 0, verifying the signature exactly as the platform
 * documents it (with node:crypto, not the sender's Web Crypto code) and answering as the platform does — success,
 * its error answers (a wrong signature, a wrong token, a message too long) and its rate limit, counted on the fake's
 * own clock. `down` makes it answer 503; `drop` closes connections without an answer (a network error).
 */
export interface FakeRobot {
  type: ChannelType
  /** The URL a user would paste into CTFLOW_NOTIFY (token included). */
  url: string
  secret?: string
  /** The token in the URL (DingTalk access_token, WeCom key, Feishu/Slack path token). */
  token: string
  /** Messages it accepted, in order. */
  accepted: ReceivedMessage[]
  /** Every request, accepted or not, with what it answered. */
  requests: Array<ReceivedMessage & { status: number; answer: string }>
  down: boolean
  drop: boolean
  /** The fake's clock (ms), for the timestamp window and the rate limit; default the real one. */
  now: () => number
  close(): Promise<void>
}

export interface ReceivedMessage {
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
  json: Record<string, unknown>
}

// The platforms' published numbers (the rate limits, the one-hour timestamp window, the sizes).
const HOUR_MS = 60 * 60 * 1000
const LIMITS = {
  dingtalk: { perMinute: 20, maxBytes: 20_000 },
  feishu: { perMinute: 100, perSecond: 5, maxBodyBytes: 20 * 1024 },
  wecom: { perMinute: 20, maxBytes: 4096 },
  slack: { perSecond: 1, sectionChars: 3000, headerChars: 150, blocks: 50 },
} as const

export async function startFakeRobot(
  type: ChannelType,
  options: { secret?: string; now?: () => number; burst?: number } = {},
): Promise<FakeRobot> {
  const token = `tok${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
  const sent: number[] = [] // accepted messages' times, for the rate limit
  let server: Server
  const robot: FakeRobot = {
    type,
    url: '',
    token,
    ...(options.secret !== undefined ? { secret: options.secret } : {}),
    accepted: [],
    requests: [],
    down: false,
    drop: false,
    now: options.now ?? (() => Date.now()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  const verifyWebhook =
    type === 'webhook' ? createWebhookVerifier([options.secret!], { now: () => robot.now() }) : undefined

  const withinRate = (windowMs: number, max: number) => sent.filter((at) => at > robot.now() - windowMs).length < max

  async function answer(message: ReceivedMessage, path: string): Promise<{ status: number; body: string }> {
    const json = message.json
    const ok = (body: unknown, status = 200) => ({
      status,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
    switch (type) {
      case 'dingtalk': {
        if (message.query.get('access_token') !== token) return ok({ errcode: 300001, errmsg: 'token is not exist' })
        if (robot.secret !== undefined) {
          const timestamp = message.query.get('timestamp') ?? ''
          const sign = message.query.get('sign') ?? ''
          const expected = createHmac('sha256', robot.secret).update(`${timestamp}\n${robot.secret}`).digest('base64')
          if (!/^\d+$/.test(timestamp) || Math.abs(robot.now() - Number(timestamp)) > HOUR_MS || !same(sign, expected))
            return ok({
              errcode: 310000,
              errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]',
            })
        }
        const markdown = json.markdown as { title?: unknown; text?: unknown } | undefined
        if (json.msgtype !== 'markdown' || typeof markdown?.title !== 'string' || typeof markdown.text !== 'string')
          return ok({ errcode: 40035, errmsg: '缺少参数 json' })
        if (Buffer.byteLength(markdown.text) > LIMITS.dingtalk.maxBytes)
          return ok({ errcode: 460101, errmsg: 'message too long, exceed 20000 bytes' })
        if (!withinRate(60_000, options.burst ?? LIMITS.dingtalk.perMinute))
          return ok({ errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' })
        return accept(ok({ errcode: 0, errmsg: 'ok' }))
      }
      case 'feishu': {
        if (path !== `/open-apis/bot/v2/hook/${token}`)
          return ok({ code: 19001, msg: 'param invalid: incoming webhook access token invalid', data: {} }, 400)
        if (Buffer.byteLength(message.body) > LIMITS.feishu.maxBodyBytes)
          return ok({ code: 9499, msg: 'Bad Request: request body exceeds 20K', data: {} }, 400)
        if (robot.secret !== undefined) {
          const timestamp = String(json.timestamp ?? '')
          const expected = createHmac('sha256', `${timestamp}\n${robot.secret}`).update('').digest('base64')
          if (
            !/^\d+$/.test(timestamp) ||
            Math.abs(robot.now() / 1000 - Number(timestamp)) > HOUR_MS / 1000 ||
            !same(String(json.sign ?? ''), expected)
          )
            return ok({
              code: 19021,
              msg: 'sign match fail or timestamp is not within one hour from current time',
              data: {},
            })
        }
        const card = json.card as { header?: unknown; elements?: unknown } | undefined
        const post = (json.content as { post?: unknown } | undefined)?.post
        const valid =
          (json.msg_type === 'interactive' && Array.isArray(card?.elements)) ||
          (json.msg_type === 'post' && typeof post === 'object') ||
          json.msg_type === 'text'
        if (!valid) return ok({ code: 19002, msg: 'params error, msg_type or content is invalid', data: {} }, 400)
        if (
          !withinRate(1_000, options.burst ?? LIMITS.feishu.perSecond) ||
          !withinRate(60_000, LIMITS.feishu.perMinute)
        )
          return ok({ code: 9499, msg: 'too many request', data: {} })
        return accept(ok({ code: 0, msg: 'success', data: {} }))
      }
      case 'wecom': {
        if (message.query.get('key') !== token) return ok({ errcode: 93000, errmsg: 'invalid webhook url' })
        const content = (json.markdown as { content?: unknown } | undefined)?.content
        if (json.msgtype !== 'markdown' || typeof content !== 'string')
          return ok({ errcode: 40008, errmsg: 'invalid message type' })
        if (Buffer.byteLength(content) > LIMITS.wecom.maxBytes)
          return ok({ errcode: 40058, errmsg: 'markdown.content exceed max length 4096' })
        if (!withinRate(60_000, options.burst ?? LIMITS.wecom.perMinute))
          return ok({ errcode: 45009, errmsg: 'api freq out of limit' })
        return accept(ok({ errcode: 0, errmsg: 'ok' }))
      }
      case 'slack': {
        if (path !== `/services/T0000/B0000/${token}`) return ok('no_team', 404)
        const blocks = json.blocks
        if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > LIMITS.slack.blocks)
          return ok('invalid_blocks', 400)
        for (const block of blocks as Array<{
          type?: string
          text?: { text?: string }
          fields?: Array<{ text?: string }>
        }>) {
          const max = block.type === 'header' ? LIMITS.slack.headerChars : LIMITS.slack.sectionChars
          if ((block.text?.text ?? '').length > max) return ok('invalid_blocks', 400)
          if ((block.fields ?? []).length > 10 || (block.fields ?? []).some((f) => (f.text ?? '').length > 2000))
            return ok('invalid_blocks', 400)
        }
        if (!withinRate(1_000, options.burst ?? LIMITS.slack.perSecond)) return { status: 429, body: 'rate_limited' }
        return accept(ok('ok'))
      }
      case 'webhook': {
        const header = (name: string) => {
          const value = message.headers[name]
          return Array.isArray(value) ? value[0] : value
        }
        const verified = await verifyWebhook!(
          { id: header('webhook-id'), timestamp: header('webhook-timestamp'), signature: header('webhook-signature') },
          message.body,
        )
        if (!verified.ok) return ok({ error: verified.reason }, 401)
        return accept({ status: 204, body: '' })
      }
    }
    function accept(response: { status: number; body: string }) {
      sent.push(robot.now())
      robot.accepted.push(message)
      return response
    }
  }

  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (robot.drop) return void request.socket.destroy()
      const url = new URL(request.url ?? '/', 'http://robot')
      const body = Buffer.concat(chunks).toString('utf8')
      let json: Record<string, unknown> = {}
      try {
        json = JSON.parse(body) as Record<string, unknown>
      } catch {
        // answered below as the platform answers a body it cannot read
      }
      const message: ReceivedMessage = { query: url.searchParams, headers: request.headers, body, json }
      const respond = (status: number, text: string) => {
        robot.requests.push({ ...message, status, answer: text })
        response.writeHead(status, {
          'content-type': type === 'slack' ? 'text/html' : 'application/json',
          ...(status === 429 ? { 'retry-after': '1' } : {}),
        })
        response.end(text)
      }
      if (robot.down) return respond(503, 'Service Unavailable')
      answer(message, url.pathname).then(
        ({ status, body: text }) => respond(status, text),
        (error: unknown) => respond(500, String(error)),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  robot.url = {
    dingtalk: `${base}/robot/send?access_token=${token}`,
    feishu: `${base}/open-apis/bot/v2/hook/${token}`,
    wecom: `${base}/cgi-bin/webhook/send?key=${token}`,
    slack: `${base}/services/T0000/B0000/${token}`,
    webhook: `${base}/hooks/ctflow?token=${token}`,
  }[type]
  return robot
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** A `whsec_` secret for the webhook channel. */
export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('ctflow-test-webhook-secret-32by!').toString('base64')}`
/** A DingTalk-style 加签 secret. */
export const TEST_DINGTALK_SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd'
export const TEST_FEISHU_SECRET = 'feishuSecretQ3xT9vL2mN8pR4wZ'
