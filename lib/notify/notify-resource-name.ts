/** The Task resource a workflow reports with in the middle of a run (notify-action.ts); alone, for `ctflow validate`. */
export const NOTIFY_RESOURCE = 'ctflow:notify'
