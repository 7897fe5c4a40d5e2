import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCsv, toCsv } from '../../dashboard/src/csv';

describe('the dashboard CSV reader and writer (import and export of links)', () => {
  test('quoted fields keep commas, doubled quotes and line breaks; CRLF, LF, a BOM and blank lines are handled', () => {
    const text = '\ufeffurl,title\r\nhttps://a.example,"Hello, ""world"""\n\nhttps://b.example,"two\nlines"\r\nhttps://c.example,';
    assert.deepEqual(parseCsv(text), [
      ['url', 'title'],
      ['https://a.example', 'Hello, "world"'],
      ['https://b.example', 'two\nlines'],
      ['https://c.example', ''],
    ]);
  });

  test('what toCsv writes, parseCsv reads back the same', () => {
    const rows = [
      ['https://a.example/?q=1,2', 'He said "hi"', 'line\r\nbreak'],
      ['plain', '', 'x'],
    ];
    const written = toCsv(['url', 'title', 'notes'], rows);
    assert.deepEqual(parseCsv(written), [['url', 'title', 'notes'], ...rows]);
  });

  test('arrays become comma-separated cells; null is empty; spreadsheet formulas are defused', () => {
    assert.equal(toCsv(['tags', 'n', 'f'], [[['a', 'b'], null, '=HYPERLINK("x")']]), 'tags,n,f\r\n"a, b",,"\'=HYPERLINK(""x"")"\r\n');
  });
});
