import { describe, expect, test } from 'vitest';
import { guardFormula } from './form-export-csv.ts';

describe('guardFormula', () => {
  test.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('makes %j text for spreadsheets', (cell) => {
    expect(guardFormula(cell)).toBe(`'${cell}`);
  });

  test.each(['Ada', '', ' =not first', '1-2', 'a@b.c'])('leaves %j as it is', (cell) => {
    expect(guardFormula(cell)).toBe(cell);
  });
});
