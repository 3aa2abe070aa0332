/** A form as the browser posts it: a checkbox group sends one value as a string, several as a list. */
export type Posted = Record<string, string | string[] | undefined>;

export const text = (value: Posted[string]) => (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
export const list = (value: Posted[string]) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
/** An unchosen radio is not sent: the API says it is required. */
export const chosen = (value: Posted[string]) => text(value) || null;
/** An optional text the API takes as absent when empty. */
export const optional = (value: Posted[string]) => text(value) || null;

/** The day, month and year fields of a GOV.UK date input named `prefix`. */
export const dateParts = (form: Posted, prefix: string) => ({
  day: form[`${prefix}-day`],
  month: form[`${prefix}-month`],
  year: form[`${prefix}-year`],
});

/** A yes/no radio as the API's Boolean; null (required, so the API says so) when neither was chosen. */
export const yesNo = (value: Posted[string]) => (text(value) === 'yes' ? true : text(value) === 'no' ? false : null);
