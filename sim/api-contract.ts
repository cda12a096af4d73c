// Checks exchanges with Guildkeep's own REST API against the OpenAPI document
// it serves (test/features/api/contract.test.ts posts both here): each request's
// parameters and body, and each answer's status and body. In Node, because
// ajv compiles schemas to code, which workerd does not allow.
import type { FormatsPlugin } from 'ajv-formats';
import ajvFormatsModule from 'ajv-formats';
import type { Document } from 'openapi-backend';
import { OpenAPIBackend } from 'openapi-backend';

const addFormats = ((ajvFormatsModule as unknown as { default?: FormatsPlugin }).default ?? ajvFormatsModule) as unknown as FormatsPlugin;

export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  response: unknown;
}

export interface ContractReport {
  checked: number;
  /** operationId of each exchange, in order (null: no operation matched). */
  operations: (string | null)[];
  violations: { index: number; method: string; path: string; status: number; errors: string[] }[];
}

const text = (e: { instancePath?: string; message?: string; keyword: string; params?: unknown }) =>
  `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`;

export async function checkContract(document: unknown, exchanges: readonly Exchange[]): Promise<ContractReport> {
  const api = new OpenAPIBackend({
    definition: document as Document,
    quick: true,
    validate: true,
    coerceTypes: true,
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await api.init();
  const report: ContractReport = { checked: 0, operations: [], violations: [] };
  exchanges.forEach((x, index) => {
    report.checked++;
    const req = { method: x.method.toLowerCase(), path: x.path, query: x.query, headers: x.headers, body: x.body ?? undefined };
    const op = api.matchOperation(req);
    report.operations.push(op?.operationId ?? null);
    const errors: string[] = [];
    if (!op) errors.push(`no operation for ${x.method} ${x.path}`);
    else {
      // Requests the API refused as bad input are meant not to fit; the others must.
      if (x.status !== 400) errors.push(...(api.validateRequest(req, op).errors ?? []).map((e) => `request ${text(e)}`));
      const declared = (op.responses ?? {}) as Record<string, { content?: unknown }>;
      const answer = declared[String(x.status)];
      if (!answer) errors.push(`status ${x.status} is not described`);
      else if (answer.content) errors.push(...(api.validateResponse(x.response, op, x.status).errors ?? []).map((e) => `response ${text(e)}`));
    }
    if (errors.length) report.violations.push({ index, method: x.method, path: x.path, status: x.status, errors });
  });
  return report;
}
