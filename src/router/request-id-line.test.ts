import { describe, expect, it } from 'vitest';
import { idOfLine, newRequestIdLine, requestIdLine } from './request-id-line.js';

describe('request id lines', () => {
  it('carry random version 4 UUIDs, as crypto.randomUUID makes them, each once', () => {
    const ids = new Set<string>();
    // More than one pool of random bytes (256 ids), so a refill is among them.
    for (let i = 0; i < 1000; i++) {
      const line = newRequestIdLine();
      const id = idOfLine(line);
      expect(line.toString('latin1')).toBe(`\r\nx-request-id: ${id}\r\n\r\n`);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(1000);
  });

  it('carry the id a client chose as it sent it', () => {
    const line = requestIdLine('mine-\u00e9');
    expect(idOfLine(line)).toBe('mine-\u00e9');
    expect(line.toString('latin1')).toBe('\r\nx-request-id: mine-\u00e9\r\n\r\n');
  });
});
