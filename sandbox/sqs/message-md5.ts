import { createHash } from "node:crypto";

/** A message attribute as SQS carries it (MessageAttributeValue): String, Number or Binary, with an optional ".custom" suffix. */
export interface MessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  /** Base64 in the JSON protocol. */
  readonly BinaryValue?: string;
}

export function md5Hex(text: string | Buffer): string {
  return createHash("md5").update(text).digest("hex");
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * MD5OfMessageAttributes as SQS computes it (SQS Developer Guide, "Calculating the MD5 message digest for
 * message attributes"): attributes sorted by name; for each, the name, the data type (each as a 4-byte
 * big-endian length then UTF-8 bytes), a transport byte (1 for String and Number, 2 for Binary) and the value
 * (length-prefixed). SDKs check it against what they sent, so it must be exact.
 */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, MessageAttributeValue>>): string {
  const parts: Buffer[] = [];
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name];
    parts.push(lengthPrefixed(Buffer.from(name, "utf8")), lengthPrefixed(Buffer.from(value.DataType, "utf8")));
    if (value.DataType.startsWith("Binary")) {
      parts.push(Buffer.from([2]), lengthPrefixed(Buffer.from(value.BinaryValue ?? "", "base64")));
    } else {
      parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(value.StringValue ?? "", "utf8")));
    }
  }
  return md5Hex(Buffer.concat(parts));
}
