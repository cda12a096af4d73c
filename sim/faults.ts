// Scripted failures served instead of the real answer: rate limits, 5xx,
// 401, or a dropped connection.
export type FaultStatus = 429 | 500 | 502 | 503 | 401 | 'reset';

export interface FaultSpec {
  method?: string;
  path: string;
  times?: number;
  status: FaultStatus;
  retryAfter?: number;
  global?: boolean;
}

export interface Fault {
  method: string | null;
  re: RegExp;
  remaining: number;
  status: FaultStatus;
  retryAfter: number;
  global: boolean;
}

const STATUSES: readonly unknown[] = [429, 500, 502, 503, 401, 'reset'];

export function parseFault(body: unknown): Fault {
  if (typeof body !== 'object' || body === null) throw new Error('fault must be an object');
  const b = body as Record<string, unknown>;
  if (typeof b.path !== 'string') throw new Error('fault.path (regex source) is required');
  if (!STATUSES.includes(b.status)) throw new Error(`fault.status must be one of ${STATUSES.join(', ')}`);
  const times = b.times === undefined ? 1 : Number(b.times);
  if (!Number.isInteger(times) || times < 1) throw new Error('fault.times must be a positive integer');
  return {
    method: typeof b.method === 'string' ? b.method.toUpperCase() : null,
    re: new RegExp(b.path),
    remaining: times,
    status: b.status as FaultStatus,
    retryAfter: typeof b.retryAfter === 'number' ? b.retryAfter : 1,
    global: b.global === true,
  };
}

export class FaultQueue {
  private faults: Fault[] = [];

  add(f: Fault): void {
    this.faults.push(f);
  }

  take(method: string, path: string): Fault | null {
    const f = this.faults.find((x) => x.remaining > 0 && (x.method === null || x.method === method) && x.re.test(path));
    if (!f) return null;
    f.remaining--;
    if (f.remaining === 0) this.faults = this.faults.filter((x) => x !== f);
    return f;
  }

  pending(): number {
    return this.faults.length;
  }

  clear(): void {
    this.faults = [];
  }
}
