import { Box, Text } from 'ink';
import { memo } from 'react';
import type { LogLineView, RowView, Tone, TuiView } from './view-model.js';

export interface TuiScreenProps {
  view: TuiView;
  /** False under NO_COLOR (or a dumb terminal): emphasis stays (bold, inverse), colours go. */
  color: boolean;
}

/** The whole screen, drawn from the view model alone: no state, no effects. */
export function TuiScreen({ view, color }: TuiScreenProps) {
  const tone = (value: Tone | undefined): Tone | undefined => (color ? value : undefined);
  if (view.help) {
    return (
      <Box flexDirection="column">
        <Text bold>devenv keys</Text>
        {view.help.map(([key, what]) => (
          <Text key={key}>
            <Text bold color={tone('cyan')}>
              {key.padEnd(11)}
            </Text>
            {what}
          </Text>
        ))}
        <Text dimColor>press any key to go back</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={view.columns}>
      <Box>
        <Text bold>{view.title} </Text>
        <Text color={tone(view.stateTone)}>{view.state}</Text>
        <Text dimColor>{view.where ? `  ${view.where}` : ''}</Text>
      </Box>
      <Table rows={view.rows} whereWidth={view.whereWidth} tone={tone} />
      {view.problems.map((problem) => (
        <Box key={problem.name} flexDirection="column">
          <Text color={tone('red')} wrap="truncate-end">
            ✗ {problem.headline}
          </Text>
          {problem.lines.map((line, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the last lines of one failure, in order, never reordered
            <Text key={index} dimColor wrap="truncate-end">
              {'  │ '}
              {line}
            </Text>
          ))}
        </Box>
      ))}
      <Text dimColor wrap="truncate-end">
        ── {view.logTitle} {'─'.repeat(Math.max(0, view.columns - view.logTitle.length - 4))}
      </Text>
      {view.logLines.map((line) => (
        <LogLine key={line.key} line={line} tone={tone} />
      ))}
      {view.logPadding > 0 ? <Box height={view.logPadding} /> : null}
      {view.prompt !== undefined ? (
        <Text>
          <Text bold>search: </Text>
          {view.prompt}
          <Text inverse> </Text>
        </Text>
      ) : view.notice ? (
        <Text color={tone(view.notice.tone === 'error' ? 'red' : 'cyan')} wrap="truncate-end">
          {view.notice.text}
        </Text>
      ) : null}
      <Text dimColor wrap="truncate-end">
        {view.helpLine}
      </Text>
    </Box>
  );
}

function Table({
  rows,
  whereWidth,
  tone,
}: {
  rows: readonly RowView[];
  whereWidth: number;
  tone: (value: Tone | undefined) => Tone | undefined;
}) {
  const columns = [
    ['NAME', 14],
    ['STATE', 11],
    ['URL / PORT', whereWidth],
    ['RESTARTS', 9],
    ['RELOAD', 8],
    ['UPTIME', 7],
    ['CPU', 7],
    ['MEM', 7],
  ] as const;
  const cell = (text: string, width: number): string =>
    text.length >= width ? `${text.slice(0, width - 2)}… ` : text.padEnd(width);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold wrap="truncate-end">
        {columns.map(([title, width]) => cell(title, width)).join('')}
        DETAIL
      </Text>
      {rows.map((row) => (
        <Text key={row.name} inverse={row.selected} wrap="truncate-end">
          <Text color={tone(row.nameTone)}>{cell(`${row.selected ? '›' : ' '}${row.name}`, 14)}</Text>
          <Text color={tone(row.stateTone)}>{cell(row.state, 11)}</Text>
          {cell(row.where, whereWidth)}
          {cell(row.restarts, 9)}
          {cell(row.reload, 8)}
          {cell(row.uptime, 7)}
          {cell(row.cpu, 7)}
          {cell(row.memory, 7)}
          <Text color={tone(row.stateTone === 'red' ? 'red' : undefined)}>{row.detail}</Text>
        </Text>
      ))}
    </Box>
  );
}

interface LogLineProps {
  line: LogLineView;
  tone: (value: Tone | undefined) => Tone | undefined;
}

/**
 * A log line's view is rebuilt on every redraw but rarely changes (same line, same search): skipping
 * it keeps a redraw with a screenful of lines cheap.
 */
const LogLine = memo(LogLineText, (previous, next) => sameLine(previous, next));

function sameLine(previous: LogLineProps, next: LogLineProps): boolean {
  const [a, b] = [previous.line, next.line];
  return (
    a.key === b.key &&
    a.name === b.name &&
    a.nameTone === b.nameTone &&
    a.tone === b.tone &&
    a.time === b.time &&
    a.segments.length === b.segments.length &&
    a.segments.every(
      (segment, i) => segment.text === b.segments[i]?.text && segment.highlight === b.segments[i]?.highlight,
    ) &&
    previous.tone(a.nameTone) === next.tone(a.nameTone)
  );
}

function LogLineText({ line, tone }: LogLineProps) {
  const textTone = line.tone === 'error' ? 'red' : line.tone === 'warn' ? 'yellow' : undefined;
  return (
    <Text wrap="truncate-end">
      <Text dimColor>{line.time} </Text>
      <Text color={tone(line.nameTone)}>{line.name}</Text>
      <Text dimColor> │ </Text>
      {line.segments.map((segment, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: segments of one line, in order
        <Text key={index} color={tone(textTone)} inverse={segment.highlight} bold={line.tone === 'error'}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}
