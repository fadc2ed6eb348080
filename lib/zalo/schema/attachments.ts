import * as v from 'valibot';
import { Numeric, opt } from './common';

/** Attachment payloads (docs/protocols.md §5.6); `url` is what every confirmed media payload has in common. */
const attachment = <const T extends string, const P extends v.ObjectEntries>(type: T, payload: P) =>
  v.looseObject({ type: v.literal(type), payload: v.looseObject(payload) });

const Url = v.string();
const Text = opt(v.string());
/** Coordinates are strings in the docs; tolerate numbers. */
const Coordinate = v.union([v.string(), v.number()]);

export const ImageAttachment = attachment('image', { url: Url, thumbnail: Text });
export const LinkAttachment = attachment('link', { url: Url, thumbnail: Text, description: Text, title: Text });
export const AudioAttachment = attachment('audio', { url: Url });
export const VideoAttachment = attachment('video', { url: Url, thumbnail: Text, description: Text });
export const StickerAttachment = attachment('sticker', { url: Url, id: Text });
export const LocationAttachment = attachment('location', {
  coordinates: v.looseObject({ latitude: Coordinate, longitude: Coordinate }),
});
export const FileAttachment = attachment('file', {
  url: Url,
  name: Text,
  size: opt(Numeric),
  checksum: Text,
  type: Text,
});

/** For inferred shapes (gif, list, template echo, business card): any type, any payload. */
export const AnyAttachment = v.looseObject({ type: v.string(), payload: opt(v.unknown()) });
