import { describe, expect, it } from 'vitest';
import { createJsonEventView } from './json-event-view.js';
import { createPlainEventView } from './plain-event-view.js';

describe('event views', () => {
  it('--json prints each event as one JSON object per line, unchanged', () => {
    const lines: string[] = [];
    const view = createJsonEventView((line) => lines.push(line));
    view({ type: 'log', at: 1, name: 'api', stream: 'stdout', text: 'a "quoted"\nline' });
    view({ type: 'environment', at: 2, state: 'ready' });
    expect(lines).toEqual([
      '{"type":"log","at":1,"name":"api","stream":"stdout","text":"a \\"quoted\\"\\nline"}\n',
      '{"type":"environment","at":2,"state":"ready"}\n',
    ]);
  });

  it('the plain view leaves metrics out', () => {
    const lines: string[] = [];
    const view = createPlainEventView((line) => lines.push(line));
    view({ type: 'metrics', at: 1, usage: [{ name: 'api', cpuPercent: 1, memoryBytes: 1 }] });
    expect(lines).toEqual([]);
  });
});
