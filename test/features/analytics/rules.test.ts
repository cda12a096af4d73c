import { describe, expect, it } from 'vitest';
import { bucketOf, bucketsOf, csvCell, DEFAULT_SPIKE, fillSeries, HOUR, isSpike, MINUTE, spikeConfigOf, toCsv } from '../../../src/features/analytics/rules.ts';

const T = Date.UTC(2026, 11, 6, 12, 34, 56, 789);

describe('buckets', () => {
  it('floors a time to its minute, hour and day', () => {
    expect(bucketOf(T, 'm')).toBe(Date.UTC(2026, 11, 6, 12, 34));
    expect(bucketOf(T, 'h')).toBe(Date.UTC(2026, 11, 6, 12));
    expect(bucketOf(T, 'd')).toBe(Date.UTC(2026, 11, 6));
  });

  it('reads each range at its resolution, ending with the bucket now is in', () => {
    const h = bucketsOf('1h', T);
    expect(h.res).toBe('m');
    expect(h.starts).toHaveLength(60);
    expect(h.starts.at(-1)).toBe(Date.UTC(2026, 11, 6, 12, 34));
    expect(h.to - h.from).toBe(HOUR);
    expect(bucketsOf('24h', T).starts).toHaveLength(24);
    expect(bucketsOf('7d', T)).toMatchObject({ res: 'h' });
    expect(bucketsOf('7d', T).starts).toHaveLength(168);
    expect(bucketsOf('30d', T)).toMatchObject({ res: 'd' });
    expect(bucketsOf('30d', T).starts.at(-1)).toBe(Date.UTC(2026, 11, 6));
  });

  it('fills buckets nothing was counted in with zero', () => {
    const starts = [0, MINUTE, 2 * MINUTE];
    expect(fillSeries(starts, [{ at: MINUTE, n: 4 }])).toEqual([0, 4, 0]);
    expect(fillSeries(starts, [{ at: 99, n: 4 }])).toEqual([0, 0, 0]);
  });
});

describe('the invite spike rule', () => {
  const c = { ...DEFAULT_SPIKE, windowMin: 5, baselineMin: 60, floor: 10, factor: 4 };
  it('never fires below the floor, however quiet the invite was', () => {
    expect(isSpike(9, 0, c)).toBe(false);
    expect(isSpike(10, 0, c)).toBe(true);
  });
  it('fires when the window is more than factor times the baseline rate', () => {
    // Baseline 60 uses in 60 min = 5 per 5-min window; ×4 = 20.
    expect(isSpike(20, 60, c)).toBe(false);
    expect(isSpike(21, 60, c)).toBe(true);
  });
  it('does not call a steadily busy invite a spike', () => {
    expect(isSpike(300, 3600, c)).toBe(false);
  });
  it('reads settings, keeping defaults for anything out of range or not a whole number', () => {
    expect(spikeConfigOf({ floor: '3', factor: 2, windowMin: 0, baselineMin: 'x', cooldownMin: 1.5 })).toEqual({
      ...DEFAULT_SPIKE,
      floor: 3,
      factor: 2,
    });
    expect(spikeConfigOf({})).toEqual(DEFAULT_SPIKE);
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
  });

  it('makes cells that a spreadsheet would run as a formula plain text', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    // Numbers we write ourselves stay numbers.
    expect(csvCell(-2)).toBe('-2');
  });

  it('joins rows with CRLF, header first', () => {
    expect(
      toCsv(
        ['code', 'joins'],
        [
          ['abc', 3],
          ['=x', 1],
        ],
      ),
    ).toBe("code,joins\r\nabc,3\r\n'=x,1\r\n");
  });
});
