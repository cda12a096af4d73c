import {
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  ApplicationCommandOptionType as O,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';

export const FAQ_COMMAND = 'faq';

const entryOption = {
  type: O.Integer,
  name: 'entry',
  description: 'The FAQ entry (type to search)',
  required: true,
  autocomplete: true,
  min_value: 1,
} as const;

/** /faq: the guild's knowledge base. Asking is for everyone; the rest is for staff (checked on every call). */
export const faqCommand: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: FAQ_COMMAND,
  type: ApplicationCommandType.ChatInput,
  description: 'Frequently asked questions',
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: O.Subcommand,
      name: 'ask',
      description: 'Ask the FAQ a question',
      options: [{ type: O.String, name: 'question', description: 'Your question', required: true, min_length: 3, max_length: 300 }],
    },
    { type: O.Subcommand, name: 'add', description: 'Add an entry (staff; opens a form)' },
    { type: O.Subcommand, name: 'edit', description: 'Edit an entry (staff; opens a form)', options: [entryOption] },
    { type: O.Subcommand, name: 'remove', description: 'Remove an entry (staff)', options: [entryOption] },
    {
      type: O.Subcommand,
      name: 'list',
      description: 'List the entries (staff)',
      options: [{ type: O.Integer, name: 'page', description: 'Page number (default 1)', min_value: 1 }],
    },
    {
      type: O.Subcommand,
      name: 'import',
      description: 'Import entries from a JSON or Markdown file (staff)',
      options: [
        { type: O.Attachment, name: 'file', description: 'A .json or .md file', required: true },
        {
          type: O.String,
          name: 'mode',
          description: 'Add to the FAQ (default) or replace it',
          choices: [
            { name: 'add', value: 'add' },
            { name: 'replace', value: 'replace' },
          ],
        },
      ],
    },
    {
      type: O.SubcommandGroup,
      name: 'channels',
      description: 'Help channels where questions get answered (staff)',
      options: [
        {
          type: O.Subcommand,
          name: 'add',
          description: 'Answer questions in this channel',
          options: [{ type: O.Channel, name: 'channel', description: 'A text channel', required: true, channel_types: [ChannelType.GuildText] }],
        },
        {
          type: O.Subcommand,
          name: 'remove',
          description: 'Stop answering in this channel',
          options: [{ type: O.Channel, name: 'channel', description: 'A text channel', required: true, channel_types: [ChannelType.GuildText] }],
        },
        { type: O.Subcommand, name: 'list', description: 'Show the help channels' },
      ],
    },
    {
      type: O.Subcommand,
      name: 'stats',
      description: 'Questions seen, answered, helpful and deflected (staff)',
      options: [{ type: O.Integer, name: 'days', description: 'How many days back (default 7)', min_value: 1, max_value: 90 }],
    },
    { type: O.Subcommand, name: 'unanswered', description: 'Questions the FAQ could not answer (staff)' },
    {
      type: O.Subcommand,
      name: 'config',
      description: 'FAQ settings (staff)',
      options: [{ type: O.Boolean, name: 'ai', description: 'Let an AI model answer from the FAQ when the local matcher is unsure', required: true }],
    },
  ],
};
