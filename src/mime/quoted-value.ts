/**
 * A value quoted for an error message. JSON string syntax escapes the C0 controls but leaves DEL,
 * the C1 controls (NEL among them) and U+2028/U+2029 as they are; those are escaped too, so a
 * refused value, which may be hostile, cannot break the message into lines.
 */
const LEFT_RAW_BY_JSON = /[\u007f-\u009f\u2028\u2029]/g;

export function quoteValue(value: string): string {
  return JSON.stringify(value).replace(
    LEFT_RAW_BY_JSON,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
