/**
 * The text of a `-DeviceDetailsFilePath` file as Import-Csv reads it: UTF-8 with or without a BOM, UTF-16LE with a BOM
 * (what Windows PowerShell's `Out-File` and `>` write) and UTF-16BE with a BOM. The BOM is dropped; a file without one
 * is UTF-8 (PowerShell 7's default). The cmdlet sends the text as it is: the service checks the rows.
 */
export function decodeCsvFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    // Node's TextDecoder has no utf-16be: swap each pair of bytes and read it as little-endian.
    const body = bytes.subarray(2);
    const swapped = new Uint8Array(body.length - (body.length % 2));
    for (let i = 0; i + 1 < body.length; i += 2) {
      swapped[i] = body[i + 1]!;
      swapped[i + 1] = body[i]!;
    }
    return new TextDecoder('utf-16le').decode(swapped);
  }
  return new TextDecoder('utf-8').decode(bytes);
}
