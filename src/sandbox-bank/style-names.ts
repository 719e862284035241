// The names of the sandbox bank's answering styles (styles.ts has what each one does). Apart
// from the table so that the settings (config.ts) can check a name without loading the writer.

export const SANDBOX_STYLES = ['textbook', 'jpm', 'gs', 'nordea', 'crossriver'] as const;

/** How the sandbox bank writes its pain.002 acknowledgements: in the manner of which bank. */
export type SandboxStyle = (typeof SANDBOX_STYLES)[number];

export function isSandboxStyle(value: string): value is SandboxStyle {
  return (SANDBOX_STYLES as readonly string[]).includes(value);
}
