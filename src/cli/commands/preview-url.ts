import { UsageError } from '../../errors/devenv-error.js';
import { closestMatch } from '../../util/closest-match.js';
import { defineCommand } from '../command.js';
import { loadPreviewModel, withDomain, withPreviewBranch } from './preview-options.js';

export const previewUrlCommand = defineCommand({
  command: 'url',
  describe: "Print the preview's URLs (known before it is deployed; contacts nothing)",
  builder: (yargs) =>
    withDomain(withPreviewBranch(yargs))
      .option('service', { type: 'string', requiresArg: true, describe: 'Only this service’s URL' })
      .option('json', { type: 'boolean', default: false, describe: 'Print them as JSON, keyed by service' }),
  run: async (args, { io }) => {
    const { model } = await loadPreviewModel(args, io, { readSecrets: false });
    let urls = model.urls;
    if (args.service !== undefined) {
      urls = urls.filter((url) => url.service === args.service);
      if (urls.length === 0) {
        const known = model.urls.map((url) => url.service);
        const suggestion = closestMatch(args.service, known);
        throw new UsageError('UNKNOWN_NAME', `${args.service} is not an HTTP service of this preview.`, {
          hint: suggestion
            ? `did you mean \`${suggestion}\`?`
            : `HTTP services: ${known.join(', ') || 'none'}.`,
        });
      }
      if (!args.json) {
        io.stdout(`${urls[0]?.url}\n`);
        return 0;
      }
    }
    if (args.json) {
      io.stdout(
        `${JSON.stringify(Object.fromEntries(urls.map((url) => [url.service, url.url])), null, 2)}\n`,
      );
      return 0;
    }
    const width = Math.max(0, ...urls.map((url) => url.service.length));
    for (const url of urls) io.stdout(`${url.service.padEnd(width)}  ${url.url}\n`);
    return 0;
  },
});
