import { err, ok, type Result } from '../../../lib/result.ts';

/** One member's imported XP. */
export interface ImportRow {
  userId: string;
  xp: number;
}

export interface ImportProblem {
  /** 1-based line of the file. */
  line: number;
  reason: 'user-id' | 'xp' | 'columns' | 'duplicate' | 'empty' | 'too-many';
}

export const MAX_IMPORT_ROWS = 50_000;
const MAX_XP = 1_000_000_000;
const SNOWFLAKE = /^\d{17,20}$/;

/**
 * MEE6-style exports: one `user id, xp` pair per line (comma, semicolon or
 * tab), optionally a header line and extra columns after the XP (names,
 * levels), which are ignored. All or nothing: the first bad line is reported
 * and nothing is imported.
 */
export function parseImport(text: string): Result<ImportRow[], ImportProblem> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: ImportRow[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const cells = line.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (rows.length === 0 && i === firstNonEmpty(lines) && !SNOWFLAKE.test(cells[0] ?? '') && /id/i.test(cells[0] ?? '')) continue;
    if (cells.length < 2) return err({ line: i + 1, reason: 'columns' });
    const [id, xpText] = cells as [string, string];
    if (!SNOWFLAKE.test(id)) return err({ line: i + 1, reason: 'user-id' });
    if (!/^\d{1,10}$/.test(xpText) || Number(xpText) > MAX_XP) return err({ line: i + 1, reason: 'xp' });
    if (seen.has(id)) return err({ line: i + 1, reason: 'duplicate' });
    if (rows.length >= MAX_IMPORT_ROWS) return err({ line: i + 1, reason: 'too-many' });
    seen.add(id);
    rows.push({ userId: id, xp: Number(xpText) });
  }
  if (rows.length === 0) return err({ line: 1, reason: 'empty' });
  return ok(rows);
}

function firstNonEmpty(lines: readonly string[]): number {
  return lines.findIndex((l) => l.trim().length > 0);
}

/** The board as CSV: a header, then one line per member (ids and numbers only, so nothing needs quoting). */
export function toCsv(rows: readonly { userId: string; xp: number; level: number; messages: number }[]): string {
  return ['user_id,xp,level,messages', ...rows.map((r) => `${r.userId},${r.xp},${r.level},${r.messages}`)].join('\n') + '\n';
}
