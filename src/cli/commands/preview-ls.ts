import { PREVIEW_LABEL, previewUrl } from '../../preview/preview-contract.js';
import { readPreviewRecords } from '../../preview/preview-records.js';
import { previewState } from '../../preview/preview-state.js';
import { defineCommand } from '../command.js';
import { openRuntime } from '../open-runtime.js';
import { shortTime } from './preview-options.js';

export const previewLsCommand = defineCommand({
  command: 'ls',
  describe: 'List the previews on the preview host (every project), with their state and expiry',
  builder: (yargs) =>
    yargs.option('json', {
      type: 'boolean',
      default: false,
      describe:
        'Print a JSON array: id, project, branch, commit, urls, state, createdAt, updatedAt, expiresAt',
    }),
  run: async (args, { io }) => {
    const runtime = await openRuntime(io.env);
    const now = new Date();
    const [records, containers] = await Promise.all([
      readPreviewRecords(runtime),
      runtime.listContainers({ [PREVIEW_LABEL]: true }),
    ]);
    const rows = [...records.values()]
      .map(({ record }) => ({
        id: record.id,
        project: record.project,
        branch: record.branch,
        commit: record.commit ?? null,
        urls: Object.fromEntries(
          record.services.map((service) => [
            service.service,
            previewUrl(record.project, record.branch, service.service, record.domain),
          ]),
        ),
        state: previewState(
          record,
          containers.filter((container) => container.labels[PREVIEW_LABEL] === record.id),
          now,
        ),
        access: record.access,
        createdAt: record.created.toISOString(),
        updatedAt: record.updated.toISOString(),
        expiresAt: record.expires.toISOString(),
      }))
      .sort((a, b) => a.project.localeCompare(b.project) || a.branch.localeCompare(b.branch));
    if (args.json) {
      io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    if (rows.length === 0) {
      io.stdout('No previews on this host. `devenv preview up` creates one for the current branch.\n');
      return 0;
    }
    const table = [
      ['ID', 'BRANCH', 'COMMIT', 'STATE', 'CREATED', 'EXPIRES', 'URLS'],
      ...rows.map((row) => [
        row.id,
        row.branch,
        row.commit?.slice(0, 8) ?? '-',
        row.state,
        shortTime(new Date(row.createdAt)),
        shortTime(new Date(row.expiresAt)),
        Object.values(row.urls).join(' ') || '-',
      ]),
    ];
    const widths =
      table[0]?.map((_, column) => Math.max(...table.map((line) => line[column]?.length ?? 0))) ?? [];
    for (const line of table) {
      io.stdout(
        `${line.map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')}\n`,
      );
    }
    return 0;
  },
});
