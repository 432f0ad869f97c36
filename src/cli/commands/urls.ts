import { serviceUrl } from '../../naming/service-host.js';
import { routerPort } from '../../router/router-paths.js';
import { defineCommand } from '../command.js';
import { loadCliEnvironment, withBranch } from '../environment-options.js';

export const urlsCommand = defineCommand({
  command: 'urls',
  describe: "Print each service's URL through the devenv router (http://<service>.<project>.localhost:PORT)",
  builder: (yargs) =>
    withBranch(yargs).option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print them as JSON, keyed by service',
    }),
  run: async (args, { io }) => {
    const { environment } = await loadCliEnvironment(args, io, { readSecrets: false });
    // Known without anything running: a URL is a pure function of project, branch, service and port.
    const port = routerPort(io.env);
    const urls: Record<string, string> = {};
    for (const service of environment.services) {
      if (service.port !== undefined)
        urls[service.name] = serviceUrl(environment.project, environment.branch, service.name, port);
    }
    if (args.json) {
      io.stdout(`${JSON.stringify(urls, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(0, ...Object.keys(urls).map((name) => name.length));
    for (const [name, url] of Object.entries(urls)) io.stdout(`${name.padEnd(width)}  ${url}\n`);
    return 0;
  },
});
