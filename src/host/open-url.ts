import { spawn } from 'node:child_process';

/** The platform's "open this in the default browser" command. */
export function openCommand(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  // `start` is a cmd built-in; the empty title argument keeps a quoted URL from being taken as the title.
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  return ['xdg-open', [url]];
}

/** Hands the URL to the browser and returns once the opener started (or failed to: no xdg-open). */
export function openUrl(url: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  const [command, args] = openCommand(platform, url);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', (error) => reject(new Error(`could not run ${command}: ${error.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
