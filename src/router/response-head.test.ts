import { describe, expect, it } from 'vitest';
import { ChunkedBodyEnd, clientHead, parseResponseHead } from './response-head.js';

const head = (...lines: string[]): string => lines.join('\r\n');
const parse = (text: string, method: string) => parseResponseHead(Buffer.from(text, 'latin1'), method);

describe('parseResponseHead', () => {
  it('finds the framing of a response', () => {
    const framing = (text: string, method = 'GET') => parse(text, method)?.framing;
    expect(framing(head('HTTP/1.1 200 OK', 'Content-Length: 5'))).toEqual({ kind: 'length', length: 5 });
    expect(framing(head('HTTP/1.1 200 OK', 'Transfer-Encoding: gzip, chunked'))).toEqual({
      kind: 'chunked',
      length: 0,
    });
    expect(framing(head('HTTP/1.1 200 OK', 'Content-Type: text/plain'))).toEqual({
      kind: 'close',
      length: 0,
    });
    expect(framing(head('HTTP/1.1 200 OK', 'Content-Length: 5'), 'HEAD')).toEqual({
      kind: 'none',
      length: 0,
    });
    for (const status of ['103 Early Hints', '204 No Content', '304 Not Modified'])
      expect(framing(head(`HTTP/1.1 ${status}`, 'Content-Length: 5'))).toEqual({ kind: 'none', length: 0 });
  });

  it('knows when the upstream closes the connection after the response', () => {
    const close = (text: string) => parse(text, 'GET')?.close;
    expect(close(head('HTTP/1.1 200 OK', 'Content-Length: 0'))).toBe(false);
    expect(close(head('HTTP/1.1 200 OK', 'Connection: close', 'Content-Length: 0'))).toBe(true);
    expect(close(head('HTTP/1.0 200 OK', 'Content-Length: 0'))).toBe(true);
    expect(close(head('HTTP/1.0 200 OK', 'Connection: keep-alive', 'Content-Length: 0'))).toBe(false);
    expect(close(head('HTTP/1.1 200 OK'))).toBe(true);
  });

  it('drops the upstream’s Keep-Alive and replaces its X-Request-Id with the router’s', () => {
    const text = head(
      'HTTP/1.1 200 OK',
      'X-Request-Id: theirs',
      'Keep-Alive: timeout=5',
      'A: b',
      'keep-alive: x',
    );
    const response = parse(text, 'GET');
    if (response === undefined) throw new Error('not parsed');
    const ours = Buffer.from('\r\nx-request-id: ours\r\n\r\n');
    expect(clientHead(Buffer.from(text, 'latin1'), text.length, response, ours).toString('latin1')).toBe(
      'HTTP/1.1 200 OK\r\nA: b\r\nx-request-id: ours\r\n\r\n',
    );
    expect(
      clientHead(Buffer.from(text, 'latin1'), text.length, response, ours, Buffer.from('body')).toString(),
    ).toBe('HTTP/1.1 200 OK\r\nA: b\r\nx-request-id: ours\r\n\r\nbody');
  });

  it('reads a status line without a reason phrase, and refuses one that is not HTTP/1.x', () => {
    expect(parse(head('HTTP/1.1 204', 'X: y'), 'GET')?.status).toBe(204);
    expect(parse('HTTP/1.1 200', 'GET')?.framing).toEqual({ kind: 'close', length: 0 });
    expect(parse(head('HTTP/1.1 2x0 OK'), 'GET')).toBeUndefined();
    expect(parse(head('SSH-2.0-OpenSSH_9.2'), 'GET')).toBeUndefined();
  });

  it('refuses what it cannot frame', () => {
    expect(parse(head('HTTP/1.1 200 OK', 'Content-Length: 1', 'Content-Length: 2'), 'GET')).toBe(undefined);
    expect(parse(head('HTTP/1.1 200 OK', 'Content-Length: x'), 'GET')).toBeUndefined();
    expect(parse(head('HTTP/2 200'), 'GET')).toBeUndefined();
  });
});

describe('ChunkedBodyEnd', () => {
  const body = Buffer.from('5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n');

  it('finds the end of a body read at once, and not the bytes after it', () => {
    const after = Buffer.concat([body, Buffer.from('HTTP/1.1 200 OK\r\n')]);
    expect(new ChunkedBodyEnd().scan(after, 0)).toEqual({ used: body.length, done: true });
  });

  it('finds it when the body comes a byte at a time', () => {
    const end = new ChunkedBodyEnd();
    for (let i = 0; i < body.length; i++) {
      const { used, done } = end.scan(body.subarray(i, i + 1), 0);
      expect(used).toBe(1);
      expect(done).toBe(i === body.length - 1);
    }
  });

  it('throws on a malformed body', () => {
    expect(() => new ChunkedBodyEnd().scan(Buffer.from('zz\r\n'), 0)).toThrow();
    expect(() => new ChunkedBodyEnd().scan(Buffer.from('2\r\nabc\r\n'), 0)).toThrow();
  });
});
