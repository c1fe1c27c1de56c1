/** Why reading or writing a file failed, in words: "permission denied", "the disk is full". */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the disk is read-only';
    case 'ENOSPC': return 'the disk is full';
    case 'EISDIR': return 'it is a folder';
    case 'ENOTDIR': return 'a part of its path is a file, not a folder';
    default: return e.code ?? e.message;
  }
}
