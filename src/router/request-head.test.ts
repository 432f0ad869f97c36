import { describe, expect, it } from 'vitest';
import { forwardedLines, parseRequestHead as parseBytes, upstreamHead } from './request-head.js';
import { requestIdLine } from './request-id-line.js';

const head = (...lines: string[]): string => lines.join('\r\n');
const parseRequestHead = (text: string) => parseBytes(Buffer.from(text, 'latin1'));

describe('parseRequestHead', () => {
  it('reads a plain request and keeps its end-to-end headers as sent', () => {
    const parsed = parseRequestHead(
      head('POST /orders?x=1 HTTP/1.1', 'Host: api.shop.localhost:7355', 'Content-Length: 12', 'Accept: */*'),
    );
    expect(parsed).toMatchObject({
      method: 'POST',
      target: '/orders?x=1',
      host: 'api.shop.localhost:7355',
      contentLength: 12,
      close: false,
      requestId: undefined,
      accept: '*/*',
    });
    // Nothing to drop: the client's bytes are forwarded as they are.
    expect(parsed?.drop).toEqual([]);
  });

  it('drops hop-by-hop headers, those named by Connection too, and notes Connection: close', () => {
    const text = head(
      'GET / HTTP/1.1',
      'host: a',
      'Connection: close, X-Hop',
      'X-Hop: secret',
      'Keep-Alive: 5',
      'TE: x',
      'x-keep: 1',
    );
    const parsed = parseRequestHead(text);
    expect(parsed?.close).toBe(true);
    expect(forwarded(text, 'id', '::1')).toMatch(
      /^GET \/ HTTP\/1\.1\r\nhost: a\r\nx-keep: 1\r\nx-forwarded-for/,
    );
  });

  it.each([
    ['HTTP/1.0', head('GET / HTTP/1.0', 'Host: a')],
    ['an absolute-form target', head('GET http://a/ HTTP/1.1', 'Host: a')],
    ['CONNECT', head('CONNECT a:443 HTTP/1.1', 'Host: a')],
    ['no Host', head('GET / HTTP/1.1', 'Accept: */*')],
    ['two Hosts', head('GET / HTTP/1.1', 'Host: a', 'Host: b')],
    ['Transfer-Encoding', head('POST / HTTP/1.1', 'Host: a', 'Transfer-Encoding: chunked')],
    [
      'Content-Length with Transfer-Encoding',
      head('POST / HTTP/1.1', 'Host: a', 'Content-Length: 3', 'Transfer-Encoding: chunked'),
    ],
    ['two Content-Lengths', head('POST / HTTP/1.1', 'Host: a', 'Content-Length: 3', 'Content-Length: 3')],
    ['a Content-Length that is not a number', head('POST / HTTP/1.1', 'Host: a', 'Content-Length: +3')],
    ['a folded header', head('GET / HTTP/1.1', 'Host: a', 'X-A: 1', ' 2')],
    ['whitespace before a colon', head('GET / HTTP/1.1', 'Host : a')],
    ['a bare LF', head('GET / HTTP/1.1', 'Host: a\nX-B: 1')],
    ['a control character in a value', head('GET / HTTP/1.1', 'Host: a', 'X-A: 1\u00002')],
    ['a WebSocket upgrade', head('GET / HTTP/1.1', 'Host: a', 'Connection: Upgrade', 'Upgrade: websocket')],
    ['Expect', head('PUT / HTTP/1.1', 'Host: a', 'Content-Length: 1', 'Expect: 100-continue')],
    ['a lowercase method', head('get / HTTP/1.1', 'Host: a')],
    ['an asterisk target', head('OPTIONS * HTTP/1.1', 'Host: a')],
    ['a header line without a colon', head('GET / HTTP/1.1', 'Host: a', 'X-A')],
    ['an empty Host', head('GET / HTTP/1.1', 'Host: ')],
    ['a DEL in a value', head('GET / HTTP/1.1', 'Host: a', 'X-A: 1\u007f')],
  ])('leaves %s to Node’s HTTP server', (_what, text) => {
    expect(parseRequestHead(text)).toBeUndefined();
  });
});

/** The head for the upstream, as text. */
function forwarded(text: string, id: string, remoteAddress: string): string {
  const parsed = parseRequestHead(text);
  if (parsed === undefined) throw new Error('not parsed');
  const raw = Buffer.from(text, 'latin1');
  return upstreamHead(
    raw,
    raw.length,
    parsed,
    forwardedLines(parsed.host, remoteAddress, parsed),
    requestIdLine(id),
  ).toString('latin1');
}

describe('upstreamHead', () => {
  it('adds the forwarded headers to the client’s head as sent', () => {
    expect(
      forwarded(head('GET / HTTP/1.1', 'Host: web.shop.localhost:7355', 'Accept: */*'), 'new', '127.0.0.1'),
    ).toBe(
      'GET / HTTP/1.1\r\nHost: web.shop.localhost:7355\r\nAccept: */*\r\nx-forwarded-for: 127.0.0.1\r\nx-forwarded-port: 7355\r\nx-forwarded-proto: http\r\nx-forwarded-host: web.shop.localhost:7355\r\nx-request-id: new\r\n\r\n',
    );
  });

  it('keeps the client’s request id, once, and drops hop-by-hop headers', () => {
    const text = head(
      'GET / HTTP/1.1',
      'Host: web.shop.localhost:7355',
      'X-Request-Id: old',
      'Connection: keep-alive',
    );
    expect(parseRequestHead(text)?.requestId).toBe('old');
    expect(forwarded(text, 'old', '127.0.0.1')).toBe(
      'GET / HTTP/1.1\r\nHost: web.shop.localhost:7355\r\nx-forwarded-for: 127.0.0.1\r\nx-forwarded-port: 7355\r\nx-forwarded-proto: http\r\nx-forwarded-host: web.shop.localhost:7355\r\nx-request-id: old\r\n\r\n',
    );
  });

  it('appends to forwarded lists the client sent and keeps its X-Forwarded-Host', () => {
    const text = forwarded(
      head(
        'GET / HTTP/1.1',
        'Host: a',
        'X-Forwarded-For: 10.0.0.1',
        'X-Forwarded-Proto: https',
        'X-Forwarded-Host: b',
      ),
      'id',
      '::1',
    );
    expect(text).toContain('x-forwarded-for: 10.0.0.1, ::1\r\n');
    expect(text).toContain('x-forwarded-proto: https, http\r\n');
    expect(text).toContain('x-forwarded-port: 80\r\n');
    expect(text).toContain('X-Forwarded-Host: b\r\n');
    expect(text).not.toContain('x-forwarded-host:');
  });
});

describe('the upstream head', () => {
  it('reads only up to `end`, and ends with the id line', () => {
    const raw = Buffer.from('GET /a HTTP/1.1\r\nHost: a:1\r\n\r\nGET /b HTTP/1.1\r\n', 'latin1');
    const end = raw.indexOf('\r\n\r\n');
    const parsed = parseBytes(raw, end);
    if (parsed === undefined) throw new Error('not parsed');
    expect(parsed.target).toBe('/a');
    expect(
      upstreamHead(
        raw,
        end,
        parsed,
        forwardedLines(parsed.host, '127.0.0.1', parsed),
        requestIdLine('abc'),
      ).toString('latin1'),
    ).toBe(
      'GET /a HTTP/1.1\r\nHost: a:1\r\nx-forwarded-for: 127.0.0.1\r\nx-forwarded-port: 1\r\nx-forwarded-proto: http\r\nx-forwarded-host: a:1\r\nx-request-id: abc\r\n\r\n',
    );
  });
});
