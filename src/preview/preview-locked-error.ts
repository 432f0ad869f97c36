import { ExternalError } from '../errors/devenv-error.js';

/**
 * A run that must not wait (`preview gc`) found the preview's lock held by a live run. `holder` names
 * that run, for a caller's own line: "a `preview up` holds its lock (host ci-7, pid 4242, since …)".
 */
export class PreviewLockedError extends ExternalError {
  constructor(
    readonly previewId: string,
    readonly holder: string,
  ) {
    super('PREVIEW_LOCKED', `Preview ${previewId} is in use: ${holder}.`, {
      hint: 'It is left alone until that run ends; run `devenv preview gc` again later.',
    });
  }
}
