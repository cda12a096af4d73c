import { ApplicationCommandType } from 'discord-api-types/v10';
import type { FeatureCommand, FeatureModule } from './feature.ts';

/**
 * How a command is named among the claims: a slash command by its name, a
 * context-menu command with its kind, as Discord keeps the three kinds'
 * names apart (a `ticket` message command does not clash with /ticket).
 */
const claimName = (c: FeatureCommand): string =>
  c.type === ApplicationCommandType.Message ? `message "${c.name}"` : c.type === ApplicationCommandType.User ? `user "${c.name}"` : c.name;
const isChatInput = (c: FeatureCommand): boolean => c.type === undefined || c.type === ApplicationCommandType.ChatInput;

/** One name claimed by more than one feature. */
export interface Clash {
  kind: 'command' | 'custom_id' | 'autocomplete' | 'job' | 'timer' | 'migration' | 'route' | 'feature';
  name: string;
  features: string[];
}

/**
 * Every name two features both claim: feature names, command names (per kind), custom_id
 * prefixes, job and timer kinds, migration names (per actor kind) and HTTP
 * routes. Also a feature autocompleting a command it does not define.
 */
export function checkClaims(features: readonly FeatureModule[]): Clash[] {
  const owners = new Map<string, { kind: Clash['kind']; name: string; features: string[] }>();
  const claim = (kind: Clash['kind'], name: string, feature: string) => {
    const k = `${kind}\u0000${name}`;
    const o = owners.get(k) ?? { kind, name, features: [] };
    if (!o.features.includes(feature)) o.features.push(feature);
    else if (kind === 'migration' || kind === 'command') o.features.push(feature); // the same name twice in one feature
    owners.set(k, o);
  };
  const clashes: Clash[] = [];
  for (const f of features) {
    claim('feature', f.name, f.name);
    for (const c of f.commands) claim('command', claimName(c), f.name);
    for (const p of f.customIds) claim('custom_id', p, f.name);
    for (const j of f.jobs) claim('job', j, f.name);
    for (const t of f.timers) claim('timer', t, f.name);
    for (const [actor, list] of Object.entries(f.migrations)) for (const m of list ?? []) claim('migration', `${actor}:${f.name}:${m.name}`, f.name);
    for (const r of f.routes) claim('route', `${r.method} ${r.path}`, f.name);
    for (const a of f.autocomplete) {
      claim('autocomplete', a, f.name);
      if (!f.commands.some((c) => isChatInput(c) && c.name === a)) clashes.push({ kind: 'autocomplete', name: a, features: [f.name] });
    }
  }
  for (const o of owners.values()) if (o.features.length > 1) clashes.push(o);
  return clashes;
}

/** Throws, naming every clash, when features claim the same names (called when the Worker module loads). */
export function assertClaims(features: readonly FeatureModule[]): void {
  const clashes = checkClaims(features);
  if (clashes.length > 0) {
    throw new Error(`feature claims clash: ${clashes.map((c) => `${c.kind} "${c.name}" (${c.features.join(', ')})`).join('; ')}`);
  }
}
