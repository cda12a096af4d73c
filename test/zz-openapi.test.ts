import { describe, expect, it } from 'vitest';
import { simApi } from './helpers.ts';

interface Report {
  enabled: boolean;
  reason?: string;
  checked: number;
  violations: { seq: number; method: string; path: string; errors: string[] }[];
}

// Named zz- so the sequencer runs it after every other file: it audits the whole suite's traffic.
const report = await simApi<Report>('/_sim/openapi');
if (!report.enabled) console.warn(`OpenAPI check skipped: ${report.reason ?? 'discord-openapi.json not found'}`);

describe("every request the bot made fits Discord's OpenAPI description", () => {
  it.skipIf(!report.enabled)('has no violations across the suite', () => {
    expect(report.checked).toBeGreaterThan(50);
    expect(report.violations).toEqual([]);
  });
});
