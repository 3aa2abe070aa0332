import { IdentifierScheme } from '../common/enums/children';
import { InvalidIdentifier, nhsNumberCheckDigit, normaliseIdentifier, upnCheckLetter } from './identifiers';

describe('NHS numbers', () => {
  it('accepts the NHS Data Dictionary example 943 476 5919 and stores it as ten digits', () => {
    expect(normaliseIdentifier(IdentifierScheme.NHS_NUMBER, ' 943 476 5919 ')).toBe('9434765919');
    expect(normaliseIdentifier(IdentifierScheme.NHS_NUMBER, '943-476-5919')).toBe('9434765919');
  });

  it('computes the modulus-11 check digit, with 11 standing for 0', () => {
    // 9,4,3,4,7,6,5,9,1 weighted 10..2 sum to 299; 299 mod 11 = 2; 11 - 2 = 9.
    expect(nhsNumberCheckDigit('943476591')).toBe(9);
    // 4,0,0,0,0,0,0,0,2 weighted 10..2 sum to 44 = 4 x 11: remainder 0, so the check digit is 0.
    expect(nhsNumberCheckDigit('400000002')).toBe(0);
    expect(normaliseIdentifier(IdentifierScheme.NHS_NUMBER, '4000000020')).toBe('4000000020');
  });

  it('has no valid number when the check would be 10', () => {
    // 0,...,0,6: the 6 weighted 2 is 12; remainder 1; 11 - 1 = 10: no check digit can make it valid.
    expect(nhsNumberCheckDigit('000000006')).toBeNull();
    expect(normaliseIdentifier(IdentifierScheme.NHS_NUMBER, '0000000060')).toBeInstanceOf(InvalidIdentifier);
  });

  it('refuses a mistyped digit, a transposition and the wrong length', () => {
    expect(normaliseIdentifier(IdentifierScheme.NHS_NUMBER, '9434765918')).toBeInstanceOf(InvalidIdentifier);
    expect(normaliseIdentifier(IdentifierScheme.NHS_NUMBER, '9434765991')).toBeInstanceOf(InvalidIdentifier);
    expect(normaliseIdentifier(IdentifierScheme.NHS_NUMBER, '943476591')).toBeInstanceOf(InvalidIdentifier);
    expect(normaliseIdentifier(IdentifierScheme.NHS_NUMBER, '94347659190')).toBeInstanceOf(InvalidIdentifier);
    expect(normaliseIdentifier(IdentifierScheme.NHS_NUMBER, '943476591X')).toBeInstanceOf(InvalidIdentifier);
  });
});

describe('Unique Pupil Numbers', () => {
  it('computes the DfE check letter: weights 2..13 on characters 2..13, sum mod 23, table without I, O, S', () => {
    // 2,0,1,4,0,1,2,0,0,0,0,1 weighted 2..13: 4+0+4+20+0+7+16+0+0+0+0+13 = 64; 64 mod 23 = 18 -> V.
    expect(upnCheckLetter('201401200001')).toBe('V');
    // 9,3,8,2,0,0,0,1,2,3,4,5 weighted 2..13: 18+9+32+10+0+0+0+9+20+33+48+65 = 244; 244 mod 23 = 14 -> Q.
    expect(upnCheckLetter('938200012345')).toBe('Q');
    // Remainder 0 -> A: a 1 at character 10 (weight 10) and at character 13 (weight 13) sum to 23.
    expect(upnCheckLetter('000000001001')).toBe('A');
  });

  it('reads the last letter of a temporary UPN by its place in the table', () => {
    // ...0 then A (value 0): 64 - 13 = 51 -> 51 mod 23 = 5 -> F; with B (value 1): 51 + 13 = 64 -> V.
    expect(upnCheckLetter('20140120000A')).toBe('F');
    expect(upnCheckLetter('20140120000B')).toBe('V');
    expect(upnCheckLetter('20140120000I')).toBeNull();
  });

  it('accepts a valid UPN, upper-cased and without spaces', () => {
    expect(normaliseIdentifier(IdentifierScheme.UPN, 'v201401200001')).toBe('V201401200001');
    expect(normaliseIdentifier(IdentifierScheme.UPN, 'Q938 2000 12345')).toBe('Q938200012345');
    expect(normaliseIdentifier(IdentifierScheme.UPN, 'F20140120000A')).toBe('F20140120000A');
  });

  it('refuses a wrong check letter, a changed digit and the wrong shape', () => {
    expect(normaliseIdentifier(IdentifierScheme.UPN, 'A201401200001')).toBeInstanceOf(InvalidIdentifier);
    expect(normaliseIdentifier(IdentifierScheme.UPN, 'V201401200002')).toBeInstanceOf(InvalidIdentifier);
    expect(normaliseIdentifier(IdentifierScheme.UPN, 'V20140120000')).toBeInstanceOf(InvalidIdentifier);
    expect(normaliseIdentifier(IdentifierScheme.UPN, '2201401200001')).toBeInstanceOf(InvalidIdentifier);
  });
});

describe('other identifiers', () => {
  it('are trimmed, and refused when blank', () => {
    expect(normaliseIdentifier(IdentifierScheme.POLICE_NATIONAL_COMPUTER, ' 26/123456A ')).toBe('26/123456A');
    expect(normaliseIdentifier(IdentifierScheme.LOCAL_AUTHORITY, '   ')).toBeInstanceOf(InvalidIdentifier);
  });
});
