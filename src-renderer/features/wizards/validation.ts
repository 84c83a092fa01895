/**
 * Client-side checks the wizards run while the user types, with the API server's own texts
 * (apimachinery's validation messages), so the inline error reads the same as the server's.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const DNS1123_LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** Why `name` is not a DNS-1123 label (Deployments, Services, namespaces here), or undefined. */
export function dns1123LabelError(name: string): string | undefined {
  if (name === '') return 'Required value';
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(name)) return DNS1123_LABEL_MESSAGE;
  return undefined;
}

export function envVarNameError(name: string): string | undefined {
  if (name === '') return 'Required value';
  if (!ENV_VAR_NAME.test(name))
    return "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
  return undefined;
}

/** A port number as typed: a whole number 1–65535. */
export function portNumberError(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return 'Required value';
  if (!/^\d+$/.test(t)) return 'must be a number';
  const n = Number(t);
  if (n < 1 || n > 65535) return 'must be between 1 and 65535, inclusive';
  return undefined;
}

/** A port as a probe or a Service's targetPort takes it: a number or a container port's name. */
export function portRefError(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return 'Required value';
  if (/^\d+$/.test(t)) return portNumberError(t);
  if (t.length > 15 || !PORT_NAME.test(t) || !/[a-z]/.test(t)) return 'must be a port number or an IANA_SVC_NAME (at most 15 characters, lower case letters, digits and "-")';
  return undefined;
}

/** The port as the object carries it: a number when numeric, else the name. */
export function portRef(text: string): number | string {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : t;
}

/** A whole number ≥ min as typed ('' allowed when optional). */
export function wholeNumberError(text: string, min: number, optional = false): string | undefined {
  const t = text.trim();
  if (t === '') return optional ? undefined : 'Required value';
  if (!/^\d+$/.test(t)) return 'must be a whole number';
  if (Number(t) < min) return `must be greater than or equal to ${min}`;
  return undefined;
}

/** A resource quantity (`100m`, `0.5`, `128Mi`, `1G`), as resource.ParseQuantity accepts. */
export function quantityError(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/^[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.test(t)) return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  return undefined;
}

/**
 * Splits a command line into words as a shell would for simple cases: spaces separate words,
 * single and double quotes group, a backslash escapes the next character.
 */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}
