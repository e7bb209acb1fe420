import { CtyunConfigError } from './errors'

/**
 * Checks one credential without ever echoing it: printable ASCII without spaces, and 32 characters when talking to
 * the real cloud (SDK credential.go CheckAk/CheckSk). The simulator may use shorter test keys.
 */
export function checkCredentialShape(
  name: 'CTYUN_AK' | 'CTYUN_SK',
  value: string,
  { requireOfficialLength }: { requireOfficialLength: boolean },
): void {
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new CtyunConfigError(
      `${name} has the wrong shape: it must be printable ASCII without spaces or line breaks (check for a pasted newline or quotes).`,
      name,
    )
  }
  if (requireOfficialLength && value.length !== 32) {
    throw new CtyunConfigError(
      `${name} has the wrong shape: CTyun keys are 32 characters, this one has ${value.length}.`,
      name,
    )
  }
}
