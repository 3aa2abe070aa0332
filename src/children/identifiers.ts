import { BadUserInputError } from '../common/errors';
import { IdentifierScheme } from '../common/enums/children';

/**
 * Checking and normalising the identifiers by which services know a child. A mistyped number must be refused at
 * the door: stored, it would either fail to find the child's existing record (a duplicate record, a split
 * chronology) or, worse, find another child's.
 */

/** An identifier that cannot be right, with the reason to show the user. */
export class InvalidIdentifier {
  constructor(readonly reason: string) {}
}

/**
 * NHS number: ten digits, the tenth a modulus-11 check digit (NHS Data Dictionary): weights 10 down to 2 on the
 * first nine digits; check = 11 - (sum mod 11), where 11 means 0 and 10 means the number is not valid.
 * Spaces and hyphens, as the number is printed (`943 476 5919`), are dropped.
 */
export function nhsNumberCheckDigit(firstNine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  return check === 10 ? null : check;
}

function normaliseNhsNumber(value: string): string | InvalidIdentifier {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return new InvalidIdentifier('An NHS number has 10 digits');
  if (nhsNumberCheckDigit(digits) !== Number(digits[9])) {
    return new InvalidIdentifier('This is not a valid NHS number (its check digit does not match)');
  }
  return digits;
}

/**
 * The 23 letters of the DfE check-letter table (I, O and S are left out: they read as 1, 0 and 5). A letter's
 * position is also its value when it stands as the last character of a temporary UPN.
 */
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * Unique Pupil Number (DfE, "Unique Pupil Numbers (UPN): a guide for schools and local authorities"): 13
 * characters, a check letter then 12 characters (LA number, establishment number, year, serial). The check
 * letter: multiply characters 2 to 13 by weights 2 to 13, sum, take the remainder mod 23 and look it up in the
 * table above. Characters 2 to 12 are digits; character 13 is a digit, or a table letter in a temporary UPN.
 */
export function upnCheckLetter(lastTwelve: string): string | null {
  if (!/^\d{11}[0-9A-HJ-NP-RT-Z]$/.test(lastTwelve)) return null;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const char = lastTwelve[i];
    const value = /\d/.test(char) ? Number(char) : UPN_LETTERS.indexOf(char);
    sum += value * (i + 2);
  }
  return UPN_LETTERS[sum % 23];
}

function normaliseUpn(value: string): string | InvalidIdentifier {
  const upn = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]\d{11}[0-9A-Z]$/.test(upn)) {
    return new InvalidIdentifier('A UPN has 13 characters: a check letter, then 11 digits and a digit or letter');
  }
  if (upnCheckLetter(upn.slice(1)) !== upn[0]) {
    return new InvalidIdentifier('This is not a valid UPN (its check letter does not match)');
  }
  return upn;
}

/** The stored form of an identifier, or why it cannot be right. Other schemes are only trimmed. */
export function normaliseIdentifier(scheme: IdentifierScheme, value: string): string | InvalidIdentifier {
  switch (scheme) {
    case IdentifierScheme.NHS_NUMBER:
      return normaliseNhsNumber(value);
    case IdentifierScheme.UPN:
      return normaliseUpn(value);
    default: {
      const trimmed = value.trim();
      return trimmed.length > 0 ? trimmed : new InvalidIdentifier('An identifier cannot be blank');
    }
  }
}

/** A checked identifier in its stored form. */
export interface NormalisedIdentifier {
  scheme: IdentifierScheme;
  value: string;
}

/**
 * Checks and normalises identifiers; the first invalid one is BAD_USER_INPUT naming its field, e.g.
 * `input.identifiers[0].value`. The same identifier given twice counts once.
 */
export function normaliseIdentifiers(
  identifiers: ReadonlyArray<{ scheme: IdentifierScheme; value: string }> | undefined | null,
  field: string,
): NormalisedIdentifier[] {
  const seen = new Map<string, NormalisedIdentifier>();
  (identifiers ?? []).forEach(({ scheme, value }, index) => {
    const normalised = normaliseIdentifier(scheme, value);
    if (normalised instanceof InvalidIdentifier) {
      throw new BadUserInputError(normalised.reason, `${field}[${index}].value`);
    }
    seen.set(`${scheme}\u0000${normalised}`, { scheme, value: normalised });
  });
  return [...seen.values()];
}
