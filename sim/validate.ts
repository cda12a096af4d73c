// Discord's payload limits, answered as 50035 trees (or 50006 for an empty
// message) exactly where Discord checks them. Inputs are untrusted JSON, so
// everything is narrowed from `unknown`.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  Locale,
  MessageFlags,
  RESTJSONErrorCodes,
  TextInputStyle,
} from 'discord-api-types/v10';
import { apiError, FormErrors } from './errors.ts';

type Path = Array<string | number>;
type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function maxLen(f: FormErrors, path: Path, v: unknown, max: number): void {
  if (typeof v === 'string' && [...v].length > max) {
    f.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }
}

function lenBetween(f: FormErrors, path: Path, v: unknown, min: number, max: number): void {
  const n = typeof v === 'string' ? [...v].length : Array.isArray(v) ? v.length : -1;
  if (n >= 0 && (n < min || n > max)) f.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
}

function required(f: FormErrors, path: Path, v: unknown): boolean {
  if (v === undefined || v === null) {
    f.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return false;
  }
  return true;
}

function mustBeString(f: FormErrors, path: Path, v: unknown): v is string {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'string') {
    f.add(path, 'BASE_TYPE_STRING', 'Must be a valid string.');
    return false;
  }
  return true;
}

function choices(f: FormErrors, path: Path, v: unknown, allowed: readonly number[]): void {
  if (v !== undefined && !allowed.includes(v as number)) {
    f.add(path, 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);
  }
}

// ---- messages -------------------------------------------------------------

export interface MessageCheckOptions {
  // Interaction responses may carry EPHEMERAL; channel messages may not.
  interaction: boolean;
  // An edit only validates what it sends; a create must not be empty.
  partial: boolean;
  // How many files[n] parts came with the request: files alone make a message non-empty.
  files?: number;
}

const CREATE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;

export function validateMessage(body: unknown, opts: MessageCheckOptions): Obj {
  const f = new FormErrors();
  if (!isObj(body)) {
    if (opts.partial) return {};
    throw apiError(RESTJSONErrorCodes.CannotSendAnEmptyMessage);
  }
  if (mustBeString(f, ['content'], body.content)) maxLen(f, ['content'], body.content, 2000);
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  if (body.flags !== undefined && body.flags !== null) {
    const allowed = CREATE_FLAGS | (opts.interaction ? MessageFlags.Ephemeral : 0);
    if (typeof body.flags !== 'number' || (body.flags & ~allowed) !== 0) {
      f.add(['flags'], 'MESSAGE_FLAGS_INVALID', 'Invalid flags.');
    }
  }
  const v2 = (flags & MessageFlags.IsComponentsV2) !== 0;
  if (v2 && ((typeof body.content === 'string' && body.content !== '') || (Array.isArray(body.embeds) && body.embeds.length > 0))) {
    f.add(
      ['content'],
      'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
      "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
    );
  }
  validateEmbeds(f, body.embeds);
  validateComponents(f, body.components, v2);
  validateAllowedMentions(f, body.allowed_mentions);
  if (body.nonce !== undefined && typeof body.nonce === 'string') maxLen(f, ['nonce'], body.nonce, 25);
  f.throwIfAny();
  if (!opts.partial && !(opts.files ?? 0) && isEmptyMessage(body)) throw apiError(RESTJSONErrorCodes.CannotSendAnEmptyMessage);
  return body;
}

export function isEmptyMessage(m: Obj): boolean {
  const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
  return (
    !(typeof m.content === 'string' && m.content.trim() !== '') &&
    !nonEmpty(m.embeds) &&
    !nonEmpty(m.components) &&
    !nonEmpty(m.attachments) &&
    !nonEmpty(m.sticker_ids) &&
    !isObj(m.poll)
  );
}

function validateEmbeds(f: FormErrors, embeds: unknown): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    f.add(['embeds'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  if (embeds.length > 10) {
    f.add(['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
    return;
  }
  let total = 0;
  const count = (v: unknown) => {
    if (typeof v === 'string') total += [...v].length;
  };
  embeds.forEach((e, i) => {
    if (!isObj(e)) {
      f.add(['embeds', i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    maxLen(f, ['embeds', i, 'title'], e.title, 256);
    count(e.title);
    maxLen(f, ['embeds', i, 'description'], e.description, 4096);
    count(e.description);
    if (isObj(e.footer)) {
      maxLen(f, ['embeds', i, 'footer', 'text'], e.footer.text, 2048);
      count(e.footer.text);
    }
    if (isObj(e.author)) {
      maxLen(f, ['embeds', i, 'author', 'name'], e.author.name, 256);
      count(e.author.name);
    }
    if (Array.isArray(e.fields)) {
      if (e.fields.length > 25) f.add(['embeds', i, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      e.fields.forEach((fl, j) => {
        if (!isObj(fl)) return;
        const p: Path = ['embeds', i, 'fields', j];
        if (required(f, [...p, 'name'], fl.name)) maxLen(f, [...p, 'name'], fl.name, 256);
        if (required(f, [...p, 'value'], fl.value)) maxLen(f, [...p, 'value'], fl.value, 1024);
        count(fl.name);
        count(fl.value);
      });
    }
  });
  if (total > 6000) f.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

const SELECTS = [
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
] as const;
const isSelect = (t: unknown) => (SELECTS as readonly unknown[]).includes(t);

interface ComponentWalk {
  customIds: Map<string, Path>;
  total: number;
}

function checkCustomId(f: FormErrors, w: ComponentWalk, path: Path, id: unknown, needed: boolean): void {
  if (id === undefined || id === null) {
    if (needed) f.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  if (!mustBeString(f, path, id)) return;
  lenBetween(f, path, id, 1, 100);
  if (w.customIds.has(id)) f.add(path, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
  else w.customIds.set(id, path);
}

function validateButton(f: FormErrors, w: ComponentWalk, p: Path, c: Obj): void {
  choices(f, [...p, 'style'], c.style, [
    ButtonStyle.Primary,
    ButtonStyle.Secondary,
    ButtonStyle.Success,
    ButtonStyle.Danger,
    ButtonStyle.Link,
    ButtonStyle.Premium,
  ]);
  maxLen(f, [...p, 'label'], c.label, 80);
  if (c.style === ButtonStyle.Link) {
    if (typeof c.url !== 'string') f.add([...p, 'url'], 'BUTTON_COMPONENT_URL_REQUIRED', 'A url is required');
    else maxLen(f, [...p, 'url'], c.url, 512);
    if (c.custom_id !== undefined) f.add([...p, 'custom_id'], 'BUTTON_COMPONENT_LINK_CUSTOM_ID', 'A custom id cannot be used with a link button');
  } else if (c.style === ButtonStyle.Premium) {
    if (typeof c.sku_id !== 'string') f.add([...p, 'sku_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
  } else {
    checkCustomId(f, w, [...p, 'custom_id'], c.custom_id, true);
    if (c.label === undefined && c.emoji === undefined) {
      f.add([...p, 'label'], 'BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED', 'A label or emoji is required');
    }
  }
}

function validateSelect(f: FormErrors, w: ComponentWalk, p: Path, c: Obj): void {
  checkCustomId(f, w, [...p, 'custom_id'], c.custom_id, true);
  maxLen(f, [...p, 'placeholder'], c.placeholder, 150);
  if (c.min_values !== undefined && (typeof c.min_values !== 'number' || c.min_values < 0 || c.min_values > 25)) {
    f.add([...p, 'min_values'], 'NUMBER_TYPE_MAX', 'int value should be between 0 and 25.');
  }
  if (c.max_values !== undefined && (typeof c.max_values !== 'number' || c.max_values < 1 || c.max_values > 25)) {
    f.add([...p, 'max_values'], 'NUMBER_TYPE_MAX', 'int value should be between 1 and 25.');
  }
  if (c.type === ComponentType.StringSelect) {
    if (!Array.isArray(c.options)) {
      f.add([...p, 'options'], 'BASE_TYPE_REQUIRED', 'This field is required');
      return;
    }
    lenBetween(f, [...p, 'options'], c.options, 1, 25);
    const values = new Set<unknown>();
    c.options.forEach((o, j) => {
      if (!isObj(o)) return;
      const op: Path = [...p, 'options', j];
      if (required(f, [...op, 'label'], o.label)) lenBetween(f, [...op, 'label'], o.label, 1, 100);
      if (required(f, [...op, 'value'], o.value)) lenBetween(f, [...op, 'value'], o.value, 1, 100);
      maxLen(f, [...op, 'description'], o.description, 100);
      if (values.has(o.value)) f.add([...op, 'value'], 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', 'Select options must have unique values');
      values.add(o.value);
    });
  }
}

function validateActionRow(f: FormErrors, w: ComponentWalk, p: Path, row: Obj, inModal: boolean): void {
  const children = row.components;
  if (!Array.isArray(children)) {
    f.add([...p, 'components'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  lenBetween(f, [...p, 'components'], children, 1, 5);
  const hasSelect = children.some((c) => isObj(c) && isSelect(c.type));
  const hasTextInput = children.some((c) => isObj(c) && c.type === ComponentType.TextInput);
  if ((hasSelect || hasTextInput) && children.length > 1) {
    f.add([...p, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
  }
  children.forEach((c, j) => {
    const cp: Path = [...p, 'components', j];
    w.total++;
    if (!isObj(c)) {
      f.add(cp, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    if (c.type === ComponentType.Button && !inModal) validateButton(f, w, cp, c);
    else if (isSelect(c.type)) validateSelect(f, w, cp, c);
    else if (c.type === ComponentType.TextInput && inModal) validateTextInput(f, w, cp, c, true);
    else f.add([...cp, 'type'], 'UNION_TYPE_CHOICES', `Value of field "type" must be one of (${inModal ? '4' : '2, 3, 5, 6, 7, 8'}).`);
  });
}

function validateComponents(f: FormErrors, components: unknown, v2: boolean): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    f.add(['components'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  const w: ComponentWalk = { customIds: new Map(), total: 0 };
  if (!v2 && components.length > 5) {
    f.add(['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
    return;
  }
  components.forEach((c, i) => {
    const p: Path = ['components', i];
    w.total++;
    if (!isObj(c)) {
      f.add(p, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    if (c.type === ComponentType.ActionRow) validateActionRow(f, w, p, c, false);
    else if (v2) validateV2(f, w, p, c);
    else f.add([...p, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
  });
  if (v2 && w.total > 40) f.add(['components'], 'COMPONENT_MAX_TOTAL_COMPONENTS_EXCEEDED', 'Must be 40 or fewer in total.');
}

// Components v2 (sections, text displays, containers...): structure and
// custom_id rules only; media URLs are not checked.
function validateV2(f: FormErrors, w: ComponentWalk, p: Path, c: Obj): void {
  switch (c.type) {
    case ComponentType.TextDisplay:
      if (required(f, [...p, 'content'], c.content)) maxLen(f, [...p, 'content'], c.content, 4000);
      return;
    case ComponentType.Section:
      if (Array.isArray(c.components)) {
        lenBetween(f, [...p, 'components'], c.components, 1, 3);
        c.components.forEach((t, j) => {
          w.total++;
          if (isObj(t)) validateV2(f, w, [...p, 'components', j], t);
        });
      }
      if (isObj(c.accessory)) {
        w.total++;
        if (c.accessory.type === ComponentType.Button) validateButton(f, w, [...p, 'accessory'], c.accessory);
      }
      return;
    case ComponentType.Container:
      if (Array.isArray(c.components)) {
        c.components.forEach((t, j) => {
          w.total++;
          if (!isObj(t)) return;
          if (t.type === ComponentType.ActionRow) validateActionRow(f, w, [...p, 'components', j], t, false);
          else validateV2(f, w, [...p, 'components', j], t);
        });
      }
      return;
    case ComponentType.MediaGallery:
    case ComponentType.Separator:
    case ComponentType.File:
    case ComponentType.Thumbnail:
      return;
    default:
      f.add([...p, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1, 9, 10, 12, 13, 14, 17).');
  }
}

function validateAllowedMentions(f: FormErrors, am: unknown): void {
  if (am === undefined || am === null) return;
  if (!isObj(am)) {
    f.add(['allowed_mentions'], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return;
  }
  const parse = Array.isArray(am.parse) ? am.parse : [];
  parse.forEach((x, i) => {
    if (!['users', 'roles', 'everyone'].includes(x as string)) {
      f.add(['allowed_mentions', 'parse', i], 'BASE_TYPE_CHOICES', "Value must be one of ('roles', 'users', 'everyone').");
    }
  });
  for (const kind of ['users', 'roles'] as const) {
    const ids = am[kind];
    if (!Array.isArray(ids)) continue;
    if (ids.length > 100) f.add(['allowed_mentions', kind], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    if (ids.length > 0 && parse.includes(kind)) {
      f.add(['allowed_mentions'], 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`);
    }
  }
}

// ---- modals ---------------------------------------------------------------

function validateTextInput(f: FormErrors, w: ComponentWalk, p: Path, c: Obj, legacy: boolean): void {
  checkCustomId(f, w, [...p, 'custom_id'], c.custom_id, true);
  choices(f, [...p, 'style'], c.style, [TextInputStyle.Short, TextInputStyle.Paragraph]);
  if (legacy) {
    if (required(f, [...p, 'label'], c.label)) lenBetween(f, [...p, 'label'], c.label, 1, 45);
  } else if (c.label !== undefined) f.add([...p, 'label'], 'TEXT_INPUT_LABEL_IN_LABEL_COMPONENT', 'Text input label must be set on the Label component');
  maxLen(f, [...p, 'value'], c.value, 4000);
  maxLen(f, [...p, 'placeholder'], c.placeholder, 100);
  if (c.min_length !== undefined && (typeof c.min_length !== 'number' || c.min_length < 0 || c.min_length > 4000)) {
    f.add([...p, 'min_length'], 'NUMBER_TYPE_MAX', 'int value should be between 0 and 4000.');
  }
  if (c.max_length !== undefined && (typeof c.max_length !== 'number' || c.max_length < 1 || c.max_length > 4000)) {
    f.add([...p, 'max_length'], 'NUMBER_TYPE_MAX', 'int value should be between 1 and 4000.');
  }
}

export function validateModal(data: unknown): void {
  const f = new FormErrors();
  if (!isObj(data)) {
    f.add(['data'], 'BASE_TYPE_REQUIRED', 'This field is required');
    f.throwIfAny();
    return;
  }
  const p: Path = ['data'];
  if (required(f, [...p, 'title'], data.title)) lenBetween(f, [...p, 'title'], data.title, 1, 45);
  if (required(f, [...p, 'custom_id'], data.custom_id)) lenBetween(f, [...p, 'custom_id'], data.custom_id, 1, 100);
  const w: ComponentWalk = { customIds: new Map(), total: 0 };
  if (!Array.isArray(data.components)) f.add([...p, 'components'], 'BASE_TYPE_REQUIRED', 'This field is required');
  else {
    lenBetween(f, [...p, 'components'], data.components, 1, 5);
    data.components.forEach((c, i) => {
      const cp: Path = [...p, 'components', i];
      if (!isObj(c)) return;
      if (c.type === ComponentType.ActionRow) validateActionRow(f, w, cp, c, true);
      else if (c.type === ComponentType.Label) {
        if (required(f, [...cp, 'label'], c.label)) lenBetween(f, [...cp, 'label'], c.label, 1, 45);
        maxLen(f, [...cp, 'description'], c.description, 100);
        const inner = c.component;
        if (!isObj(inner)) f.add([...cp, 'component'], 'BASE_TYPE_REQUIRED', 'This field is required');
        else if (inner.type === ComponentType.TextInput) validateTextInput(f, w, [...cp, 'component'], inner, false);
        else if (isSelect(inner.type)) validateSelect(f, w, [...cp, 'component'], inner);
        else if (inner.type !== ComponentType.FileUpload) {
          f.add([...cp, 'component', 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (3, 4, 5, 6, 7, 8, 19).');
        }
      } else if (c.type !== ComponentType.TextDisplay) {
        f.add([...cp, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1, 10, 18).');
      }
    });
  }
  f.throwIfAny();
}

// ---- threads & channels ---------------------------------------------------

export const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080] as const;

export function validateThreadCreate(body: unknown): Obj {
  const f = new FormErrors();
  const b = isObj(body) ? body : {};
  if (required(f, ['name'], b.name) && mustBeString(f, ['name'], b.name)) lenBetween(f, ['name'], b.name, 1, 100);
  choices(f, ['auto_archive_duration'], b.auto_archive_duration, ARCHIVE_DURATIONS);
  choices(f, ['type'], b.type, [ChannelType.AnnouncementThread, ChannelType.PublicThread, ChannelType.PrivateThread]);
  if (b.rate_limit_per_user !== undefined && (typeof b.rate_limit_per_user !== 'number' || b.rate_limit_per_user < 0 || b.rate_limit_per_user > 21600)) {
    f.add(['rate_limit_per_user'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 21600.');
  }
  f.throwIfAny();
  return b;
}

export function validateChannelCreate(body: unknown): Obj {
  const f = new FormErrors();
  const b = isObj(body) ? body : {};
  if (required(f, ['name'], b.name) && mustBeString(f, ['name'], b.name)) lenBetween(f, ['name'], b.name, 1, 100);
  choices(f, ['type'], b.type, [ChannelType.GuildText, ChannelType.GuildCategory]);
  maxLen(f, ['topic'], b.topic, 1024);
  if (
    b.rate_limit_per_user !== undefined &&
    b.rate_limit_per_user !== null &&
    (!Number.isInteger(b.rate_limit_per_user) || (b.rate_limit_per_user as number) < 0 || (b.rate_limit_per_user as number) > 21600)
  ) {
    f.add(['rate_limit_per_user'], 'NUMBER_TYPE_MAX', 'int value should be between 0 and 21600.');
  }
  if (b.permission_overwrites !== undefined) {
    if (!Array.isArray(b.permission_overwrites)) f.add(['permission_overwrites'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    else {
      if (b.permission_overwrites.length > 100) f.add(['permission_overwrites'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
      b.permission_overwrites.forEach((o, i) => {
        const p: Path = ['permission_overwrites', i];
        if (!isObj(o)) {
          f.add(p, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
          return;
        }
        required(f, [...p, 'id'], o.id);
        choices(f, [...p, 'type'], o.type, [0, 1]);
        for (const k of ['allow', 'deny'] as const) {
          const v = o[k];
          if (v !== undefined && v !== null && !/^\d+$/.test(String(v))) f.add([...p, k], 'NUMBER_TYPE_COERCE', `Value "${String(v)}" is not int.`);
        }
      });
    }
  }
  f.throwIfAny();
  return b;
}

// ---- application commands -------------------------------------------------

const NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const SUB = ApplicationCommandOptionType.Subcommand;
const GROUP = ApplicationCommandOptionType.SubcommandGroup;

function checkName(f: FormErrors, p: Path, name: unknown, chatInput: boolean): void {
  if (!required(f, p, name) || !mustBeString(f, p, name)) return;
  if (chatInput) {
    if (!NAME_RE.test(name) || name !== name.toLowerCase()) {
      f.add(p, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
  } else {
    lenBetween(f, p, name, 1, 32);
  }
}

const LOCALES: ReadonlySet<string> = new Set(Object.values(Locale));

/**
 * `name_localizations` / `description_localizations`: keys must be Discord
 * locales, values follow the rules of the field they localize. Returns the
 * longest value, which is what counts towards the 4000-character command size.
 */
function checkLocalizations(f: FormErrors, p: Path, map: unknown, value: (path: Path, v: unknown) => void): number {
  if (map === undefined || map === null) return 0;
  if (!isObj(map)) {
    f.add(p, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return 0;
  }
  let longest = 0;
  for (const [locale, v] of Object.entries(map)) {
    if (!LOCALES.has(locale)) {
      f.add([...p, locale], 'BASE_TYPE_CHOICES', `Value must be one of {${[...LOCALES].join(', ')}}.`);
      continue;
    }
    if (v === null) continue;
    if (typeof v !== 'string') {
      f.add([...p, locale], 'BASE_TYPE_STRING', 'Must be a valid string.');
      continue;
    }
    value([...p, locale], v);
    longest = Math.max(longest, [...v].length);
  }
  return longest;
}

const localizedName = (f: FormErrors, p: Path, o: Obj, chatInput: boolean) =>
  checkLocalizations(f, [...p, 'name_localizations'], o.name_localizations, (lp, v) => checkName(f, lp, v, chatInput));
const localizedDescription = (f: FormErrors, p: Path, o: Obj) =>
  checkLocalizations(f, [...p, 'description_localizations'], o.description_localizations, (lp, v) => lenBetween(f, lp, v, 1, 100));
const longest = (v: unknown, localized: number) => Math.max(String(v ?? '').length, localized);

function checkOptions(f: FormErrors, p: Path, options: unknown, parent: 'command' | 'group' | 'subcommand', size: { n: number }): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    f.add(p, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  if (options.length > 25) f.add(p, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  const names = new Set<unknown>();
  let seenOptional = false;
  const nested = options.filter((o) => isObj(o) && (o.type === SUB || o.type === GROUP)).length;
  if (nested > 0 && nested !== options.length) {
    f.add(p, 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command and sub-command group option types are mutually exclusive to all other types');
  }
  options.forEach((o, i) => {
    const op: Path = [...p, i];
    if (!isObj(o)) {
      f.add(op, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    choices(f, [...op, 'type'], o.type, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    checkName(f, [...op, 'name'], o.name, true);
    if (names.has(o.name)) f.add([...op, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
    names.add(o.name);
    if (required(f, [...op, 'description'], o.description)) lenBetween(f, [...op, 'description'], o.description, 1, 100);
    size.n += longest(o.name, localizedName(f, op, o, true)) + longest(o.description, localizedDescription(f, op, o));
    if (parent === 'group' && o.type !== SUB)
      f.add([...op, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command groups may only contain sub-commands');
    if (parent === 'subcommand' && (o.type === SUB || o.type === GROUP))
      f.add([...op, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-commands cannot contain sub-commands');
    if (o.type === SUB || o.type === GROUP) {
      if (o.required !== undefined && o.required !== false)
        f.add([...op, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Sub-commands and groups cannot be required');
      checkOptions(f, [...op, 'options'], o.options, o.type === GROUP ? 'group' : 'subcommand', size);
      return;
    }
    if (o.required === true && seenOptional)
      f.add([...op, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    if (o.required !== true) seenOptional = true;
    if (o.choices !== undefined) {
      const typed = [ApplicationCommandOptionType.String, ApplicationCommandOptionType.Integer, ApplicationCommandOptionType.Number];
      if (!typed.includes(o.type as ApplicationCommandOptionType))
        f.add([...op, 'choices'], 'APPLICATION_COMMAND_OPTION_CHOICES_INVALID', 'Choices are only allowed on string, integer and number options');
      if (o.autocomplete === true) f.add([...op, 'autocomplete'], 'APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES', 'Autocomplete cannot be used with choices');
      if (Array.isArray(o.choices)) {
        if (o.choices.length > 25) f.add([...op, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
        o.choices.forEach((c, j) => {
          if (!isObj(c)) return;
          const cp: Path = [...op, 'choices', j];
          if (required(f, [...cp, 'name'], c.name)) lenBetween(f, [...cp, 'name'], c.name, 1, 100);
          if (required(f, [...cp, 'value'], c.value) && typeof c.value === 'string') maxLen(f, [...cp, 'value'], c.value, 100);
          const localized = checkLocalizations(f, [...cp, 'name_localizations'], c.name_localizations, (lp, v) => lenBetween(f, lp, v, 1, 100));
          size.n += longest(c.name, localized) + String(c.value ?? '').length;
        });
      }
    }
    if (o.min_length !== undefined && (typeof o.min_length !== 'number' || o.min_length < 0 || o.min_length > 6000))
      f.add([...op, 'min_length'], 'NUMBER_TYPE_MAX', 'int value should be between 0 and 6000.');
    if (o.max_length !== undefined && (typeof o.max_length !== 'number' || o.max_length < 1 || o.max_length > 6000))
      f.add([...op, 'max_length'], 'NUMBER_TYPE_MAX', 'int value should be between 1 and 6000.');
  });
}

export function validateCommands(body: unknown): Obj[] {
  const f = new FormErrors();
  if (!Array.isArray(body)) {
    f.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    f.throwIfAny();
    return [];
  }
  const perType = new Map<number, number>();
  const seen = new Set<string>();
  body.forEach((cmd, i) => {
    if (!isObj(cmd)) {
      f.add([i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    const type = (cmd.type ?? ApplicationCommandType.ChatInput) as number;
    choices(f, [i, 'type'], cmd.type, [1, 2, 3, 4]);
    perType.set(type, (perType.get(type) ?? 0) + 1);
    const chat = type === ApplicationCommandType.ChatInput;
    checkName(f, [i, 'name'], cmd.name, chat);
    const key = `${type}:${String(cmd.name)}`;
    if (seen.has(key)) f.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
    seen.add(key);
    if (chat) {
      if (required(f, [i, 'description'], cmd.description)) lenBetween(f, [i, 'description'], cmd.description, 1, 100);
    } else if (cmd.description !== undefined && cmd.description !== '') {
      f.add([i, 'description'], 'APPLICATION_COMMAND_DESCRIPTION_INVALID', 'Description must be empty for user and message commands');
    }
    if (!chat && cmd.options !== undefined) f.add([i, 'options'], 'APPLICATION_COMMAND_OPTIONS_INVALID', 'Only chat input commands can have options');
    const size = { n: longest(cmd.name, localizedName(f, [i], cmd, chat)) + longest(cmd.description, chat ? localizedDescription(f, [i], cmd) : 0) };
    checkOptions(f, [i, 'options'], cmd.options, 'command', size);
    if (size.n > 4000) f.add([i], 'APPLICATION_COMMAND_TOO_LARGE', 'Command exceeds maximum size (4000)');
    if (cmd.default_member_permissions !== undefined && cmd.default_member_permissions !== null && !/^\d+$/.test(String(cmd.default_member_permissions))) {
      f.add([i, 'default_member_permissions'], 'NUMBER_TYPE_COERCE', `Value "${String(cmd.default_member_permissions)}" is not int.`);
    }
  });
  const caps: Record<number, number> = { 1: 100, 2: 15, 3: 15, 4: 1 };
  for (const [type, n] of perType) {
    if (n > (caps[type] ?? 100))
      f.add([], 'APPLICATION_COMMANDS_TOO_MANY', `Maximum number of application commands of type ${type} reached (${caps[type] ?? 100})`);
  }
  f.throwIfAny();
  return body as Obj[];
}
