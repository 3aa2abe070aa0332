import type { InputProblem } from './page-graphql';

/** A form's errors as GOV.UK's error summary and its fields take them. */
export interface FormErrors {
  /** For govukErrorSummary: each message linking to the field it is about. */
  list: Array<{ text: string; href: string }>;
  /** For each field's errorMessage, by the field's key (`narrative`, `occurredAt`). */
  byField: Record<string, { text: string }>;
}

export interface FormFields {
  /** The id of the element a key's error links to, where it is not the key itself (a date input's day). */
  ids?: Record<string, string>;
  /**
   * What to say when a value the API requires is missing or not one of its choices. GraphQL says that in its
   * own terms (`Variable "$input" got invalid value ...`), naming the field as `$input.category`; the person
   * is told what to do, as the GOV.UK error message guidance asks.
   */
  messages?: Record<string, string>;
}

/** The form field an input path names: `input.narrative`, `$input.indicators[0]` and `narrative` are `narrative`. */
function keyOf(field: string): string {
  return field
    .replace(/^\$/, '')
    .replace(/^input\./, '')
    .replace(/[[.].*$/, '');
}

/** The API's BAD_USER_INPUT answers (and the page's own, named the same way) as the form shows them. */
export function formErrors(problems: readonly InputProblem[], fields: FormFields = {}): FormErrors {
  const errors: FormErrors = { list: [], byField: {} };
  for (const problem of problems) {
    const key = keyOf(problem.field);
    if (errors.byField[key]) continue;
    const coercion = problem.field.startsWith('$');
    const text = (coercion ? fields.messages?.[key] : undefined) ?? problem.message;
    errors.byField[key] = { text };
    errors.list.push({ text, href: `#${fields.ids?.[key] ?? key}` });
  }
  return errors;
}
