import {
  addMonths,
  addWorkingDays,
  bankHolidays,
  dateInEnglandAndWales,
  hourInEnglandAndWales,
  isBankHoliday,
  isWorkingDay,
  workingDaysBetween,
} from './working-days';

describe('the bank holidays of England and Wales', () => {
  it('are the published ones for 2026, with Boxing Day (a Saturday) substituted on Monday 28 December', () => {
    expect(bankHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-26',
      '2026-12-28',
    ]);
  });

  it('include the summer bank holiday of England and Wales (Scotland keeps an earlier one)', () => {
    expect(isBankHoliday('2027-08-30')).toBe(true);
  });

  it('move Christmas and Boxing Day at a weekend to the Monday and Tuesday after (2021)', () => {
    expect(isBankHoliday('2021-12-27')).toBe(true);
    expect(isBankHoliday('2021-12-28')).toBe(true);
    expect(isWorkingDay('2021-12-24')).toBe(true);
    expect(isWorkingDay('2021-12-29')).toBe(true);
  });

  it('move New Year’s Day on a Saturday to Monday 3 January (2022)', () => {
    expect(isBankHoliday('2022-01-03')).toBe(true);
    expect(isWorkingDay('2022-01-03')).toBe(false);
    expect(isWorkingDay('2022-01-04')).toBe(true);
  });

  it('move Christmas Day on a Sunday to Tuesday 27 December, after Boxing Day on the Monday (2022)', () => {
    expect(bankHolidays(2022).filter((day) => day >= '2022-12-01')).toEqual(['2022-12-25', '2022-12-26', '2022-12-27']);
  });

  it('include the one-off holidays: the Platinum Jubilee and the Queen’s state funeral (2022)', () => {
    expect(isBankHoliday('2022-06-03')).toBe(true);
    expect(isBankHoliday('2022-09-19')).toBe(true);
  });

  it('follow Easter: Good Friday and Easter Monday, not Easter Sunday (an observance)', () => {
    expect(isBankHoliday('2026-04-03')).toBe(true);
    expect(isBankHoliday('2026-04-06')).toBe(true);
    expect(isBankHoliday('2026-04-05')).toBe(false);
    expect(isBankHoliday('2027-03-26')).toBe(true);
    expect(isBankHoliday('2027-03-29')).toBe(true);
    expect(isBankHoliday('2025-04-18')).toBe(true);
    expect(isBankHoliday('2025-04-21')).toBe(true);
  });

  it('leave out observances that are not days off (Mother’s Day, Father’s Day)', () => {
    expect(isBankHoliday('2026-03-15')).toBe(false);
    expect(isBankHoliday('2026-06-21')).toBe(false);
  });
});

describe('working days', () => {
  it('are Monday to Friday', () => {
    expect(isWorkingDay('2026-11-20')).toBe(true); // Friday
    expect(isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-22')).toBe(false); // Sunday
    expect(isWorkingDay('2026-11-23')).toBe(true); // Monday
  });

  it('put an initial conference after a strategy discussion on Wednesday 1 April 2026 on Friday 24 April (Easter skipped)', () => {
    expect(addWorkingDays('2026-04-01', 15)).toBe('2026-04-24');
    expect(workingDaysBetween('2026-04-01', '2026-04-24')).toBe(15);
  });

  it('do not count the starting day, and zero is the day itself', () => {
    expect(addWorkingDays('2026-11-18', 1)).toBe('2026-11-19');
    expect(addWorkingDays('2026-11-21', 0)).toBe('2026-11-21');
    expect(addWorkingDays('2026-11-21', 1)).toBe('2026-11-23');
  });

  it('skip the weekend', () => {
    expect(addWorkingDays('2026-11-20', 1)).toBe('2026-11-23');
    expect(addWorkingDays('2026-11-16', 5)).toBe('2026-11-23');
  });

  it('skip Christmas, Boxing Day, New Year and their substitute days across the turn of the year', () => {
    // 24 Dec 2021 (Fri) -> 29, 30, 31 Dec, then 4 Jan 2022 (3 Jan is New Year's substitute day).
    expect(addWorkingDays('2021-12-24', 4)).toBe('2022-01-04');
    // 24 Dec 2026 (Thu): 25 Dec, the weekend, the 28 Dec substitute day and 1 Jan 2027 are off.
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    expect(addWorkingDays('2026-12-24', 4)).toBe('2027-01-04');
  });

  it('count back for a negative number: two working days before a Monday is the Thursday', () => {
    expect(addWorkingDays('2026-11-23', -2)).toBe('2026-11-19');
    expect(addWorkingDays('2026-04-07', -1)).toBe('2026-04-02');
    expect(workingDaysBetween('2026-11-23', '2026-11-19')).toBe(-2);
  });

  it('between two days are the inverse of adding them, either way', () => {
    for (const start of ['2021-12-20', '2024-02-26', '2026-03-30', '2026-12-23']) {
      for (let n = -30; n <= 30; n++) {
        expect(workingDaysBetween(start, addWorkingDays(start, n))).toBe(n);
      }
    }
  });

  it('counts none between a day and itself, nor over a weekend alone', () => {
    expect(workingDaysBetween('2026-11-20', '2026-11-20')).toBe(0);
    expect(workingDaysBetween('2026-11-20', '2026-11-22')).toBe(0);
  });

  it('run through a leap day', () => {
    expect(addWorkingDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addWorkingDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addWorkingDays('2023-02-28', 1)).toBe('2023-03-01');
  });
});

describe('calendar months', () => {
  it('keep the day of the month', () => {
    expect(addMonths('2026-04-24', 3)).toBe('2026-07-24');
    expect(addMonths('2026-07-24', 6)).toBe('2027-01-24');
  });

  it('clamp to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('know leap years: 29 February in 2024, not in 2100, yes in 2000', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-11-30', 3)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2100-01-31', 1)).toBe('2100-02-28');
    expect(addMonths('2000-01-31', 1)).toBe('2000-02-29');
  });

  it('cross years both ways', () => {
    expect(addMonths('2026-10-15', 6)).toBe('2027-04-15');
    expect(addMonths('2026-02-15', -3)).toBe('2025-11-15');
    expect(addMonths('2026-02-15', 0)).toBe('2026-02-15');
  });
});

describe('dates', () => {
  it('refuse what is not a calendar date', () => {
    expect(() => addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('1 April 2026', 1)).toThrow(RangeError);
    expect(() => isWorkingDay('2026-4-1')).toThrow(RangeError);
    expect(() => addWorkingDays('2026-04-01', 1.5)).toThrow(RangeError);
  });

  it('fall on the day of England and Wales, in summer time as in winter', () => {
    // 23:30 UTC on 30 June is already 1 July in London (BST); in January London is on UTC.
    expect(dateInEnglandAndWales(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(dateInEnglandAndWales(new Date('2026-01-31T23:30:00Z'))).toBe('2026-01-31');
  });
});

describe('hours of the day', () => {
  it('strike in London time, in summer time as in winter', () => {
    expect(hourInEnglandAndWales('2026-01-15', 8).toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(hourInEnglandAndWales('2026-07-15', 8).toISOString()).toBe('2026-07-15T07:00:00.000Z');
    expect(hourInEnglandAndWales('2026-07-15', 0).toISOString()).toBe('2026-07-14T23:00:00.000Z');
  });

  it('keep the offset of the hour on the days the clocks change', () => {
    // 29 March 2026: clocks go forward at 01:00 UTC; 25 October 2026: back at 01:00 UTC.
    expect(hourInEnglandAndWales('2026-03-29', 0).toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(hourInEnglandAndWales('2026-03-29', 8).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(hourInEnglandAndWales('2026-10-25', 0).toISOString()).toBe('2026-10-24T23:00:00.000Z');
    expect(hourInEnglandAndWales('2026-10-25', 8).toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('refuse what is not a date or an hour', () => {
    expect(() => hourInEnglandAndWales('2026-02-30', 8)).toThrow(RangeError);
    expect(() => hourInEnglandAndWales('2026-02-03', 24)).toThrow(RangeError);
  });
});
