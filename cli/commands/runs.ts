import type { Command } from '../command'

// Placeholder until the issue that owns `ctflow runs` lands; replaced, never shipped as done.
const command: Command = async (_argv, io) => {
  io.stderr('ctflow runs: not implemented yet\n')
  return 1
}
export default command
