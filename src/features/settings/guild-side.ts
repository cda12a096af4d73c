import type { GuildHost } from '../../platform/feature.ts';
import { GuildEvents } from '../events/feature.ts';
import { GuildFaq } from '../faq/feature.ts';
import { GuildLevels } from '../levels/feature.ts';
import { GuildModeration } from '../moderation/feature.ts';
import { GuildProtection } from '../protection/feature.ts';
import { GuildServers } from '../servers/feature.ts';
import { TicketsGuildSide } from '../tickets/guild-side.ts';
import type { FieldProblem, SectionName, StoredOf, Values } from './sections.ts';
import { SECTIONS } from './sections.ts';

/** Where a section's settings live: read and saved through the methods its feature's commands use. */
interface Binding<S> {
  get(): S;
  save(next: S, before: S): void;
}

type Bindings = { [K in SectionName]: Binding<StoredOf<K>> | null };

/** Each section bound to this guild's features; null where the feature is not on. */
function bind(host: GuildHost): Bindings {
  const tickets = host.peer((f): f is TicketsGuildSide => f instanceof TicketsGuildSide);
  const mod = host.peer((f): f is GuildModeration => f instanceof GuildModeration);
  const prot = host.peer((f): f is GuildProtection => f instanceof GuildProtection)?.settings();
  const levels = host.peer((f): f is GuildLevels => f instanceof GuildLevels);
  const events = host.peer((f): f is GuildEvents => f instanceof GuildEvents);
  const faq = host.peer((f): f is GuildFaq => f instanceof GuildFaq);
  const servers = host.peer((f): f is GuildServers => f instanceof GuildServers);
  return {
    tickets: tickets ? { get: () => tickets.config(), save: (c) => tickets.index.setConfig(c) } : null,
    moderation: mod
      ? {
          get: () => ({ settings: mod.settings(), automod: mod.automodConfig() }),
          save: (next, before) => {
            mod.saveSettings(next.settings);
            if (next.automod !== before.automod) mod.saveAutomod(next.automod);
          },
        }
      : null,
    antiraid: prot ? prot.antiraid : null,
    verification: prot ? prot.verification : null,
    invites: prot ? prot.campaigns : null,
    levels: levels ? { get: () => levels.store.config(), save: (c) => levels.saveConfig(c) } : null,
    events: events
      ? {
          get: () => {
            const s = events.store.settings();
            return { zone: s.zone, offsets: s.offsets, reminderMode: s.reminderMode };
          },
          save: (next, before) =>
            events.applySettings({
              zone: next.zone,
              reminderMode: next.reminderMode,
              // Only new offsets re-arm every series' reminders.
              ...(next.offsets.join() !== before.offsets.join() ? { offsets: next.offsets } : {}),
            }),
        }
      : null,
    faq: faq ? { get: () => faq.settings(), save: (s) => faq.saveSettings(s) } : null,
    servers: servers ? { get: () => servers.switches(), save: (s) => servers.saveSwitches(s) } : null,
    logging: tickets
      ? {
          // Each channel stays where its feature keeps it; this page gathers them.
          get: () => ({
            ticketLogChannelId: tickets.config().logChannelId,
            transcriptChannelId: tickets.config().transcriptChannelId,
            modLogChannelId: mod?.settings().modLogChannelId ?? null,
            raidAlertChannelId: prot?.antiraid.get().alertChannelId ?? null,
            levelsAlertChannelId: levels?.store.config().alertChannel ?? null,
          }),
          save: (n) => {
            tickets.index.setConfig({ ...tickets.config(), logChannelId: n.ticketLogChannelId, transcriptChannelId: n.transcriptChannelId });
            if (mod) mod.saveSettings({ ...mod.settings(), modLogChannelId: n.modLogChannelId });
            if (prot) prot.antiraid.save({ ...prot.antiraid.get(), alertChannelId: n.raidAlertChannelId });
            if (levels) levels.saveConfig({ ...levels.store.config(), alertChannel: n.levelsAlertChannelId });
          },
        }
      : null,
  };
}

/** One section of one guild, its stored type hidden: its values, and a checked change that saves itself. */
export interface OpenSection {
  values(): Values;
  change(patch: Values): { ok: true; save: () => Values } | { ok: false; error: FieldProblem };
}

function open<K extends SectionName>(name: K, b: Binding<StoredOf<K>>): OpenSection {
  const spec = SECTIONS[name] as unknown as {
    values(s: StoredOf<K>): Values;
    apply(s: StoredOf<K>, p: Values): { ok: true; value: StoredOf<K> } | { ok: false; error: FieldProblem };
  };
  return {
    values: () => spec.values(b.get()),
    change(patch) {
      const before = b.get();
      const next = spec.apply(before, patch);
      if (!next.ok) return next;
      return {
        ok: true,
        save: () => {
          b.save(next.value, before);
          return spec.values(b.get());
        },
      };
    },
  };
}

/** The guild's section `name`, or null when its feature is not on. */
export function guildSection(host: GuildHost, name: SectionName): OpenSection | null {
  const b = bind(host)[name];
  return b ? open(name, b as Binding<StoredOf<typeof name>>) : null;
}
