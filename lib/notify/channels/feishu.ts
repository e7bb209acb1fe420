import { bytes, clipBytes, messageParts, renderMarkdown } from '../message-parts'
import { answerCode, answerJson, answerToStatus, hmacSha256Base64, type ChannelDriver } from './channel-driver'

/**
 * Feishu (飞书 / Lark) custom bot: a card (`interactive`, default) or a rich-text `post` POSTed to the bot's URL
 * (`…/open-apis/bot/v2/hook/<token>`). With signature verification, the body carries `timestamp` (seconds) and
 * `sign` = base64 of HMAC-SHA256 keyed with timestamp + "\n" + secret over an empty message (Feishu's own sample
 * signs nothing with that key). Success is `code: 0` in the answer.
 */
export const FEISHU_MAX_BODY_BYTES = 20 * 1024 // Feishu: a bot's request body is at most 20 KB
// Room for the card or post around the text, the signature and the JSON escapes.
const FEISHU_TEXT_BYTES = 16_000

/** Assumed, not on Feishu's bot page: 9499 "too many request" for a bot over its 100-a-minute / 5-a-second limit. */
export const FEISHU_RATE_LIMIT_CODES: readonly number[] = [9499]

export async function feishuSign(timestampSeconds: number, secret: string): Promise<string> {
  return hmacSha256Base64(`${timestampSeconds}\n${secret}`, '')
}

const TEMPLATE = { failure: 'red', success: 'green', info: 'blue' } as const

export function feishuDriver(rateLimitCodes = FEISHU_RATE_LIMIT_CODES): ChannelDriver {
  return {
    async request(channel, notification, { now }) {
      const parts = messageParts(notification)
      const signature: Record<string, string> = {}
      if (channel.secret) {
        const timestamp = Math.floor(now.getTime() / 1000)
        signature.timestamp = String(timestamp)
        signature.sign = await feishuSign(timestamp, channel.secret)
      }
      let message: Record<string, unknown>
      if (channel.format === 'post') {
        const text = renderMarkdown(parts, { maxBytes: FEISHU_TEXT_BYTES, platform: 'Feishu', heading: '' })
        // A post has no markdown: each line a paragraph of plain text, the link as a link.
        const lines = text.split('\n').slice(1)
        message = {
          msg_type: 'post',
          content: {
            post: {
              zh_cn: {
                title: parts.title,
                content: lines.map((line) => {
                  const link = /^\[Open the run\]\((.+)\)$/.exec(line)
                  return link
                    ? [{ tag: 'a', text: 'Open the run', href: link[1] }]
                    : [{ tag: 'text', text: line.replace(/\*\*/g, '') }]
                }),
              },
            },
          },
        }
      } else {
        const text = renderMarkdown(parts, { maxBytes: FEISHU_TEXT_BYTES, platform: 'Feishu', heading: '' })
        message = {
          msg_type: 'interactive',
          card: {
            config: { wide_screen_mode: true },
            header: { title: { tag: 'plain_text', content: parts.title }, template: TEMPLATE[parts.tone] },
            elements: [{ tag: 'markdown', content: text.split('\n').slice(1).join('\n') }],
          },
        }
      }
      let body = JSON.stringify({ ...signature, ...message })
      // JSON escapes can grow a text past the limit (quotes, newlines): cut harder rather than be refused.
      if (bytes(body) > FEISHU_MAX_BODY_BYTES) body = JSON.stringify({ ...signature, ...plainText(parts.title, body) })
      return { url: channel.url, headers: { 'content-type': 'application/json; charset=utf-8' }, body }
    },
    answer(response) {
      const status = answerToStatus(response)
      if (status) return status
      // Older bots answer { StatusCode, StatusMessage }; current ones { code, msg }.
      const json = answerJson(response.body)
      if (json && json.code === undefined && typeof json.StatusCode === 'number')
        return answerCode(response.body, 'StatusCode', rateLimitCodes, 'StatusMessage')
      return answerCode(response.body, 'code', rateLimitCodes, 'msg')
    },
  }
}

function plainText(title: string, body: string): Record<string, unknown> {
  return {
    msg_type: 'text',
    content: { text: clipBytes(`${title}\n(cut to fit Feishu's 20 KB limit)\n${body}`, FEISHU_TEXT_BYTES / 2) },
  }
}
