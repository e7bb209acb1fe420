import { createActionRegistry, registerLazyActions, type ActionRegistry } from '../engine'
import type { NotifyChannel } from '../config'
import { NOTIFY_RESOURCE } from './notify-resource-name'

export { NOTIFY_RESOURCE } from './notify-resource-name'

/**
 * Registers `ctflow:notify` by name at once; its code (the channels, p-retry) loads on its first call, so an engine
 * whose workflows never notify in the middle never loads it.
 * @example registerLazyNotifyAction(actions, channels, { publicUrl })
 */
export function registerLazyNotifyAction(
  registry: ActionRegistry,
  channels: readonly NotifyChannel[],
  options: { publicUrl?: string; fetch?: typeof fetch } = {},
): ActionRegistry {
  return registerLazyActions(registry, { [NOTIFY_RESOURCE]: 'call' }, async () => {
    const { registerNotifyAction } = await import('./notify-action')
    const loaded = createActionRegistry()
    registerNotifyAction(loaded, channels, options)
    return loaded
  })
}
