import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { emptySnapshot } from '../supervisor/environment-snapshot.js';
import { TuiModel } from './tui-model.js';
import { initialUiState } from './ui-state.js';
import { buildView, type ViewContext } from './view-model.js';

// Colours on, whatever the test runner's terminal: the NO_COLOR test must have colours to take away.
// (chalk decides when it is first imported, hence the dynamic imports after this line.)
process.env.FORCE_COLOR = '1';
const { render } = await import('ink-testing-library');
const { TuiRoot } = await import('./run-tui.js');
const { TuiScreen } = await import('./tui-screen.js');

const NOW = 1_700_000_000_000;
const context: ViewContext = {
  project: 'shop',
  branch: 'main',
  env: 'default',
  urls: { api: 'http://api.shop.localhost:7777' },
  routerUrl: 'router :7777',
  columns: 140,
  rows: 20,
  now: NOW,
};
const snapshot = {
  ...emptySnapshot('shop', 'default'),
  state: 'failed' as const,
  resources: [
    {
      name: 'db',
      kind: 'dependency' as const,
      state: 'ready' as const,
      ports: [{ container: 5432, host: 15432, hostIp: '127.0.0.1', protocol: 'tcp' as const }],
      restarts: 0,
      since: NOW - 90_000,
      usage: { cpuPercent: 0.5, memoryBytes: 40 * 1024 * 1024, at: NOW },
    },
    {
      name: 'api',
      kind: 'service' as const,
      state: 'crashed' as const,
      detail: 'exited with code 3',
      ports: [],
      restarts: 4,
      since: NOW - 1_000,
      lastLines: ['Error: cannot find module ./orders'],
    },
  ],
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for colour escapes is the point
const COLOUR = /\u001b\[(3[0-7]|9[0-7])m/;

describe('TuiScreen', () => {
  it('draws the header, the table, the failure in place, the logs and the help line', () => {
    const view = buildView(
      snapshot,
      initialUiState,
      [{ seq: 0, at: NOW, name: 'api', stream: 'stderr', text: 'Error: cannot find module ./orders' }],
      context,
    );
    const coloured = render(<TuiScreen view={view} color={true} />).lastFrame() ?? '';
    expect(coloured).toMatch(COLOUR);
    const frame = stripVTControlCharacters(coloured);
    expect(frame).toContain('devenv shop (main) failed');
    expect(frame).toMatch(/›db\s+ready\s+127\.0\.0\.1:15432\s+1m\s+0\.5%\s+40M/);
    expect(frame).toMatch(/api\s+crashed\s+http:\/\/api\.shop\.localhost:7777\s+4\s+exited with code 3/);
    expect(frame).toContain('✗ api crashed: exited with code 3');
    expect(frame).toContain('│ Error: cannot find module ./orders');
    expect(frame).toContain('── logs: all services (following)');
    expect(frame).toContain('q quit');
  });

  it('uses no colour when told not to (NO_COLOR)', () => {
    const view = buildView(snapshot, initialUiState, [], context);
    const frame = render(<TuiScreen view={view} color={false} />).lastFrame() ?? '';
    expect(frame).not.toMatch(COLOUR);
    expect(frame).toContain('crashed');
  });
});

describe('TuiRoot', () => {
  it('turns key presses into redraws and commands', async () => {
    const model = new TuiModel({
      snapshot,
      context: { project: 'shop', branch: 'main', env: 'default', urls: {}, routerUrl: undefined },
      size: { columns: 140, rows: 20 },
    });
    const commands: unknown[] = [];
    const app = render(
      <TuiRoot model={model} color={false} onCommand={(command) => commands.push(command)} />,
    );
    const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
    await settle();
    app.stdin.write('\u001b[B'); // down arrow
    await settle();
    expect(app.lastFrame()).toMatch(/›api/);
    app.stdin.write('r');
    await settle();
    expect(commands).toEqual([{ kind: 'restart', name: 'api' }]);
    app.stdin.write('?');
    await settle();
    expect(app.lastFrame()).toContain('devenv keys');
    app.unmount();
    model.dispose();
  });
});
