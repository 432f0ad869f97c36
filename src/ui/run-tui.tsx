import { render, useInput, useStdout } from 'ink';
import { useEffect, useSyncExternalStore } from 'react';
import type { KeyPress, UiCommand } from './key-controller.js';
import type { TuiModel } from './tui-model.js';
import { TuiScreen } from './tui-screen.js';

export interface TuiRootProps {
  model: TuiModel;
  color: boolean;
  onCommand: (command: UiCommand) => void;
}

/** Connects the model to ink: keys in, views out, the terminal's size followed. */
export function TuiRoot({ model, color, onCommand }: TuiRootProps) {
  const view = useSyncExternalStore(model.subscribe, model.getView);
  // ink types it as any writable stream; on a terminal it is a tty.WriteStream with a size.
  const stdout = useStdout().stdout as NodeJS.WriteStream;
  useEffect(() => {
    const onResize = (): void => model.resize({ columns: stdout.columns ?? 80, rows: stdout.rows ?? 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [model, stdout]);
  useInput((input, key) => {
    const press: KeyPress = {
      input,
      upArrow: key.upArrow,
      downArrow: key.downArrow,
      pageUp: key.pageUp,
      pageDown: key.pageDown,
      return: key.return,
      escape: key.escape,
      backspace: key.backspace,
      delete: key.delete,
      ctrl: key.ctrl,
    };
    const command = model.press(press);
    if (command) onCommand(command);
  });
  return <TuiScreen view={view} color={color} />;
}

export interface MountedTui {
  /** Restores the terminal (leaves the alternate screen). */
  unmount(): Promise<void>;
}

/** Draws the TUI on a terminal in the alternate screen, like `top` or `less`, so the shell's scroll-back stays clean. */
export function mountTui(
  props: TuiRootProps,
  streams: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream },
): MountedTui {
  const instance = render(<TuiRoot {...props} />, {
    ...streams,
    exitOnCtrlC: false,
    patchConsole: false,
    interactive: true,
    alternateScreen: true,
    incrementalRendering: true,
    maxFps: 20,
  });
  return {
    unmount: async () => {
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    },
  };
}
