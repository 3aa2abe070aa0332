/**
 * A reason (why an agency asks to be involved, why a request is declined) is at least a sentence and at most
 * 2000 characters, counted as the database's `length(btrim(...))` counts them: code points, once trimmed. JS
 * string length counts UTF-16 units, so ten emoji would pass a 20-"character" check the database refuses.
 */
export const REASON_LENGTH = { min: 20, max: 2000 } as const;

export function isReason(text: string | null | undefined): text is string {
  const length = [...(text ?? '').trim()].length;
  return length >= REASON_LENGTH.min && length <= REASON_LENGTH.max;
}

/** A note (a decision's) is not blank and at most 2000 characters, as the database counts them. */
export function isNote(text: string): boolean {
  const length = [...text.trim()].length;
  return length >= 1 && length <= REASON_LENGTH.max;
}
