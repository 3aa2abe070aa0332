import { protectedBreakdown, protectedTotal, rounded } from './disclosure-control';

const KEYS = ['A', 'B', 'C', 'D', 'E'];
const table = (counts: Record<string, number>) => protectedBreakdown(KEYS, new Map(Object.entries(counts)));
const published = (counts: Record<string, number>) =>
  Object.fromEntries(table(counts).map((cell) => [cell.key, cell.suppressed ? 'x' : cell.count]));

describe('statistical disclosure control', () => {
  it('rounds to the nearest 5', () => {
    expect([0, 2, 3, 5, 7, 8, 12, 13].map(rounded)).toEqual([0, 0, 5, 5, 5, 10, 10, 15]);
  });

  it('suppresses counts from 1 to 4, publishes zeros, and rounds the rest', () => {
    expect(published({ A: 20, B: 4, C: 1, D: 0, E: 9 })).toEqual({ A: 20, B: 'x', C: 'x', D: 0, E: 10 });
  });

  it('suppresses the next smallest non-zero cell beside a lone suppressed one, the earlier key on a tie', () => {
    expect(published({ A: 20, B: 3, C: 0, D: 6, E: 6 })).toEqual({ A: 20, B: 'x', C: 0, D: 'x', E: 5 });
  });

  it('needs no complement when nothing or several cells are suppressed', () => {
    expect(published({ A: 20, B: 5, C: 0, D: 6, E: 7 })).toEqual({ A: 20, B: 5, C: 0, D: 5, E: 5 });
    expect(published({ A: 20, B: 2, C: 0, D: 6, E: 1 })).toEqual({ A: 20, B: 'x', C: 0, D: 5, E: 'x' });
  });

  it('suppresses a total from 1 to 4 and rounds any other', () => {
    expect([0, 1, 4, 5, 29].map(protectedTotal)).toEqual([0, null, null, 5, 30]);
  });
});
