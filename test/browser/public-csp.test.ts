// The staff pages will be served with a Content-Security-Policy that allows
// scripts and styles from files only (default-src 'self', no 'unsafe-inline'):
// nothing in public/ may rely on inline script, inline style or inline
// event handlers, or it would silently stop working under that policy.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PUBLIC = fileURLToPath(new URL('../../public/', import.meta.url));
const files = readdirSync(PUBLIC).filter((f) => /\.(html|js)$/.test(f));

describe('public/ under a strict Content-Security-Policy', () => {
  it('has pages and scripts to check', () => {
    expect(files).toEqual(expect.arrayContaining(['inbox.html', 'inbox.js']));
  });

  for (const f of files) {
    it(`${f}: no inline <script>, style attribute or on… handler attribute`, () => {
      const text = readFileSync(PUBLIC + f, 'utf8');
      // A <script> element without src is inline code.
      expect(text.match(/<script(?![^>]*\bsrc=)[^>]*>/gi) ?? []).toEqual([]);
      expect(text.match(/<style\b/gi) ?? []).toEqual([]);
      expect(text.match(/\sstyle\s*=\s*["'`$]/gi) ?? []).toEqual([]);
      expect(text.match(/<[a-z][^>]*\son[a-z]+\s*=/gi) ?? []).toEqual([]);
    });
  }
});
