// Checks every REST request against Discord's own OpenAPI description and
// only records the outcome: the simulator's Discord-limit checks decide the
// answer. Settings follow shared/discord-openapi.README.md.
import { existsSync, readFileSync } from 'node:fs';
import type { FormatsPlugin } from 'ajv-formats';
import ajvFormatsModule from 'ajv-formats';
import type { Document } from 'openapi-backend';
import { OpenAPIBackend } from 'openapi-backend';

// ajv-formats is CommonJS; under Node's ESM loader its default import is the
// plugin itself, under TypeScript's view it is the module namespace.
const addFormats = ((ajvFormatsModule as unknown as { default?: FormatsPlugin }).default ?? ajvFormatsModule) as unknown as FormatsPlugin;

export interface OpenApiResult {
  checked: boolean;
  errors: string[];
}

export interface Violation {
  seq: number;
  method: string;
  path: string;
  errors: string[];
}

export class OpenApiChecker {
  readonly enabled: boolean;
  readonly reason: string | undefined;
  private api: OpenAPIBackend | null = null;
  private ready: Promise<void> | null = null;
  checked = 0;
  violations: Violation[] = [];

  constructor(specPath: string | null) {
    if (specPath === null) {
      this.enabled = false;
      this.reason = 'validation disabled (openapiPath: null)';
      return;
    }
    if (!existsSync(specPath)) {
      this.enabled = false;
      this.reason = `spec not found at ${specPath}`;
      return;
    }
    this.enabled = true;
    this.reason = undefined;
    const definition = JSON.parse(readFileSync(specPath, 'utf8')) as Document;
    const api = new OpenAPIBackend({
      definition,
      // The library's own document check judges this 3.1 spec by 3.0 rules.
      quick: true,
      validate: true,
      coerceTypes: true,
      customizeAjv: (ajv) => {
        addFormats(ajv);
        ajv.addFormat('snowflake', /^(0|[1-9][0-9]{0,19})$/);
        ajv.addFormat('nonce', () => true);
        return ajv;
      },
    });
    this.api = api;
    this.ready = api.init().then(() => undefined);
  }

  async init(): Promise<void> {
    await this.ready;
  }

  check(method: string, path: string, query: Record<string, string | string[]>, body: unknown, headers: Record<string, string>): OpenApiResult {
    if (!this.api || !this.api.initialized) return { checked: false, errors: [] };
    this.checked++;
    const req = { method: method.toLowerCase(), path: decodePath(path), query, headers, body: body ?? undefined };
    const op = this.api.matchOperation(req);
    if (!op) return { checked: true, errors: [`no operation in the spec for ${method} ${path}`] };
    const res = this.api.validateRequest(req, op);
    const errors = (res.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
    );
    return { checked: true, errors };
  }

  /**
   * A multipart/form-data request: the operation must accept that media type,
   * its payload_json must fit the operation's body schema (the multipart schema
   * is that body plus the file parts), and file parts must be ones the
   * multipart schema names when it names any (files[0]…files[9]).
   */
  checkMultipart(method: string, path: string, query: Record<string, string | string[]>, payload: unknown, fileFields: string[]): OpenApiResult {
    if (!this.api || !this.api.initialized) return { checked: false, errors: [] };
    const r = this.check(method, path, query, payload, { 'content-type': 'application/json' });
    const op = this.api.matchOperation({ method: method.toLowerCase(), path: decodePath(path), query, headers: {} });
    if (!op) return r;
    const content = (op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content ?? {};
    const multipart = content['multipart/form-data'];
    if (!multipart) return { checked: true, errors: [...r.errors, `${method} ${path} does not accept multipart/form-data`] };
    const named = new Set<string>();
    collectProperties(multipart.schema, named);
    const declaresFiles = [...named].some((n) => n.startsWith('files['));
    const errors = [...r.errors];
    if (declaresFiles) for (const f of fileFields) if (!named.has(f)) errors.push(`/ multipart part ${f} is not in the spec`);
    return { checked: true, errors };
  }

  record(seq: number, method: string, path: string, errors: string[]): void {
    if (errors.length === 0) return;
    this.violations.push({ seq, method, path, errors });
    if (this.violations.length > 10_000) this.violations.splice(0, this.violations.length - 10_000);
  }

  report(): unknown {
    return { enabled: this.enabled, ...(this.reason ? { reason: this.reason } : {}), checked: this.checked, violations: this.violations };
  }

  reset(): void {
    this.checked = 0;
    this.violations = [];
  }
}

// Match the decoded path: clients may percent-encode `@original` or token characters.
function decodePath(path: string): string {
  return path
    .split('/')
    .map((seg) => {
      try {
        return decodeURIComponent(seg);
      } catch {
        return seg;
      }
    })
    .join('/');
}

// Property names an inline schema declares directly or through allOf/anyOf/oneOf ($refs are not followed: file parts are inline).
function collectProperties(schema: unknown, out: Set<string>): void {
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as { properties?: Record<string, unknown>; allOf?: unknown[]; anyOf?: unknown[]; oneOf?: unknown[] };
  for (const k of Object.keys(s.properties ?? {})) out.add(k);
  for (const sub of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) collectProperties(sub, out);
}
