import type { Command } from '../command'

// Placeholder until the issue that owns `ctflow demo` lands; replaced, never shipped as done.
const command: Command = async (_argv, io) => {
  io.stderr('ctflow demo: not implemented yet\n')
  return 1
}
export default command
