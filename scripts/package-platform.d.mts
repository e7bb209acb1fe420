/** Builds one platform's artefact into `out` (default .package/<platform>) and returns the files written. */
export function packagePlatform(platform: string, options?: { out?: string }): Promise<string[]>
