/**
 * The Summary panel's shapes: key/value rows (as `kubectl describe` prints its leading facts),
 * optionally coloured, linked to another object's details page, or shown as chips; and titled
 * groups of rows (one per container, per port, …).
 */
import type { Tone } from '../../util/status';

export interface SummaryRow {
  label: string;
  value: string;
  /** A status pill in this colour. */
  tone?: Tone;
  /** A details route (util/paths.ts detailsRoute) the value links to. */
  link?: string;
  mono?: boolean;
  /** Shown as chips (one per item) instead of `value`. */
  chips?: string[];
  testid?: string;
  /** A muted aside after the value (e.g. `7.8Gi` after `8145280Ki`). */
  hint?: string;
}

export interface SummaryGroup {
  title: string;
  /** A status shown next to the title. */
  status?: { text: string; tone: Tone };
  rows: SummaryRow[];
}

export interface Summary {
  rows: SummaryRow[];
  groups: SummaryGroup[];
  /** The groups' heading (Containers, Ports, Rules, Data …). */
  groupsTitle?: string;
}
