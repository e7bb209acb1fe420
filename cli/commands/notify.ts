/**
 * `ctflow notify test [--channel N|NAME]`: sends a test message to each channel CTFLOW_NOTIFY configures (or the one
 * named) and prints what each robot answered. Exit 1 if any failed.
 */
import type { Command } from '../command'
import { UsageError } from '../command'
import { findChannel, loadNotifySettings } from '../../lib/config'
import { sendTestMessages } from '../../lib/notify/test-message'

const HELP = `Usage: ctflow notify test [--channel N|NAME]

  Sends a test message to each channel in CTFLOW_NOTIFY (a JSON array, or @path/to/file.json) and prints what
  each answered: its position, type, name and host (never its URL's token or its secret), then ok or the error.

  --channel N|NAME  only the channel at position N (from 0) or with that "name"
`

const command: Command = async (argv, io) => {
  const [sub, ...rest] = argv
  if (sub === undefined || sub === '-h' || sub === '--help') {
    io.stdout(HELP)
    return sub === undefined ? 2 : 0
  }
  if (sub !== 'test') throw new UsageError(`unknown subcommand ${sub}\n\n${HELP}`)
  let selector: string | undefined
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    if (arg === '-h' || arg === '--help') {
      io.stdout(HELP)
      return 0
    }
    if (arg === '--channel') {
      selector = rest[++i]
      if (selector === undefined) throw new UsageError('--channel needs a position or a name')
    } else throw new UsageError(`unknown option ${arg}\n\n${HELP}`)
  }
  const { channels } = loadNotifySettings(io.env, { cwd: io.cwd })
  if (channels.length === 0) {
    io.stderr('ctflow notify: CTFLOW_NOTIFY configures no channel; nothing to test\n')
    return 1
  }
  let selected = channels
  if (selector !== undefined) {
    const channel = findChannel(channels, selector)
    if (!channel)
      throw new UsageError(
        `--channel ${selector}: no such channel (positions 0–${channels.length - 1}${channels.some((c) => c.name) ? `, names ${channels.flatMap((c) => (c.name ? [c.name] : [])).join(', ')}` : ''})`,
      )
    selected = [channel]
  }
  const outcomes = await sendTestMessages(selected)
  for (const outcome of outcomes) io.stdout(`${outcome.channel}: ${outcome.ok ? 'ok' : 'FAILED'} — ${outcome.answer}\n`)
  return outcomes.every((outcome) => outcome.ok) ? 0 : 1
}
export default command
