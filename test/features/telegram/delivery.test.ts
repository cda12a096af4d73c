import { runInDurableObject } from 'cloudflare:test';
import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { StoredApproval } from '../../../src/features/moderation/store.ts';
import { GuildTelegram } from '../../../src/features/telegram/feature.ts';
import { POST_RETENTION_MS, TelegramStore } from '../../../src/features/telegram/store.ts';
import type { GuildHost } from '../../../src/platform/feature.ts';
import { guildActor } from '../../../src/runtime/actors.ts';
import { env, eventually, newGuild, simApi } from '../../helpers.ts';
import { passTime } from '../../support/clock.ts';
import { say } from '../moderation/helpers.ts';
import { discordApproval, telegramGuild, tgApproval, tgCalls, tgMessages } from './helpers.ts';

describe('delivery to Telegram', () => {
  it('Telegram down: the post job retries later; the Discord queue message is not held up', async () => {
    const { g, chat } = await telegramGuild();
    const since = (await tgCalls()).length;
    await simApi('/_sim/telegram/faults', { body: { status: 502, count: 2 } });
    await say(g, g.memberIds[0]!, 'kickword');
    await discordApproval(g, 1);
    await eventually(async () => (await tgCalls()).slice(since).filter((c) => c.method === 'sendMessage' && c.status === 502).length === 1, 8000, 'first try');
    expect(await tgMessages(chat.id)).toEqual([]);
    const stub = guildActor(env, g.guildId);
    await passTime(stub, 61_000);
    expect(
      (await tgCalls())
        .slice(since)
        .filter((c) => c.method === 'sendMessage')
        .map((c) => c.status),
    ).toEqual([502, 502]);
    expect(await tgMessages(chat.id)).toEqual([]);
    await passTime(stub, 61_000);
    const tg = await tgApproval(chat.id, 1);
    expect(tg.reply_markup!.inline_keyboard.flat()).toHaveLength(2);
    expect(
      (await tgCalls())
        .slice(since)
        .filter((c) => c.method === 'sendMessage')
        .map((c) => c.status),
    ).toEqual([502, 502, 200]);
  });

  it('a Telegram 429 is retried when its retry_after says, not sooner', async () => {
    const { g, chat } = await telegramGuild();
    const since = (await tgCalls()).length;
    await simApi('/_sim/telegram/faults', { body: { status: 429, retry_after: 30, count: 1 } });
    await say(g, g.memberIds[0]!, 'kickword');
    await discordApproval(g, 1);
    await eventually(async () => (await tgCalls()).some((c) => c.method === 'sendMessage' && c.status === 429), 8000, '429');
    const sends = async () =>
      (await tgCalls())
        .slice(since)
        .filter((c) => c.method === 'sendMessage')
        .map((c) => c.status);
    const stub = guildActor(env, g.guildId);
    // The usual backoff would have tried again within 2 s; Telegram asked for 30.
    await passTime(stub, 20_000);
    expect(await sends()).toEqual([429]);
    await passTime(stub, 11_000);
    await tgApproval(chat.id, 1);
    expect(await sends()).toEqual([429, 200]);
  });
});

describe('expiry', () => {
  it('a request that expires loses its Telegram buttons too', async () => {
    const { g, chat } = await telegramGuild();
    await say(g, g.memberIds[0]!, 'kickword');
    await tgApproval(chat.id, 1, (m) => !!m.reply_markup);
    const stub = guildActor(env, g.guildId);
    const expiry = (await stub.timers()).find((t) => t.kind === 'mod-expire')!;
    await passTime(stub, expiry.at - Date.now() + 1000);
    await discordApproval(g, 1, 'Expired');
    const tg = await tgApproval(chat.id, 1, (m) => !m.reply_markup);
    expect(tg.text).toContain('Status: ⌛ Expired');
  });
});

describe('without TELEGRAM_BOT_TOKEN', () => {
  it('the feature sends nothing, queues nothing, and says it is off', async () => {
    const g = await newGuild();
    const queued: string[] = [];
    const result = await runInDurableObject(guildActor(env, g.guildId), async (_i, state) => {
      const host: GuildHost = {
        guildId: g.guildId,
        sql: state.storage.sql,
        rest: null as never,
        enqueue: (kind) => queued.push(kind),
        kick: () => {},
        timers: null as never,
        audit: () => {},
        metric: () => {},
        broadcast: () => {},
        // The deployment's values without a Telegram bot (featureConfigOf without TELEGRAM_BOT_TOKEN).
        config: { applicationId: env.DISCORD_APPLICATION_ID, classifier: {} },
        diagnostics: async () => [],
        peer: () => undefined,
      };
      const f = new GuildTelegram(host);
      f.store.setChatId('-1001234567890');
      f.approvalRequested({ id: '1', status: 'pending' } as StoredApproval);
      f.approvalChanged({ id: '1', status: 'approved' } as StoredApproval);
      const i = {
        locale: 'en-US',
        guild_id: g.guildId,
        member: { user: { id: g.adminId, username: 'a' }, permissions: '8', roles: [] },
      } as unknown as APIChatInputApplicationCommandInteraction;
      const chat = f.command(i, { path: 'telegram chat', options: new Map([['id', '-100555']]) });
      const status = f.command(i, { path: 'telegram status', options: new Map() });
      const update = await f.update({ update_id: 1, callback_query: { id: 'q', from: { id: 1 }, data: `gk:${g.guildId}:1:a` } });
      return { chat, status, update, stored: f.store.chatId(), diag: f.diagnose('en') };
    });
    const off = 'Telegram approvals are off: this deployment has no Telegram bot. Whoever runs Guildkeep sets the TELEGRAM_BOT_TOKEN secret to turn them on.';
    expect(queued).toEqual([]);
    expect(result.chat).toMatchObject({ outcome: 'refused:off', response: { data: { content: off } } });
    expect(result.status).toMatchObject({ outcome: 'ok', response: { data: { content: off } } });
    expect(result.stored).toBe('-1001234567890');
    expect(result.update).toBe('off');
    expect(result.diag.lines).toEqual([off]);
  });
});

describe('the daily sweep', () => {
  it('forgets expired link codes and posts older than 30 days, keeps the rest', async () => {
    const g = await newGuild();
    const left = await runInDurableObject(guildActor(env, g.guildId), (_i, state) => {
      const store = new TelegramStore(state.storage.sql);
      const now = Date.now();
      store.savePost({ approvalId: '1', chatId: '-100', messageId: 5 }, now - POST_RETENTION_MS - 1);
      store.savePost({ approvalId: '2', chatId: '-100', messageId: 6 }, now - 1000);
      store.addCode(`${g.guildId}-AAAAAAAAAA`, g.adminId, now - 1);
      store.addCode(`${g.guildId}-BBBBBBBBBB`, g.staffId, now + 60_000);
      store.sweep(now);
      return {
        posts: [store.post('1'), store.post('2')].map((p) => p?.messageId ?? null),
        codes: [store.takeCode(`${g.guildId}-AAAAAAAAAA`, now), store.takeCode(`${g.guildId}-BBBBBBBBBB`, now)],
      };
    });
    expect(left).toEqual({ posts: [null, 6], codes: [null, g.staffId] });
  });
});
