import { cutNote, messageParts, textTable } from '../message-parts'
import { answerToStatus, type ChannelDriver } from './channel-driver'

/**
 * Slack incoming webhook: Block Kit blocks (header, fields, the cause, the report as a preformatted table, the link)
 * with a plain `text` fallback for notifications. Slack answers `ok` (HTTP 200), an error word with 400/403/404/410
 * (`invalid_payload`, `channel_is_archived`, …), or 429 with Retry-After.
 */
export const SLACK_SECTION_CHARS = 3000 // a section's text
export const SLACK_HEADER_CHARS = 150
export const SLACK_FIELD_CHARS = 2000

export function slackDriver(): ChannelDriver {
  return {
    async request(channel, notification) {
      const parts = messageParts(notification)
      const blocks: unknown[] = [
        { type: 'header', text: { type: 'plain_text', text: clip(parts.title, SLACK_HEADER_CHARS), emoji: true } },
        {
          type: 'section',
          // At most 10 fields per section.
          fields: parts.fields.slice(0, 10).map(([label, value]) => ({
            type: 'mrkdwn',
            text: clip(`*${label}*\n${escapeMrkdwn(value)}`, SLACK_FIELD_CHARS),
          })),
        },
      ]
      if (parts.text)
        blocks.push({
          type: 'section',
          text: { type: 'mrkdwn', text: clip(`>${escapeMrkdwn(parts.text)}`, SLACK_SECTION_CHARS) },
        })
      const report = parts.report
      if (report) {
        if (report.summary)
          blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Report*: ${escapeMrkdwn(report.summary)}` } })
        const lines = textTable(report, report.rows)
        const fence = 8 // ``` twice and the newlines
        const kept: string[] = []
        let used = fence
        for (const line of lines) {
          if (used + line.length + 1 > SLACK_SECTION_CHARS - 80) break
          kept.push(line)
          used += line.length + 1
        }
        const cut = lines.length - kept.length + (report.omitted ?? 0)
        blocks.push({
          type: 'section',
          text: { type: 'mrkdwn', text: `\`\`\`\n${escapeMrkdwn(kept.join('\n'))}\n\`\`\`` },
        })
        if (cut > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cutNote(cut, 'Slack') }] })
      }
      if (parts.link) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `<${parts.link}|Open the run>` } })
      const text = clip(`${parts.title}${parts.text ? `: ${parts.text}` : ''}`, SLACK_SECTION_CHARS)
      return {
        url: channel.url,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, blocks }),
      }
    },
    answer(response) {
      const status = answerToStatus(response)
      if (status) return status
      return response.body.trim() === 'ok'
        ? { ok: true, summary: 'ok' }
        : { ok: false, retryable: false, summary: `unexpected answer: ${response.body.slice(0, 300)}` }
    },
  }
}

/** Slack's mrkdwn escapes: &, < and > (everything else is text). */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
