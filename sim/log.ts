// The REST call log tests read through /_sim/log, and the counters behind /_sim/stats.
import type { OpenApiResult } from './openapi.ts';

export interface LogEntry {
  seq: number;
  time: number;
  method: string;
  path: string;
  query: Record<string, string>;
  route: string | null;
  // The guild the call concerns (its guild, its channel's or its invite's), when known.
  guildId: string | null;
  bucket: string | null;
  status: number;
  request: unknown;
  // For multipart requests: the file parts (names, types and sizes, not the bytes).
  files?: { field: string; filename: string; content_type: string; size: number }[];
  // For multipart requests: every part's name, in order.
  form?: string[];
  response: unknown;
  auditLogReason?: string;
  openapi: OpenApiResult;
}

const MAX_ENTRIES = 100_000;

export class CallLog {
  private entries: LogEntry[] = [];
  private nextSeq = 1;
  calls = 0;
  byRoute: Record<string, number> = {};

  allocate(): number {
    return this.nextSeq++;
  }

  add(entry: LogEntry): void {
    this.entries.push(entry);
    this.calls++;
    const key = entry.route ?? `${entry.method} (unknown route)`;
    this.byRoute[key] = (this.byRoute[key] ?? 0) + 1;
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  since(seq: number, guildId?: string): { calls: LogEntry[]; nextSeq: number } {
    return { calls: this.entries.filter((e) => e.seq >= seq && (guildId === undefined || e.guildId === guildId)), nextSeq: this.nextSeq };
  }

  clear(): void {
    this.entries = [];
    this.calls = 0;
    this.byRoute = {};
  }
}
