// Files on messages, as Discord's "Uploading Files" describes them: the
// multipart parts of a request, the attachment objects they become (image
// sizes read from PNG and JPEG headers), and the bytes served back from a
// CDN-like path on the simulator's own origin.
import { createHash, randomBytes } from 'node:crypto';
import type { APIAttachment } from 'discord-api-types/v10';
import { AttachmentFlags, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError, singleFormError } from './errors.ts';
import { snowflake } from './snowflake.ts';
import { isObj } from './validate.ts';

type Obj = Record<string, unknown>;

// "The default limit is 10 MiB" per file (docs: reference, Uploading Files);
// sim guilds have no boosts and the bot no Nitro, so the default applies.
export const FILE_SIZE_LIMIT = 10 * 1024 * 1024;
// "The maximum request size when sending a message is 25 MiB" (Create Message).
export const REQUEST_SIZE_LIMIT = 25 * 1024 * 1024;
// Error 30015: "Maximum number of attachments in a message reached (10)".
export const MAX_ATTACHMENTS = 10;
// How long the signed-URL parameters say a CDN link stays valid (Discord uses about a day).
const URL_LIFETIME_S = 24 * 3600;

/** One `files[n]` part of a multipart request. */
export interface UploadedFile {
  index: number;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** A multipart/form-data request as Discord reads it: the JSON payload and its files. */
export interface MultipartBody {
  payload: Obj;
  files: UploadedFile[];
  /** The form's part names in order (`payload_json`, `files[0]`, …), so tests can check the form Discord documents. */
  parts: string[];
}

interface Hosted {
  bytes: Buffer;
  contentType: string;
}

/** Width and height from a PNG's IHDR or a JPEG's first SOF marker; null for anything else. */
export function imageSize(b: Buffer): { width: number; height: number } | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') {
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1]!;
      const len = b.readUInt16BE(i + 2);
      // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + len;
    }
  }
  return null;
}

/**
 * Reads a multipart/form-data body with the platform's own parser. Throws
 * Discord's errors: 40005 over the request size, 50109 when payload_json is
 * not JSON, 50035 when the form is malformed or a file part is not `files[n]`.
 */
export async function parseMultipart(bytes: Buffer, contentType: string): Promise<MultipartBody> {
  if (bytes.length > REQUEST_SIZE_LIMIT) throw apiError(RESTJSONErrorCodes.RequestEntityTooLarge);
  let form: FormData;
  try {
    form = await new Request('http://sim.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: bytes }).formData();
  } catch {
    throw apiError(RESTJSONErrorCodes.InvalidFormBodyOrContentType);
  }
  let payload: Obj = {};
  const fields: Obj = {};
  const files: UploadedFile[] = [];
  const parts: string[] = [];
  for (const [name, value] of form.entries()) {
    parts.push(name);
    if (typeof value === 'string') {
      if (name === 'payload_json') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          throw apiError(RESTJSONErrorCodes.RequestBodyContainsInvalidJSON);
        }
        payload = isObj(parsed) ? parsed : {};
      } else fields[name] = value;
      continue;
    }
    const m = /^files\[(\d{1,20})\]$/.exec(name);
    // Simulator's choice of leaf code: Discord documents only that file parts are named files[n].
    if (!m) throw singleFormError([name], 'BASE_TYPE_INVALID', 'File parts must be named files[n].');
    files.push({
      index: Number(m[1]),
      filename: value.name || `file${m[1]}`,
      contentType: value.type || 'application/octet-stream',
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  // Without payload_json the message fields come as plain form fields (docs: the example without payload_json).
  if (!form.has('payload_json')) payload = fields;
  return { payload, files, parts };
}

/** Hosted bytes of every attachment (and members' uploads), served at their CDN-like paths. */
export class AttachmentStore {
  private readonly hosted = new Map<string, Hosted>();
  // Members' uploads through POST /_sim/attachments, by attachment id.
  readonly uploads = new Map<string, APIAttachment>();

  /** Hosts bytes and returns the attachment object Discord would report for them. */
  host(origin: string, channelId: string, file: { filename: string; contentType: string; bytes: Buffer }, meta: Obj = {}): APIAttachment {
    if (file.bytes.length > FILE_SIZE_LIMIT) throw apiError(RESTJSONErrorCodes.RequestEntityTooLarge);
    const id = snowflake();
    const filename = typeof meta.filename === 'string' && meta.filename.length > 0 ? meta.filename : file.filename;
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    this.hosted.set(path, { bytes: file.bytes, contentType: file.contentType });
    const issued = Math.floor(Date.now() / 1000);
    const signature = createHash('sha256').update(path).update(randomBytes(8)).digest('hex');
    const query = `?ex=${(issued + URL_LIFETIME_S).toString(16)}&is=${issued.toString(16)}&hm=${signature}&`;
    const att: APIAttachment = {
      id,
      filename,
      size: file.bytes.length,
      url: origin + path + query,
      proxy_url: origin + path + query,
      content_type: file.contentType,
    };
    if (typeof meta.description === 'string') att.description = meta.description;
    if (meta.is_spoiler === true) att.flags = AttachmentFlags.IsSpoiler;
    const size = imageSize(file.bytes);
    if (size) Object.assign(att, size);
    return att;
  }

  /** The hosted file at a request path, if any. */
  serve(pathname: string): Hosted | undefined {
    return this.hosted.get(pathname);
  }

  /**
   * The attachments a created or edited message ends with. `existing` is null
   * on create. On create every file is attached (with the metadata of its
   * `attachments` entry); on edit the `attachments` list, when given, is the
   * whole new list: existing ids kept, placeholders `n` for new files,
   * everything else removed (docs: Editing Message Attachments).
   */
  forMessage(origin: string, channelId: string, body: Obj, files: readonly UploadedFile[], existing: readonly APIAttachment[] | null): APIAttachment[] {
    const entries = Array.isArray(body.attachments) ? (body.attachments as unknown[]).filter(isObj) : null;
    const byIndex = new Map(files.map((f) => [String(f.index), f]));
    const metaFor = (f: UploadedFile) => entries?.find((e) => String(e.id) === String(f.index)) ?? {};
    if (existing === null || entries === null) {
      // On create every listed id must be a file part's placeholder.
      if (existing === null && entries?.some((e) => !byIndex.has(String(e.id)))) throw apiError(RESTJSONErrorCodes.UploadedFileNotFound);
      const out = [...(existing ?? [])];
      if (out.length + files.length > MAX_ATTACHMENTS) throw apiError(RESTJSONErrorCodes.MaximumNumberOfAttachmentsInAMessageReached);
      for (const f of files) out.push(this.host(origin, channelId, f, metaFor(f)));
      return out;
    }
    if (entries.length > MAX_ATTACHMENTS) throw apiError(RESTJSONErrorCodes.MaximumNumberOfAttachmentsInAMessageReached);
    return entries.map((e) => {
      const kept = existing.find((a) => a.id === String(e.id));
      if (kept) return { ...kept, ...(typeof e.description === 'string' ? { description: e.description } : {}) };
      const file = byIndex.get(String(e.id));
      if (!file) throw apiError(RESTJSONErrorCodes.UploadedFileNotFound);
      return this.host(origin, channelId, file, e);
    });
  }
}
