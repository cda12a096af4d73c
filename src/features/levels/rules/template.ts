/**
 * The guild's own level-up text: `{user}` (a mention), `{name}`, `{level}`,
 * `{xp}` and `{server}`. Plain replacement, not MessageFormat: admins write
 * it in their own language, and unknown braces are left as typed.
 */
export interface TemplateValues {
  userId: string;
  name: string;
  level: number;
  xp: number;
  server: string;
}

export const PLACEHOLDERS = ['user', 'name', 'level', 'xp', 'server'] as const;

export function fillTemplate(template: string, v: TemplateValues): string {
  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    user: `<@${v.userId}>`,
    name: v.name,
    level: String(v.level),
    xp: String(v.xp),
    server: v.server,
  };
  return template.replace(/\{(user|name|level|xp|server)\}/g, (_, k: keyof typeof values) => values[k]).slice(0, 2000);
}
