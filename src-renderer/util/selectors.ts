/**
 * Label and field selectors as the user types them: normalised before they go to the server
 * (which validates them and answers a bad one with its own message), and built from labels.
 */

/** Trims and drops the spaces around `,` and operators that people type: `app = web , tier!=db`. */
export function normalizeSelector(text: string): string {
  return text
    .trim()
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*(!=|==|=)\s*/g, '$1')
    .replace(/\s+(in|notin)\s*\(/g, ' $1 (')
    .replace(/\(\s*/g, '(')
    .replace(/\s*\)/g, ')');
}

/** `app=web,tier=db` from a label map (the selector that matches exactly these labels). */
export function selectorFromLabels(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** A field selector that picks one object by name. */
export function nameFieldSelector(name: string): string {
  return `metadata.name=${name}`;
}
