// SHA-256 through Web Crypto (browsers, workers and Node >= 20 all expose globalThis.crypto.subtle).

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('SHA-256 needs Web Crypto (crypto.subtle), which this environment lacks');
  // digest() wants an ArrayBuffer-backed view; copy only when the bytes live elsewhere.
  const input = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  const digest = new Uint8Array(await subtle.digest('SHA-256', input));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}
