import { chunkRanges } from '../bench/dataset/load';
import { scaleOf } from '../bench/dataset/scale';
import { quantile } from '../bench/runner/measure';
import { misspell } from '../bench/runner/operations';
import { OperationResult, ratios } from '../bench/runner/report';

describe('the benchmark arithmetic', () => {
  it('scales national down in proportion, keeping an agency of each kind per authority', () => {
    expect(scaleOf('national')).toMatchObject({ children: 1_000_000, concerns: 10_000_000, agencies: 2_000 });
    expect(scaleOf('medium')).toMatchObject({ children: 100_000, concerns: 1_000_000, localAuthorities: 15 });
    const small = scaleOf('small');
    expect(small).toMatchObject({ children: 10_000, auditEvents: 200_000, localAuthorities: 2, agencies: 20 });
    expect(small.agencies / small.localAuthorities).toBeGreaterThanOrEqual(5);
  });

  it('cuts a step into chunks covering every row once', () => {
    expect(chunkRanges(10, 3)).toEqual([
      [1, 3],
      [4, 6],
      [7, 10],
    ]);
    expect(chunkRanges(2, 4)).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('takes quantiles by nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([quantile(sorted, 0.5), quantile(sorted, 0.95), quantile(sorted, 0.99)]).toEqual([50, 95, 99]);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('misspells a name by swapping two neighbouring letters', () => {
    expect(misspell('Okafor')).not.toBe('Okafor');
    expect([...misspell('Okafor')].sort()).toEqual([...'Okafor'].sort());
  });

  it("relates child-read's throughput to the ceiling's and the baseline's", () => {
    const at = (name: string, perSecond: number) => ({ name, closed: { perSecond } }) as OperationResult;
    expect(ratios([at('ceiling', 1000), at('child-read', 300), at('sql-baseline', 600)])).toEqual({
      'child-read/ceiling': 0.3,
      'child-read/sql-baseline': 0.5,
    });
  });
});
