import { formatDuration, type Notification, type ReportTable } from './notification'

/** A notification taken apart the way every channel shows one: a title, some fields, a text, a table, a link. */
export interface MessageParts {
  title: string
  tone: 'failure' | 'success' | 'info'
  fields: Array<[label: string, value: string]>
  /** The error's cause, or a message's text. */
  text?: string
  report?: ReportTable
  link?: string
}

const ICON: Record<string, string> = { FAILED: '❌', TIMED_OUT: '⏱️', ABORTED: '⛔', SUCCEEDED: '✅' }

export function messageParts(notification: Notification): MessageParts {
  if (notification.kind === 'message') {
    const fields: MessageParts['fields'] = []
    if (notification.workflow) fields.push(['Workflow', notification.workflow])
    if (notification.runId) fields.push(['Run', notification.runId])
    if (notification.state) fields.push(['State', notification.state])
    return {
      title: /ctflow/i.test(notification.title) ? notification.title : `ctflow: ${notification.title}`,
      tone: 'info',
      fields,
      text: notification.text,
      ...(notification.link ? { link: notification.link } : {}),
    }
  }
  const fields: MessageParts['fields'] = [
    ['Workflow', notification.workflow],
    ['Run', notification.runId],
    ['Status', notification.status],
  ]
  if (notification.state)
    fields.push([notification.status === 'SUCCEEDED' ? 'Last state' : 'Failing state', notification.state])
  if (notification.error !== undefined) fields.push(['Error', notification.error || '(no name)'])
  fields.push(['Duration', formatDuration(notification.durationMs)], ['Ended', notification.endedAt])
  return {
    // "ctflow" in every title: a DingTalk or Feishu robot secured by the keyword `ctflow` accepts them.
    title: `${ICON[notification.status] ?? ''} ctflow: ${notification.workflow} ${notification.status}`.trim(),
    tone: notification.status === 'SUCCEEDED' ? 'success' : 'failure',
    fields,
    ...(notification.cause ? { text: notification.cause } : {}),
    ...(notification.report ? { report: notification.report } : {}),
    ...(notification.link ? { link: notification.link } : {}),
  }
}

const encoder = new TextEncoder()
export const bytes = (text: string) => encoder.encode(text).length

/**
 * Lines that fit in `maxBytes` (UTF-8, joined with "\n"): the head and tail always, then the text clipped to what is
 * left, then as many table rows as fit, with a note saying what was cut. Never more than `maxBytes`.
 */
export function fitLines(
  { head, text, rows, tail }: { head: string[]; text?: (room: number) => string[]; rows: string[]; tail: string[] },
  maxBytes: number,
  cutNote: (left: number) => string,
): string {
  const size = (lines: string[]) => (lines.length === 0 ? 0 : bytes(lines.join('\n')) + 1)
  const fixed = size(head) + size(tail)
  const noteRoom = bytes(cutNote(rows.length)) + 2
  let body: string[] = text ? text(Math.max(0, maxBytes - fixed - noteRoom - 1)) : []
  let used = fixed + size(body)
  const kept: string[] = []
  for (const [i, row] of rows.entries()) {
    const rowBytes = bytes(row) + 1
    const left = rows.length - i - 1
    if (used + rowBytes + (left > 0 ? noteRoom : 0) > maxBytes) break
    kept.push(row)
    used += rowBytes
  }
  if (kept.length < rows.length) kept.push(cutNote(rows.length - kept.length))
  let all = [...head, ...body, ...kept, ...tail].join('\n')
  // Whatever is still over (a huge title): cut the end, with the note.
  if (bytes(all) > maxBytes) {
    body = []
    const note = `\n${cutNote(0)}`
    all = clipBytes(all, maxBytes - bytes(note)) + note
  }
  return all
}

/** The longest prefix of `text` within `max` UTF-8 bytes (never splitting a character), with "…" if it was cut. */
export function clipBytes(text: string, max: number): string {
  if (bytes(text) <= max) return text
  const budget = Math.max(0, max - bytes('…'))
  let out = ''
  let used = 0
  for (const char of text) {
    const b = bytes(char)
    if (used + b > budget) break
    out += char
    used += b
  }
  return `${out}…`
}

/** The markdown most robots read (DingTalk, WeCom, Feishu's lark_md): fields in bold, the cause quoted, one line per row. */
export function renderMarkdown(
  parts: MessageParts,
  { maxBytes, platform, heading = '### ' }: { maxBytes: number; platform: string; heading?: string },
): string {
  const head = [`${heading}${parts.title}`, ...parts.fields.map(([label, value]) => `**${label}**: ${value}`)]
  const report = parts.report
  const rows = report ? report.rows.map((row) => `- ${rowText(report, row)}`) : []
  const tail: string[] = []
  if (report?.omitted) tail.push(`…and ${report.omitted} more rows in the run's report`)
  if (parts.link) tail.push(`[Open the run](${parts.link})`)
  const reportHead = report ? [`**Report**${report.summary ? `: ${report.summary}` : ''}`] : []
  return fitLines(
    {
      head,
      text: (room) => {
        const lines = parts.text
          ? [`> ${clipBytes(parts.text.replace(/\n+/g, ' '), Math.max(0, room - bytes(reportHead.join('\n')) - 3))}`]
          : []
        return [...lines, ...reportHead]
      },
      rows,
      tail,
    },
    maxBytes,
    (left) => cutNote(left, platform),
  )
}

/** One row as `**Disk**: … · Snapshot: … · …` (no table markup: DingTalk, WeCom and Feishu's markdown have none). */
export function rowText(report: ReportTable, row: string[]): string {
  return row.map((value, i) => (i === 0 ? `**${value}**` : `${report.columns[i]}: ${value}`)).join(' · ')
}

export function cutNote(left: number, platform: string): string {
  return left > 0
    ? `…${left} more rows cut to fit ${platform}'s message size limit`
    : `…cut to fit ${platform}'s message size limit`
}

/** A fixed-width text table (for a code block: Slack). */
export function textTable(report: ReportTable, rows: string[][]): string[] {
  const widths = report.columns.map((column, i) =>
    Math.min(40, Math.max(column.length, ...rows.map((row) => (row[i] ?? '').length))),
  )
  const line = (cells: string[]) =>
    cells
      .map((value, i) => {
        const v = value.length > widths[i]! ? `${value.slice(0, widths[i]! - 1)}…` : value
        return v.padEnd(widths[i]!)
      })
      .join('  ')
      .trimEnd()
  return [line(report.columns), ...rows.map(line)]
}
