/**
 * The `ctflow:*` resources registerJobActions binds (all plain calls). Kept apart from job-actions.ts so that a registry
 * can know them before that code loads (lazy-product-actions.ts).
 */
export const JOB_ACTION_NAMES = [
  'ctflow:backup:prepare',
  'ctflow:backup:readPage',
  'ctflow:backup:unreadablePage',
  'ctflow:backup:findPolicies',
  'ctflow:backup:planRetention',
  'ctflow:backup:planPrunes',
  'ctflow:backup:report',
  'ctflow:backup:pages',
  'ctflow:backup:pageReport',
  'ctflow:backup:mergeReports',
  'ctflow:image:planCopies',
  'ctflow:dr:prepare',
  'ctflow:dr:planPrunes',
  'ctflow:dr:report',
] as const
