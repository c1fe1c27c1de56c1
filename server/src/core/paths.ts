/** True when a manifest path or glob is absolute or climbs above its folder. */
export function leavesFolder(path: string): boolean {
  if (/^([a-zA-Z]:)?[\\/]/.test(path) || path.startsWith('~')) return true;
  let depth = 0;
  for (const segment of path.split(/[\\/]+/)) {
    if (segment === '..') {
      if (--depth < 0) return true;
    } else if (segment !== '.' && segment !== '') {
      depth++;
    }
  }
  return false;
}

/** The literal folder a glob starts in ('' for the root): only files under it can match. */
export function globBase(glob: string): string {
  const segments = glob.split('/');
  const base: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]{}()!+@]/.test(segment)) break;
    base.push(segment);
  }
  return base.length ? base.join('/') + '/' : '';
}
