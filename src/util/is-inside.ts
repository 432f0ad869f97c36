import { isAbsolute, relative, sep } from 'node:path';

/**
 * Whether `path` is `folder` or lies below it (both absolute). A name that merely starts with two dots
 * (`..cache`) is inside; `..` and `../x` are not.
 */
export function isInside(folder: string, path: string): boolean {
  const rest = relative(folder, path);
  return !(rest === '..' || rest.startsWith(`..${sep}`) || isAbsolute(rest));
}
