/**
 * The few PostgreSQL wire-protocol facts the embedded server needs: framing of backend output,
 * the ReadyForQuery status, NotificationResponse channels, and building frontend messages.
 */

/** Backend message types by their first byte. */
export const READY_FOR_QUERY = 0x5a; // 'Z'
export const NOTIFICATION_RESPONSE = 0x41; // 'A'
/** Frontend message types by their first byte. */
export const TERMINATE = 0x58; // 'X'
export const SIMPLE_QUERY = 0x51; // 'Q'
export const PARSE = 0x50; // 'P'

/** ReadyForQuery status byte: 'I' idle, 'T' in a transaction block, 'E' in a failed one. */
export const IDLE = 0x49;

/**
 * Splits a byte stream into whole messages (type byte + int32 length). PGlite's output arrives in
 * chunks that need not end on message boundaries, so the unfinished tail is kept for the next one.
 */
export class BackendMessageSplitter {
  private tail: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): Buffer[] {
    let data = this.tail.length ? Buffer.concat([this.tail, chunk]) : Buffer.from(chunk);
    const messages: Buffer[] = [];
    while (data.length >= 5) {
      const size = 1 + data.readInt32BE(1);
      if (data.length < size) break;
      messages.push(data.subarray(0, size));
      data = data.subarray(size);
    }
    this.tail = data;
    return messages;
  }
}

/** The status byte of a ReadyForQuery message. */
export function readyStatus(message: Buffer): number {
  return message[5];
}

/** The channel of a NotificationResponse: type, length, sender pid, then channel\0 payload\0. */
export function notificationChannel(message: Buffer): string {
  const start = 9;
  const end = message.indexOf(0, start);
  return message.toString('utf8', start, end);
}

/** A simple Query message for SQL the server runs on its own behalf. */
export function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + text.length);
  message[0] = SIMPLE_QUERY;
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

/** Sync: ends an unfinished extended-protocol batch (harmless when none is open). */
export function sync(): Uint8Array {
  return Uint8Array.from([0x53, 0, 0, 0, 4]);
}

/** The SQL text of a simple Query or a Parse message, or undefined for any other message. */
export function sqlText(message: Uint8Array): string | undefined {
  const buffer = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  if (buffer.length < 6) return undefined;
  if (buffer[0] === SIMPLE_QUERY) return buffer.toString('utf8', 5, buffer.indexOf(0, 5));
  if (buffer[0] === PARSE) {
    // Parse: statement name\0, then the query text\0.
    const nameEnd = buffer.indexOf(0, 5);
    return buffer.toString('utf8', nameEnd + 1, buffer.indexOf(0, nameEnd + 1));
  }
  return undefined;
}
