// Replacing a file so that a reader, a crash or a second writer never sees it half-written:
// write a temporary file with a name of its own beside the target, fsync it, rename it over the
// target (a rename within one folder is atomic), then fsync the folder so the rename is on disk.
// Two saves to one path at once each write their own temporary; the later rename wins, and the
// file is always one complete version.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import { lstat, open, readdir, rename, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { GumbelgradError } from "../core/index.js";

/**
 * A temporary whose last write is older than this was left by a writer that died (a crash, a
 * kill -9). Age, not the writer's process id, decides, because a process id says nothing about
 * a writer in another container or on another machine sharing the folder, and a live writer
 * touches its temporary with every write: even 800 MB take seconds, not minutes.
 */
const ORPHAN_AGE_MS = 15 * 60 * 1000;

/** `model.safetensors` → `model.safetensors.<16 hex digits>.tmp`, unique to one save. */
function temporaryName(path: string): string {
  return `${path}.${randomBytes(8).toString("hex")}.tmp`;
}

/** True for a name temporaryName(path) could have given, in path's folder. */
function isTemporaryOf(path: string, name: string): boolean {
  const prefix = `${basename(path)}.`;
  return name.startsWith(prefix) && /^[0-9a-f]{16}\.tmp$/.test(name.slice(prefix.length));
}

function isOrphan(modifiedMs: number, isFile: boolean): boolean {
  return isFile && Date.now() - modifiedMs > ORPHAN_AGE_MS;
}

function failed(op: string, path: string, err: unknown): GumbelgradError {
  const error = new GumbelgradError(op, `${path} must be a writable file path, but writing it failed (${(err as Error).message}); a file already there is unchanged`);
  error.cause = err;
  return error;
}

/** Writes `pieces` one after another as the new content of `path`, atomically. */
export async function replaceFile(op: string, path: string, pieces: Uint8Array[]): Promise<void> {
  await removeOrphans(path);
  const temp = temporaryName(path);
  try {
    const handle = await open(temp, "wx");
    try {
      for (const piece of pieces) await writeAll(handle, piece);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw failed(op, path, err);
  }
  await syncFolder(op, path);
}

/** replaceFile for synchronous code, with the same guarantees. */
export function replaceFileSync(op: string, path: string, pieces: Uint8Array[]): void {
  removeOrphansSync(path);
  const temp = temporaryName(path);
  try {
    const fd = openSync(temp, "wx");
    try {
      for (const piece of pieces) writeAllSync(fd, piece);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw failed(op, path, err);
  }
  syncFolderSync(op, path);
}

// A write may take fewer bytes than it was given (Linux caps one write near 2 GiB): go on until done.
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
  }
}

function writeAllSync(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
}

// Cleaning up is housekeeping: when the folder cannot be listed, the save itself reports why, and
// a temporary that vanishes meanwhile was removed by another save.
async function removeOrphans(path: string): Promise<void> {
  const folder = dirname(path);
  const names = await readdir(folder).catch(() => []);
  for (const name of names.filter((n) => isTemporaryOf(path, n))) {
    const file = join(folder, name);
    const stats = await lstat(file).catch(() => null);
    if (stats && isOrphan(stats.mtimeMs, stats.isFile())) await rm(file, { force: true });
  }
}

function removeOrphansSync(path: string): void {
  const folder = dirname(path);
  let names: string[] = [];
  try {
    names = readdirSync(folder);
  } catch { /* the save reports it */ }
  for (const name of names.filter((n) => isTemporaryOf(path, n))) {
    const file = join(folder, name);
    const stats = lstatSync(file, { throwIfNoEntry: false });
    if (stats && isOrphan(stats.mtimeMs, stats.isFile())) rmSync(file, { force: true });
  }
}

// Syncing the folder makes the rename itself survive a power cut. Windows cannot open a folder for
// this, and some file systems refuse it; there the rename is still atomic, only not yet on disk.
const CANNOT_SYNC_FOLDER = new Set(["EISDIR", "EINVAL", "ENOTSUP", "EPERM", "EACCES"]);

function folderNotSynced(op: string, path: string, err: unknown): GumbelgradError | null {
  if (CANNOT_SYNC_FOLDER.has((err as NodeJS.ErrnoException).code ?? "")) return null;
  const error = new GumbelgradError(op, `${path} was written, but its folder must then be synced to disk, and that failed (${(err as Error).message})`);
  error.cause = err;
  return error;
}

async function syncFolder(op: string, path: string): Promise<void> {
  if (process.platform === "win32") return;
  let handle: FileHandle | null = null;
  try {
    handle = await open(dirname(path), "r");
    await handle.sync();
  } catch (err) {
    const error = folderNotSynced(op, path, err);
    if (error) throw error;
  } finally {
    await handle?.close();
  }
}

function syncFolderSync(op: string, path: string): void {
  if (process.platform === "win32") return;
  let fd: number | null = null;
  try {
    fd = openSync(dirname(path), "r");
    fsyncSync(fd);
  } catch (err) {
    const error = folderNotSynced(op, path, err);
    if (error) throw error;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
