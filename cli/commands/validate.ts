import type { Command } from '../command'

// Placeholder until the issue that owns `ctflow validate` lands; replaced, never shipped as done.
const command: Command = async (_argv, io) => {
  io.stderr('ctflow validate: not implemented yet\n')
  return 1
}
export default command
