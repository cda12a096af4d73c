/**
 * The REST API's OpenAPI 3.1 description, served at GET /api/openapi.json.
 * Written by hand; test/features/api/contract.test.ts checks every request and
 * answer the API tests make against it, and that it names every route.
 */

import { SECTION_NAMES, type SectionName } from '../settings/names.ts';
import { type FieldSpec, SECTIONS } from '../settings/sections.ts';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties), extra: Schema = {}): Schema => ({
  type: 'object',
  properties,
  required,
  ...extra,
});
const jsonContent = (schema: Schema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: Schema) => ({ description, content: jsonContent(schema) });
const error = (description: string) => ({ description, content: jsonContent(ref('Error')) });

const snowflake: Schema = { type: 'string', pattern: '^\\d{15,20}$' };
const millis: Schema = { type: 'integer', description: 'Milliseconds since the Unix epoch' };

const guildId = { name: 'guildId', in: 'path', required: true, description: 'The Discord server id', schema: snowflake };
const query = (name: string, schema: Schema, description: string) => ({ name, in: 'query', required: false, description, schema });

/** Errors every /api/v1 route may answer. */
const AUTH_ERRORS = {
  '400': error('Bad input: `field` names what is wrong'),
  '401': error('No valid session or key, or the key was revoked'),
  '403': error('The session cannot manage this server, the key belongs to another server, or a read key was used to change something'),
  '429': {
    description: 'The key’s rate limit (60 requests a minute) is used up',
    headers: { 'Retry-After': { description: 'Seconds until a request is allowed again', schema: { type: 'integer' } } },
    content: jsonContent(obj({ error: { type: 'string' }, retryAfter: { type: 'integer' } })),
  },
  '503': error('Discord or the dashboard configuration is unavailable'),
};

const security = [{ apiKey: [] }, { session: [] }];

/** A settings field's JSON type (src/features/settings/sections.ts says which fields each section has). */
function fieldSchema(f: FieldSpec): Schema {
  switch (f.kind) {
    case 'bool':
      return { type: 'boolean' };
    case 'int':
      return { type: 'integer' };
    case 'channel':
    case 'role':
      return nullable('string', { description: 'A Discord id, or null for none' });
    case 'channels':
      return { type: 'array', items: snowflake };
    case 'text':
    case 'longtext':
      return nullable('string');
    case 'choice':
      return { type: 'string', enum: [...(f.choices ?? [])] };
    case 'pairs':
      return { type: 'object', additionalProperties: { type: 'string' }, description: 'Invite code → campaign name (the whole list)' };
    case 'json':
      return {
        description:
          f.name === 'ladder'
            ? 'Steps, or text as /modconfig takes it (`3/24h:timeout 10m, 7/24h:kick`, `default`, `off`)'
            : 'As /automod keeps it: rules, exemptRoleIds, exemptChannelIds, patternBudget',
      };
  }
}

const sectionSchemaName = (s: SectionName) => `${s[0]!.toUpperCase()}${s.slice(1)}Config`;
const sectionProperties = (s: SectionName) => Object.fromEntries(SECTIONS[s].fields.map((f) => [f.name, fieldSchema(f)]));
const sectionSchemas = Object.fromEntries(
  SECTION_NAMES.map((s) => [sectionSchemaName(s), obj(sectionProperties(s), undefined, { additionalProperties: false })]),
);

const versioned = (config: Schema) =>
  obj({
    version: { type: 'integer', minimum: 1 },
    changedBy: nullable('string', { description: 'Who made the current version: a user, a key, or a command in Discord' }),
    changedAt: nullable('integer'),
    config,
  });

const patchBody = (properties: Record<string, Schema>) => ({
  required: true,
  content: jsonContent({
    type: 'object',
    properties: { version: { type: 'integer', minimum: 1, description: 'The version read (or send If-Match)' }, ...properties },
    additionalProperties: false,
  }),
});

const conflict = (schema: Schema) => ({
  description: 'The configuration changed since `version`: the current one, and who changed it',
  content: jsonContent(obj({ error: { type: 'string' }, current: schema })),
});

const ticketStatus = { type: 'string', enum: ['open', 'claimed', 'waiting', 'escalated', 'resolved', 'closed'] };

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Guildkeep REST API',
    version: '1.0.0',
    description:
      'Per-server API. Authenticate with a key made on the dashboard (`Authorization: Bearer gk_<server id>_<secret>`, scope read or read-write, 60 requests a minute; it acts with the current permissions of its creator and stops working once they can no longer manage the server or have left it) or a dashboard session cookie (changes only from the same origin).',
  },
  components: {
    securitySchemes: {
      apiKey: { type: 'http', scheme: 'bearer', description: 'A key from the dashboard’s keys page' },
      session: { type: 'apiKey', in: 'cookie', name: 'gk_session' },
    },
    schemas: {
      Error: obj({ error: { type: 'string' }, field: { type: 'string' } }, ['error']),
      Ticket: obj({
        id: { type: 'string' },
        number: { type: 'integer' },
        status: ticketStatus,
        severity: { type: 'string' },
        issueType: { type: 'string' },
        subject: { type: 'string' },
        openerId: { type: 'string' },
        assigneeId: nullable('string'),
        tags: { type: 'array', items: { type: 'string' } },
        version: { type: 'integer' },
        createdAt: millis,
        updatedAt: millis,
      }),
      Approval: obj({
        id: { type: 'string' },
        action: { type: 'string', enum: ['kick', 'ban', 'purge', 'timeout', 'delete'] },
        userId: nullable('string'),
        reason: { type: 'string' },
        status: { type: 'string', enum: ['pending', 'approved', 'rejected', 'expired'] },
        createdAt: millis,
        expiresAt: millis,
        decidedBy: nullable('string'),
        decidedAt: nullable('integer'),
        caseId: nullable('integer'),
      }),
      Case: obj({
        id: { type: 'integer' },
        at: millis,
        userId: { type: 'string' },
        action: { type: 'string' },
        source: { type: 'string' },
        moderatorId: nullable('string'),
        reason: { type: 'string' },
        result: { type: 'string' },
        durationMs: nullable('integer'),
        approvalId: nullable('string'),
      }),
      Key: obj({
        id: { type: 'string' },
        name: { type: 'string' },
        prefix: { type: 'string', description: 'The key’s first characters' },
        scope: { type: 'string', enum: ['read', 'read-write'] },
        createdBy: { type: 'string' },
        createdAt: millis,
        lastUsedAt: nullable('integer'),
      }),
      ...sectionSchemas,
    },
  },
  security,
  paths: {
    '/api/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document',
        security: [],
        responses: { '200': ok('The OpenAPI document', { type: 'object' }) },
      },
    },
    '/api/v1/guilds/{guildId}/config': {
      get: {
        operationId: 'getConfig',
        summary:
          'Every settings section that is on (tickets, moderation, anti-raid, verification, invites, levels, events, FAQ, game servers, logging), each with its version',
        parameters: [guildId],
        responses: {
          '200': ok(
            'Each section that is on',
            obj(Object.fromEntries(SECTION_NAMES.map((s) => [s, versioned(ref(sectionSchemaName(s)))])), ['tickets'], { additionalProperties: false }),
          ),
          ...AUTH_ERRORS,
        },
      },
    },
    ...Object.fromEntries(
      SECTION_NAMES.map((s) => [
        `/api/v1/guilds/{guildId}/config/${s}`,
        {
          patch: {
            operationId: `patch-config-${s}`,
            summary: `Change the ${s} settings (the fields given), against the version read; checked by the same rules as the slash command`,
            parameters: [guildId, { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } }],
            requestBody: patchBody(sectionProperties(s)),
            responses: {
              '200': ok('The new version', versioned(ref(sectionSchemaName(s)))),
              '404': error(`The ${s} feature is not on`),
              '409': conflict(versioned(ref(sectionSchemaName(s)))),
              ...AUTH_ERRORS,
            },
          },
        },
      ]),
    ),
    '/api/v1/guilds/{guildId}/stats': {
      get: {
        operationId: 'getStats',
        summary: 'Ticket metrics (30 days), joins and leaves (last hour) and verification counts',
        parameters: [guildId],
        responses: {
          '200': ok(
            'Statistics',
            obj({
              tickets: obj({
                open: { type: 'integer' },
                byStatus: { type: 'object', additionalProperties: { type: 'integer' } },
                bySeverity: { type: 'object', additionalProperties: { type: 'integer' } },
                firstResponse: { type: 'object' },
                resolution: { type: 'object' },
              }),
              members: obj({
                joinsLastHour: { type: 'integer' },
                leavesLastHour: { type: 'integer' },
                perMinute: { type: 'array', items: obj({ minute: { type: 'integer' }, joins: { type: 'integer' }, leaves: { type: 'integer' } }) },
              }),
              verification: {
                oneOf: [
                  { type: 'null' },
                  obj({
                    enabled: { type: 'boolean' },
                    pending: { type: 'integer' },
                    passed: { type: 'integer' },
                    failed: { type: 'integer' },
                    timedOut: { type: 'integer' },
                    removed: { type: 'integer' },
                  }),
                ],
              },
            }),
          ),
          ...AUTH_ERRORS,
        },
      },
    },
    '/api/v1/guilds/{guildId}/analytics': {
      get: {
        operationId: 'getAnalytics',
        summary: 'Joins, leaves and verification per period, and joins per invite, inviter and campaign (pre-aggregated counts)',
        parameters: [
          guildId,
          query(
            'range',
            { type: 'string', enum: ['1h', '24h', '7d', '30d'] },
            'The range (default 24h): per minute for 1h, per hour for 24h and 7d, per day for 30d',
          ),
        ],
        responses: {
          '200': ok(
            'Counts of the range',
            obj({
              range: { type: 'string', enum: ['1h', '24h', '7d', '30d'] },
              buckets: { type: 'array', items: { type: 'integer' }, description: 'Each period’s start (ms since the epoch), oldest first' },
              bucketMs: { type: 'integer' },
              series: obj({
                join: { type: 'array', items: { type: 'integer' } },
                leave: { type: 'array', items: { type: 'integer' } },
                'verify-pass': { type: 'array', items: { type: 'integer' } },
                'verify-fail': { type: 'array', items: { type: 'integer' } },
              }),
              totals: obj({ join: { type: 'integer' }, leave: { type: 'integer' }, 'verify-pass': { type: 'integer' }, 'verify-fail': { type: 'integer' } }),
              invites: { type: 'array', items: obj({ key: { type: 'string' }, n: { type: 'integer' } }) },
              inviters: { type: 'array', items: obj({ key: { type: 'string' }, n: { type: 'integer' } }) },
              campaigns: { type: 'array', items: obj({ key: { type: 'string' }, n: { type: 'integer' } }) },
            }),
          ),
          '404': error('Analytics is not on'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/api/v1/guilds/{guildId}/moderation/cases': {
      get: {
        operationId: 'getCases',
        summary: 'The moderation log, newest first, a page at a time',
        parameters: [
          guildId,
          query('limit', { type: 'integer', minimum: 1, maximum: 100 }, 'Cases per page (default 25)'),
          query('before', { type: 'integer', minimum: 1 }, 'Only cases with an id below this (the previous page’s `nextBefore`)'),
        ],
        responses: {
          '200': ok('A page of cases', obj({ cases: { type: 'array', items: ref('Case') }, nextBefore: nullable('integer') })),
          '404': error('Moderation is not on'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/api/v1/guilds/{guildId}/moderation/approvals': {
      get: {
        operationId: 'getApprovals',
        summary: 'Requests waiting in the mod queue, oldest first',
        parameters: [guildId],
        responses: {
          '200': ok('Pending approvals', obj({ approvals: { type: 'array', items: ref('Approval') } })),
          '404': error('Moderation is not on'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/api/v1/guilds/{guildId}/moderation/approvals/{approvalId}': {
      post: {
        operationId: 'decideApproval',
        summary: 'Approve or reject a request, once (as the queue’s buttons do)',
        parameters: [guildId, { name: 'approvalId', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{1,15}$' } }],
        requestBody: {
          required: true,
          content: jsonContent(obj({ decision: { type: 'string', enum: ['approve', 'reject'] } }, undefined, { additionalProperties: false })),
        },
        responses: {
          '200': ok('Decided (an approval is carried out as a case)', obj({ approval: ref('Approval') })),
          '404': error('No such approval, or moderation is not on'),
          '409': { description: 'Already decided or expired', content: jsonContent(obj({ error: { type: 'string' }, approval: ref('Approval') })) },
          ...AUTH_ERRORS,
        },
      },
    },
    '/api/v1/guilds/{guildId}/members/{userId}': {
      get: {
        operationId: 'getMember',
        summary: 'A member’s level and their latest tickets',
        parameters: [guildId, { name: 'userId', in: 'path', required: true, schema: snowflake }],
        responses: {
          '200': ok(
            'The member',
            obj({
              userId: { type: 'string' },
              levels: {
                oneOf: [
                  { type: 'null' },
                  obj({
                    xp: { type: 'integer' },
                    level: { type: 'integer' },
                    rank: nullable('integer'),
                    messages: { type: 'integer' },
                    voiceMinutes: { type: 'integer' },
                  }),
                ],
              },
              tickets: { type: 'array', items: ref('Ticket') },
            }),
          ),
          ...AUTH_ERRORS,
        },
      },
    },
    '/api/v1/guilds/{guildId}/leaderboard': {
      get: {
        operationId: 'getLeaderboard',
        summary: 'Members by XP',
        parameters: [
          guildId,
          query('page', { type: 'integer', minimum: 0 }, 'From 0'),
          query('size', { type: 'integer', minimum: 1, maximum: 100 }, 'Members per page (default 25)'),
        ],
        responses: {
          '200': ok(
            'A page of the leaderboard',
            obj({
              total: { type: 'integer' },
              page: { type: 'integer' },
              members: {
                type: 'array',
                items: obj({
                  rank: { type: 'integer' },
                  userId: { type: 'string' },
                  name: nullable('string'),
                  xp: { type: 'integer' },
                  level: { type: 'integer' },
                }),
              },
            }),
          ),
          '404': error('Levels are not on'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/api/v1/guilds/{guildId}/tickets': {
      get: {
        operationId: 'getTickets',
        summary: 'Tickets, by severity then age, a page at a time',
        parameters: [
          guildId,
          query('status', { type: 'string', enum: ['active', 'all', ...(ticketStatus.enum as string[])] }, 'Default active'),
          query('tag', { type: 'string' }, 'Only tickets with this tag'),
          query('page', { type: 'integer', minimum: 0 }, 'From 0'),
          query('size', { type: 'integer', minimum: 1, maximum: 100 }, 'Tickets per page (default 25)'),
        ],
        responses: {
          '200': ok('A page of tickets', obj({ total: { type: 'integer' }, page: { type: 'integer' }, tickets: { type: 'array', items: ref('Ticket') } })),
          ...AUTH_ERRORS,
        },
      },
      post: {
        operationId: 'createTicket',
        summary: 'Open a ticket for a member, as /ticket open does (their intake rules, open-ticket limit and support hours apply)',
        parameters: [guildId],
        requestBody: {
          required: true,
          content: jsonContent(
            obj(
              {
                openerId: snowflake,
                channelId: { ...snowflake, description: 'Where the ticket’s thread opens (unless tickets open as channels in a category)' },
                issueType: { type: 'string', enum: ['login', 'crash', 'billing', 'bug', 'other'] },
                severity: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
                subject: { type: 'string', minLength: 1, maxLength: 100 },
                description: { type: 'string', maxLength: 2000 },
              },
              ['openerId', 'channelId', 'issueType', 'severity', 'subject'],
              { additionalProperties: false },
            ),
          ),
        },
        responses: {
          '201': ok('Opened; its thread or channel is made in the background', obj({ ticket: ref('Ticket') })),
          '404': error('No such member or channel in this server'),
          '422': error('Refused by the ticket rules (intake, open-ticket limit, support hours, channel type): the reason'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/api/v1/guilds/{guildId}/tickets/{number}': {
      patch: {
        operationId: 'patchTicket',
        summary: 'Claim, assign, set the status, tag, close or reopen a ticket, against the version read (the staff inbox’s actions)',
        parameters: [guildId, { name: 'number', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{1,9}$' } }],
        requestBody: {
          required: true,
          content: jsonContent(
            obj({
              version: { type: 'integer' },
              action: {
                oneOf: [
                  obj({ kind: { type: 'string', enum: ['claim', 'reopen'] } }),
                  obj({ kind: { const: 'close' }, reason: nullable('string') }, ['kind']),
                  obj({ kind: { const: 'assign' }, assigneeId: snowflake }),
                  obj({ kind: { const: 'set-status' }, status: { type: 'string', enum: ['waiting', 'escalated', 'resolved'] } }),
                  obj({ kind: { const: 'tag' }, tag: { type: 'string' }, on: { type: 'boolean' } }),
                ],
              },
            }),
          ),
        },
        responses: {
          '200': ok('The ticket after the change', obj({ ticket: ref('Ticket') })),
          '404': error('No such ticket'),
          '409': { description: 'The ticket changed since `version`', content: jsonContent(obj({ error: { type: 'string' }, ticket: ref('Ticket') })) },
          '422': {
            description: 'The change is not allowed now (e.g. the assignee is not staff)',
            content: jsonContent({ oneOf: [ref('Error'), obj({ error: { type: 'string' }, ticket: ref('Ticket') })] }),
          },
          ...AUTH_ERRORS,
        },
      },
    },
    '/api/dashboard/guilds/{id}/keys': {
      get: {
        operationId: 'listKeys',
        summary: 'The server’s API keys (never the keys themselves)',
        security: [{ session: [] }],
        parameters: [{ ...guildId, name: 'id' }],
        responses: { '200': ok('Keys', obj({ keys: { type: 'array', items: ref('Key') } })), ...AUTH_ERRORS },
      },
      post: {
        operationId: 'createKey',
        summary: 'Create a key; the answer is the only time it is shown',
        security: [{ session: [] }],
        parameters: [{ ...guildId, name: 'id' }],
        requestBody: {
          required: true,
          content: jsonContent(obj({ name: { type: 'string', minLength: 1, maxLength: 64 }, scope: { type: 'string', enum: ['read', 'read-write'] } })),
        },
        responses: {
          '201': ok('The new key', { allOf: [ref('Key'), obj({ key: { type: 'string', pattern: '^gk_\\d{15,20}_[A-Za-z0-9_-]{43}$' } })] }),
          '409': error('The server has the most keys it may'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/api/dashboard/guilds/{id}/keys/{keyId}': {
      delete: {
        operationId: 'revokeKey',
        summary: 'Revoke a key at once',
        security: [{ session: [] }],
        parameters: [
          { ...guildId, name: 'id' },
          { name: 'keyId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{8}$' } },
        ],
        responses: { '204': { description: 'Revoked' }, '404': error('No such key'), ...AUTH_ERRORS },
      },
    },
  },
} as const;
