import { BadUserInputError } from '../common/errors';
import { characterCount } from '../common/text';

/**
 * A child's names as the record keeps them, so that one name is stored, searched and matched in one form
 * whoever typed it and however (DESIGN §2: one record per child; a second spelling of the same bytes would split
 * it):
 * - Unicode NFC: "Siobhán" typed with a combining accent and with a precomposed á is the same name.
 * - Format characters (Unicode category Cf: zero-width space, joiners, word joiner, byte-order mark, soft hyphen,
 *   the bidirectional embeddings, overrides and isolates) are removed. They are invisible, arrive with text
 *   pasted from documents, messages and web pages, and would make two identical-looking names differ, or (the
 *   bidirectional ones) make a name display as something else.
 * - Runs of whitespace, tabs and line breaks included, become one space, and the ends are trimmed: a name is one
 *   line.
 * - Any other control character (C0 and C1, Unicode category Cc) is refused rather than removed: nobody types
 *   one, so it means the text was garbled on its way (C1 controls are what UTF-8 read as Latin-1 turns
 *   accented letters into), and the person must look at the name again rather than have it silently changed.
 */

/** The most characters (code points, as PostgreSQL's length() counts them) a name or an alias may have. */
export const MAX_NAME_CHARACTERS = 100;

const FORMAT_CHARACTERS = /\p{Cf}/gu;
const WHITESPACE_RUN = /\s+/gu;
const CONTROL_CHARACTER = /\p{Cc}/u;

/** The stored form of a name given in `field`; BAD_USER_INPUT naming the field when it cannot be one. */
export function normaliseName(value: string, field: string): string {
  const name = value.replace(FORMAT_CHARACTERS, '').replace(WHITESPACE_RUN, ' ').trim().normalize('NFC');
  if (CONTROL_CHARACTER.test(name)) {
    throw new BadUserInputError('A name cannot contain control characters; check how it was copied in', field);
  }
  if (name.length === 0) throw new BadUserInputError('A name cannot be blank', field);
  // Composition can lengthen a few characters (U+0958 is two code points in NFC), past what the record holds.
  if (characterCount(name) > MAX_NAME_CHARACTERS) {
    throw new BadUserInputError(`A name has at most ${MAX_NAME_CHARACTERS} characters`, field);
  }
  return name;
}

/** Each of `values` normalised, field by field (`input.aliases[2]`). */
export function normaliseNames(values: readonly string[], field: string): string[] {
  return values.map((value, index) => normaliseName(value, `${field}[${index}]`));
}

/** Text searched for among names (a search box, a match), in the form names are stored in; never refused. */
export function searchableName(value: string): string {
  return value
    .replace(FORMAT_CHARACTERS, '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(WHITESPACE_RUN, ' ')
    .trim()
    .normalize('NFC');
}
